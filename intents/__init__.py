"""The language layer: interaction models, the NLU engine, entity resolution."""

from intents import compiled as _compiled

# Before any module of the engine is imported: its compiled build runs only where it was built from these very
# sources (intents/compiled.py).
_compiled.choose()
