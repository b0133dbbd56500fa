"""Is this name a town, a city or a country? ``data/places.txt.gz`` (GeoNames, CC BY 4.0;
``scripts/make-places``) answers for names the small English model has no type for, or takes
for an organisation ("moved from Hafnarfjörður into Reykjavík", "relocated to KL").

A name counts only as written with a capital and not in capitals ("PSA" and "dbt" are no
towns here), and a one-word name only when it is not an everyday English word: "Nice",
"Orange" and "Reading" are towns, but chat means the word far more often. Places as well
known as "London" or "Portugal" are everyday words by that measure; the model's own entity
types already know them.
"""

from __future__ import annotations

import gzip
from functools import cache
from importlib import resources

from asof.extraction.word_frequency import common_english

__all__ = ["is_place_name"]


@cache
def _places() -> frozenset[str]:
    raw = resources.files("asof.extraction").joinpath("data/places.txt.gz").read_bytes()
    lines = gzip.decompress(raw).decode("utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def is_place_name(name: str) -> bool:
    """``name`` (as written) is a place of the gazetteer."""
    name = name.strip()
    if not name[:1].isupper() or name.isupper():
        return False
    low = name.lower()
    return low in _places() and (" " in low or not common_english(low))
