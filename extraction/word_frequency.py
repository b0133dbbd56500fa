"""How common a word is: in English (its Zipf frequency) and whether it is an everyday word
of another language, from ``data/common_words.tsv`` (made by scripts/make-word-lexicon from
the ``wordfreq`` lists). Lower-case names stand out against it ("penpot", "quillay")."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def common_words() -> dict[str, tuple[int, bool]]:
    """``data/common_words.tsv`` (scripts/make-word-lexicon): word → (English frequency on the
    Zipf scale x2, 0 when not an English word; whether it is common in another language)."""
    table: dict[str, tuple[int, bool]] = {}
    text = resources.files("asof.extraction").joinpath("data/common_words.tsv").read_text(
        "utf-8")
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        word, english, other = line.split("\t")
        table[word] = (int(english), other == "1")
    return table


def common_english(word: str) -> bool:
    """An everyday English word (Zipf frequency 4 or more in ``data/common_words.tsv``)."""
    return common_words().get(word.lower(), (0, False))[0] >= 8
