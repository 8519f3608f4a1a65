"""Is a question written in another language than the documents?

The answerer matches words and English sentence embeddings, so a question in
Russian is abstained on without saying why (issue 15). This tells the chat
that the question looks like another language, so it can say the documents
are in English. Two cheap signals, no model: letters of a non-Latin script,
or, for Latin-script text, more function words of another common European
language than of English. Short or mixed questions count as English: a false
"other language" note on an English question would be worse than none.
"""
from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

ENGLISH = frozenset(
    "the a an and or of to in on for with is are was were be been what which who whom whose when where why how "
    "do does did not no this that these those it its they their there from by as at about than can could would "
    "should will shall may might has have had".split())
OTHER = {
    "French": "le la les des du de un une et est sont que qui quoi pourquoi comment quand où dans pour avec sur "
              "pas ce cette ces au aux il elle ils elles nous vous",
    "Spanish": "el la los las del de un una y es son que qué quién por qué cómo cuándo dónde en para con sobre "
               "no este esta estos hay su sus lo",
    "German": "der die das den dem des ein eine einen und ist sind war waren was wer warum wie wann wo mit für "
              "auf nicht im zum zur über hat haben",
    "Italian": "il lo la gli le dei delle di un una e è sono che chi perché come quando dove per con su non "
               "questo questa nel della",
    "Portuguese": "o a os as do da dos das de um uma e é são que quem por que como quando onde em para com "
                  "não este esta no na",
}
_OTHER_WORDS = {lang: frozenset(words.split()) - ENGLISH for lang, words in OTHER.items()}


def script_of(ch: str) -> str:
    """The script a letter belongs to, from its Unicode name ("LATIN", "CYRILLIC", "CJK", …)."""
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0] if name else ""


def foreign_language(text: str) -> str | None:
    """The language (or script) a question seems written in, when it is clearly not English; else None."""
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < 4:
        return None
    scripts: dict[str, int] = {}
    for ch in letters:
        s = script_of(ch)
        scripts[s] = scripts.get(s, 0) + 1
    script, count = max(scripts.items(), key=lambda kv: kv[1])
    if script != "LATIN" and count >= 0.5 * len(letters):
        return {"CYRILLIC": "Russian or another Cyrillic-script language", "CJK": "Chinese or Japanese", "HIRAGANA": "Japanese",
                "KATAKANA": "Japanese", "HANGUL": "Korean", "ARABIC": "Arabic", "HEBREW": "Hebrew",
                "GREEK": "Greek", "DEVANAGARI": "Hindi or another Devanagari language",
                "THAI": "Thai"}.get(script, f"{script.title()} script")
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < 3:
        return None
    english = sum(w in ENGLISH for w in words)
    best, hits = max(((lang, sum(w in vocab for w in words)) for lang, vocab in _OTHER_WORDS.items()),
                     key=lambda kv: kv[1])
    return best if hits >= 2 and hits > 2 * english else None


def language_note(question: str) -> str | None:
    """The sentence the chat adds when a question is not in English, or None."""
    lang = foreign_language(question)
    if lang is None:
        return None
    return (f"Your question seems to be in {lang}, but the documents are in English: answers are quoted from "
            "them, so please ask in English.")
