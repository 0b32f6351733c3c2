"""voicecart: the composition root that wires the backend, the language layer, the skills and the simulator."""

__version__ = "0.1.0"
