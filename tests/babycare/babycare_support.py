"""Catalog ids the baby-care tests use (the small fixture catalog of tests/conftest.py)."""

DIAPERS = "pampers-swaddlers-size-3-84"
FORMULA = "similac-pro-advance-30-8oz"
