"""``asof_attributes_v1``: the model's ``attribute_ruler`` with the same results, faster.

The English models' attribute ruler maps tags to coarse POS and morphology and fixes a few
lemmas (179 ``Matcher`` patterns). spaCy evaluates the patterns' set and regex predicates in
Python for every token, which made the ruler cost about as much as the parser. Almost every
pattern looks at one token only (its lower form, tag, dependency label, whether it is space),
so the outcome for a token is a function of those four values: it is computed once per
distinct combination and cached. The few multi-token patterns still run through a
``Matcher``; where one of them matches, the token's attributes are applied in the ruler's
own order (pattern index), so the results are the ruler's exactly (checked by a unit test
against ``AttributeRuler`` on varied text).
"""

from __future__ import annotations

import re
from typing import Any, cast

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc, Token
from spacy.util import SimpleFrozenList

_KEY_ATTRS = ("LOWER", "TAG", "DEP", "IS_SPACE")


@Language.factory("asof_attributes_v1", default_config={})
def make_attributes(nlp: Language, name: str) -> FastAttributes:
    return FastAttributes(nlp)


def _token_value(token: Token, attr: str) -> Any:
    if attr == "LOWER":
        return token.lower_
    if attr == "TAG":
        return token.tag_
    if attr == "DEP":
        return token.dep_
    return token.is_space


def _matches(spec: dict[str, Any], key: tuple[str, str, str, bool]) -> bool:
    """Does a single-token pattern ``spec`` match a token with these key values?"""
    for attr, want in spec.items():
        have = key[_KEY_ATTRS.index(attr)]
        if isinstance(want, dict):
            for op, arg in want.items():
                if op == "IN" and have not in arg:
                    return False
                if op == "NOT_IN" and have in arg:
                    return False
                if op == "REGEX" and not re.search(arg, str(have)):
                    return False
                if op not in ("IN", "NOT_IN", "REGEX"):
                    raise ValueError(f"unsupported attribute-ruler operator {op!r}")
        elif have != want:
            return False
    return True


class FastAttributes:
    """Built from a loaded ``AttributeRuler`` (:meth:`from_ruler`)."""

    def __init__(self, nlp: Language) -> None:
        self.vocab = nlp.vocab
        self.single: list[tuple[int, dict[str, Any], dict[str, Any]]] = []
        self.multi = Matcher(nlp.vocab, validate=False)
        self.multi_attrs: dict[int, tuple[dict[str, Any], int]] = {}
        self._cache: dict[tuple[str, str, str, bool], list[tuple[int, dict[str, Any]]]] = {}
        self._merged: dict[tuple[str, str, str, bool], dict[str, Any]] = {}
        self._has_multi = False

    def from_ruler(self, ruler: AttributeRuler) -> FastAttributes:
        """Take the patterns of a loaded attribute ruler, in its order."""
        self.single.clear()
        self._cache.clear()
        self._merged.clear()
        for order, entry in enumerate(ruler.patterns):
            # the ruler's normalised attributes (ids), as its own set_annotations uses them
            attrs, index = ruler.attrs[order], ruler.indices[order]
            patterns = cast(list[list[dict[str, Any]]], entry["patterns"])
            for pattern in patterns:
                if len(pattern) == 1 and index in (0, -1) and \
                        set(pattern[0]) <= set(_KEY_ATTRS):
                    self.single.append((order, pattern[0], attrs))
                else:
                    key = f"asof_attr_{order}"
                    self.multi.add(key, [pattern])
                    self.multi_attrs[self.vocab.strings[key]] = (attrs, index)
                    self._has_multi = True
        self._orders = {self.vocab.strings[f"asof_attr_{o}"]: o
                        for o in range(len(ruler.patterns))}
        self._index()
        return self

    def _index(self) -> None:
        """Patterns with an exact lower form or tag are only tried on tokens that have it."""
        self._by_lower: dict[str, list[int]] = {}
        self._by_tag: dict[str, list[int]] = {}
        self._general: list[int] = []
        for position, (_order, spec, _attrs) in enumerate(self.single):
            if isinstance(spec.get("LOWER"), str):
                self._by_lower.setdefault(spec["LOWER"], []).append(position)
            elif isinstance(spec.get("TAG"), str):
                self._by_tag.setdefault(spec["TAG"], []).append(position)
            else:
                self._general.append(position)

    def _single_for(self, key: tuple[str, str, str, bool]) -> list[tuple[int, dict[str, Any]]]:
        found = self._cache.get(key)
        if found is None:
            tried = sorted({*self._by_lower.get(key[0], ()), *self._by_tag.get(key[1], ()),
                            *self._general})
            found = [(self.single[p][0], self.single[p][2]) for p in tried
                     if _matches(self.single[p][1], key)]
            self._cache[key] = found
        return found

    def __call__(self, doc: Doc) -> Doc:
        from spacy.tokens._retokenize import set_token_attrs

        keys = [(t.lower_, t.tag_, t.dep_, t.is_space) for t in doc]
        extra: dict[int, list[tuple[int, dict[str, Any]]]] = {}
        if self._has_multi:
            for match_id, start, end in self.multi(doc, allow_missing=True):
                attrs, index = self.multi_attrs[match_id]
                i = (start if index >= 0 else end) + index
                extra.setdefault(i, []).append((self._orders[match_id], attrs))
        for token, key in zip(doc, keys, strict=True):
            more = extra.get(token.i)
            if more is None:
                merged = self._merged.get(key)
                if merged is None:
                    merged = {}
                    for _order, attrs in self._single_for(key):
                        merged.update(attrs)
                    self._merged[key] = merged
                if merged:
                    set_token_attrs(token, merged)
                continue
            for _order, attrs in sorted(self._single_for(key) + more, key=lambda p: p[0]):
                set_token_attrs(token, attrs)
        return doc

    # a component that is not trained and holds no data of its own
    def to_disk(self, path: Any, *, exclude: Any = SimpleFrozenList()) -> None:  # noqa: B008
        return None

    def from_disk(self, path: Any, *, exclude: Any = SimpleFrozenList()) -> FastAttributes:  # noqa: B008
        return self
