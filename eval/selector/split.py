"""Which SQuAD 2.0 articles train the selector, which tune it, and which only report.

Split by article, never by question: questions of one article share
sentences, so a question-level split would leak answers into training.
The held-out articles are never read by training or fitting; their figures
are the honest ones.
"""
from __future__ import annotations

TUNE = ("Huguenot",)
HELD_OUT = ("Force", "Warsaw")
TRAIN = ("Computational_complexity_theory", "French_and_Indian_War", "Harvard_University", "Imperialism",
         "Islamism", "Packet_switching", "Rhine", "Steam_engine", "Yuan_dynasty")


def role_of(article: str) -> str:
    if article in TRAIN:
        return "train"
    if article in TUNE:
        return "tune"
    if article in HELD_OUT:
        return "held_out"
    return "unknown"
