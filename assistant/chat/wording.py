"""Abstention wording under a document filter (issue 15)."""
from __future__ import annotations

import re
from collections.abc import Sequence

_ABSTAIN_OPENERS = (
    (re.compile(r"^The documents do not answer"), "{subject} {do_not} answer"),
    (re.compile(r"^The documents don['’]t say that"), "{subject} {dont} say that"),
    (re.compile(r"^The documents do not say"), "{subject} {do_not} say"),
)


def scoped_abstention(text: str, names: Sequence[str]) -> str:
    """An abstention under a document filter names the selection instead of "the documents":
    "The selected document (“the op-ed”) does not answer this question." (issue 15). Text that
    does not open with a known abstention phrase is returned unchanged."""
    if not names:
        return text
    one = len(names) == 1
    listed = "“" + (names[0] if one else "”, “".join(names[:-1]) + "” and “" + names[-1]) + "”"
    subject = f"The selected document{'' if one else 's'} ({listed})"
    for pattern, template in _ABSTAIN_OPENERS:
        if pattern.match(text):
            lead = template.format(subject=subject, do_not="does not" if one else "do not",
                                   dont="doesn't" if one else "don't")
            return pattern.sub(lead, text, count=1)
    return text
