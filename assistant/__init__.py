"""Question answering over the indexed corpus with verified citations."""
from .answer import Answer, Citation, Passage
from .core import Assistant

__all__ = ["Answer", "Assistant", "Citation", "Passage"]
