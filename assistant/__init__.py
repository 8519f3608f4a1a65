"""Question answering over the indexed corpus with verified citations."""
from .answer import Answer, Citation, Passage
from .answerers import Answerer, make_answerer
from .core import Assistant
from .question import Question

__all__ = ["Answer", "Answerer", "Assistant", "Citation", "Passage", "Question", "make_answerer"]
