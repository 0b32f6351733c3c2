"""The one error of the sentence encoders, in a module of its own so that asking whether an encoder is
installed (intents/contextual_files.py) imports nothing heavy."""


class EmbeddingUnavailable(RuntimeError):
    """The wheel with the vectors is not installed: the engine runs on its lexical stages alone."""
