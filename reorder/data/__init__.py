"""Catalog data shipped with voicecart (catalog.json), the script that builds it, and synthetic catalogs."""
