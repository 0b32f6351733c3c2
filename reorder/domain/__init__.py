"""The order backend's rules, free of Flask, SQL and Alexa: plain data and the decisions made on it."""
