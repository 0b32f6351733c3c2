"""Use cases of the order backend: each public method is one transaction on the store."""

from reorder.services.backend import Backend

__all__ = ["Backend"]
