"""HTTP entry points: the REST API (and, mounted by the app factory, the skill endpoint and web page)."""
