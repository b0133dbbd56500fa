"""Deterministic identifiers and name normalisation.

Ids are content hashes so that the same input always yields the same id (idempotent ingestion,
MERGE-safe retries). They never embed raw text. Entity ids are keyed with the tenant's secret
(:func:`entity_id`), and every id derived from one (fact keys, versions, aliases) with it.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import re
import unicodedata
from typing import Any

_ORG_SUFFIXES = {
    "inc", "inc.", "incorporated", "corp", "corp.", "corporation", "co", "co.", "company",
    "ltd", "ltd.", "limited", "llc", "l.l.c.", "gmbh", "ag", "sa", "s.a.", "plc", "bv", "b.v.",
    "nv", "n.v.", "oy", "ab", "srl", "s.r.l.", "spa", "s.p.a.", "pty", "kk", "lp", "llp",
}
_SPACE = re.compile(r"\s+")
_TENANT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


#: What ``json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)`` builds
#: on every call, built once (a write hashes several values per version).
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no whitespace: the input of every content hash."""
    return _CANONICAL.encode(value)


def digest(*parts: Any, length: int = 32) -> str:
    """A hex sha256 of the canonical JSON of ``parts``, truncated to ``length`` characters."""
    return hashlib.sha256(canonical_json(list(parts)).encode()).hexdigest()[:length]


def fold(text: str) -> str:
    """``text`` as names are compared in it: NFKC, invisible format characters removed (zero-
    width spaces and joiners, bidirectional marks and overrides, byte-order marks, soft
    hyphens: Unicode category Cf), case-folded. "Bo\u200bb" and "\u200fBob" fold to "bob", so a
    look-alike name is neither a separate entity nor missed by an erasure."""
    if text.isascii():  # no format characters, and NFKC changes nothing
        return text.casefold()
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf").casefold()


# Scripts in which a name need not start a word: written without spaces between words
# ("山田さん"), or taking prefixes ("وأحمد", "ולדוד": "and Ahmad", "and to David").
_UNSPACED_SCRIPTS = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "THAI", "LAO", "KHMER",
                     "MYANMAR", "TIBETAN", "IDEOGRAPHIC", "ARABIC", "HEBREW")


def _unspaced(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith(_UNSPACED_SCRIPTS)


def says_name(folded_text: str, folded_name: str) -> bool:
    """Does ``folded_name`` occur in ``folded_text`` (both :func:`fold`-ed) where a word
    starts? Erasure and the subject-access export find a person's messages by it, and an
    erasure must not miss one, so only the start is checked: "Ana" is found in "ana's plan",
    "Annas Auto", "the Smiths" or "@ana2", not inside "banana" or "Joanna". Where the script
    does not mark word starts (CJK, Thai, Arabic, Hebrew, ...) any occurrence counts."""
    if not folded_name:
        return False
    start = folded_text.find(folded_name)
    while start != -1:
        before = folded_text[start - 1] if start else " "
        if not (before.isalnum() and folded_name[0].isalnum()) or _unspaced(before) or \
                _unspaced(folded_name[0]):
            return True
        start = folded_text.find(folded_name, start + 1)
    return False


@functools.lru_cache(maxsize=65_536)  # a write normalises every name it sees several times
def normalize_name(name: str) -> str:
    """The key names are matched on: :func:`fold`-ed, single spaces, punctuation trimmed,
    organisation suffixes (Inc, Corp, GmbH, …) and a leading "the" removed."""
    text = fold(name)
    text = _SPACE.sub(" ", text).strip(" \t\n.,;:!?\"'()[]")
    words = text.replace(",", " ").split()
    while len(words) > 1 and words[-1] in _ORG_SUFFIXES:
        words.pop()
    if len(words) > 1 and words[0] == "the":
        words.pop(0)
    return " ".join(words)


def validate_tenant(tenant: str) -> str:
    """Tenant ids are short and plain: letters, digits, ``_ . -``; 1–64 characters."""
    if not isinstance(tenant, str) or not _TENANT.match(tenant):
        raise _invalid_tenant(tenant)
    return tenant


def _invalid_tenant(tenant: object) -> Exception:
    from asof.graph.errors import InvalidInputError

    return InvalidInputError(
        f"tenant {tenant!r} is invalid: use 1-64 letters, digits, '_', '.' or '-', "
        "starting with a letter or digit"
    )


#: every entity id's shape (:func:`entity_id`): a name of any other shape is looked up by name
#: only, one read fewer for every read by name
_ENTITY_ID = re.compile(r"ent_[0-9a-f]{24}")


def could_be_entity_id(text: str) -> bool:
    return _ENTITY_ID.fullmatch(text) is not None


def keyed_digest(secret: bytes, *parts: Any, length: int = 32) -> str:
    """:func:`digest` keyed with a tenant's secret (HMAC-SHA256): nobody without the secret
    can recompute it from a guessed name."""
    return hmac.new(secret, canonical_json(list(parts)).encode(),
                    hashlib.sha256).hexdigest()[:length]


def entity_id(tenant: str, entity_type: str, name: str, secret: bytes | None = None) -> str:
    """The id of the entity ``name`` of ``entity_type``. With the tenant's ``secret`` (every
    tenant created since ids were keyed) it is keyed, so an id left in an erasure's tombstone
    or an audit export cannot be linked to a guessed name; without (tenants created before) it
    is the plain hash it always was."""
    if secret is None:
        return "ent_" + digest("entity", tenant, entity_type, normalize_name(name), length=24)
    return "ent_" + keyed_digest(secret, "entity", tenant, entity_type, normalize_name(name),
                                 length=24)


def entity_order(entity: Any) -> tuple[str, str, str, str]:
    """The order to prefer one entity over another where several answer to a name: by folded
    name, type and name, never first by id, which is keyed with the tenant's random secret
    (ordering by it made the outcome differ from store to store)."""
    return normalize_name(entity.name), entity.type, entity.name, entity.id


def episode_id(tenant: str, conversation_id: str, speaker: str, occurred_at_iso: str,
               text: str) -> str:
    return "epi_" + digest("episode", tenant, conversation_id, speaker, occurred_at_iso, text,
                           length=24)


_ESCAPED = re.compile("%(25|3A)")


def message_episode_id(conversation_id: str, message_id: str) -> str:
    """The episode id of a message its sender named: ``<conversation>:<message>``, with ``%``
    and ``:`` percent-escaped in each part, so ``a:b`` + ``c`` and ``a`` + ``b:c`` are two ids
    (they were one, and the second message was dropped as a resend). Ids whose parts hold
    neither character are what they always were."""
    return f"{_escape_part(conversation_id)}:{_escape_part(message_id)}"


def legacy_message_episode_id(episode_id: str, conversation_id: str) -> str | None:
    """The id an episode of :func:`message_episode_id` had before the parts were escaped, when
    that differs (``None``: the same id, or not an id of a named message)."""
    head, colon, tail = episode_id.partition(":")
    if not colon or _unescape_part(head) != conversation_id:
        return None
    legacy = f"{conversation_id}:{_unescape_part(tail)}"
    return None if legacy == episode_id else legacy


def message_id_of(episode_id: str) -> str:
    """The message id a sender gave, from the id of its episode (:func:`message_episode_id`);
    an episode id without one (a content hash) is returned as it is."""
    _, colon, tail = episode_id.partition(":")
    return _unescape_part(tail) if colon else episode_id


def _escape_part(part: str) -> str:
    return part.replace("%", "%25").replace(":", "%3A")


def _unescape_part(part: str) -> str:
    return _ESCAPED.sub(lambda m: "%" if m.group(1) == "25" else ":", part)


@functools.lru_cache(maxsize=65_536)  # every version written, closed copies included
def fact_key(tenant: str, subject_id: str, predicate: str, object_key: str) -> str:
    return "fk_" + digest("fact", tenant, subject_id, predicate, object_key, length=24)


def literal_key(value: str) -> str:
    """The object key of a literal value (case and spacing do not make a new fact)."""
    return "lit:" + normalize_name(value)
