"""Example skills written the way third-party developers write them, used to show and test the simulator."""
