"""The predicate registry: every predicate asof knows, in one place.

Shared code asks the registry (cardinality, types, event-ness, TTL, question words); it never
special-cases a predicate by name. Deployments extend it with
:meth:`PredicateRegistry.extended`, from configuration through
:meth:`PredicateRegistry.from_mapping`, or from a TOML file (``ASOF_PREDICATES``) through
:func:`load_registry`.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from asof.graph.errors import InvalidInputError, UnknownPredicateError


class Cardinality(StrEnum):
    ONE = "one"  #: at most one object at a time per subject (works_at)
    MANY = "many"  #: objects coexist (uses)


#: Object type of predicates whose object is a literal value rather than an entity.
LITERAL = "literal"


@dataclass(frozen=True, slots=True)
class Predicate:
    name: str
    cardinality: Cardinality
    subject_types: tuple[str, ...] = ("person",)
    object_types: tuple[str, ...] = ("concept",)
    event: bool = False  #: instantaneous: gets an interval of its stated granularity
    ttl: timedelta | None = None  #: default time-to-live of a belief, None = forever
    description: str = ""
    inverse_label: str = field(default="", compare=False)
    #: said at work without anyone's "I", it belongs to the speaker's organisation ("Business
    #: Standard since January", "get access to Jira") while "I use dbt" stays the person's;
    #: extraction reads this
    employer_holds: bool = False
    #: words of a question that ask about this predicate ("tier", "renewal"): ``ask`` tries
    #: it when one of them occurs (the v1 predicates' words live in ``query.ask``)
    question_words: tuple[str, ...] = ()

    @property
    def literal_object(self) -> bool:
        return self.object_types == (LITERAL,)

    @property
    def default_object_type(self) -> str:
        """The type given to a new object entity of this predicate when nothing else says
        what it is: the first entity type listed (so list the most likely first)."""
        return next((t for t in self.object_types if t != LITERAL), "concept")


_PERSON = ("person",)
_ORG = ("organization",)

DEFAULT_PREDICATES: tuple[Predicate, ...] = (
    Predicate("works_at", Cardinality.ONE, _PERSON, _ORG, description="employer"),
    Predicate("job_title", Cardinality.ONE, _PERSON, (LITERAL,), description="role or title"),
    Predicate("lives_in", Cardinality.ONE, _PERSON, ("location",), description="home location"),
    Predicate("reports_to", Cardinality.ONE, _PERSON, _PERSON, description="manager"),
    Predicate("studies_at", Cardinality.ONE, _PERSON, _ORG, description="school"),
    Predicate("married_to", Cardinality.ONE, _PERSON, _PERSON, description="spouse"),
    Predicate("member_of", Cardinality.MANY, _PERSON, ("group", "organization"),
              description="team, club or group"),
    Predicate("uses", Cardinality.MANY, ("person", "organization"),
              ("product", "concept", LITERAL), description="tool, product or plan used",
              employer_holds=True),
    Predicate("prefers", Cardinality.MANY, _PERSON, ("concept", "product", LITERAL),
              description="preference"),
    Predicate("likes", Cardinality.MANY, _PERSON, ("concept", "product", LITERAL)),
    Predicate("dislikes", Cardinality.MANY, _PERSON, ("concept", "product", LITERAL)),
    Predicate("owns", Cardinality.MANY, ("person", "organization"),
              ("product", "concept", LITERAL)),
    Predicate("has_pet", Cardinality.MANY, _PERSON, ("animal", LITERAL)),
    Predicate("speaks", Cardinality.MANY, _PERSON, ("language",)),
    Predicate("visited", Cardinality.MANY, _PERSON, ("location", "organization"), event=True),
    Predicate("attended", Cardinality.MANY, _PERSON, ("event", "organization", "concept"),
              event=True),
)


class PredicateRegistry:
    """An immutable set of predicates, looked up by name."""

    def __init__(self, predicates: Iterable[Predicate]) -> None:
        self._by_name: dict[str, Predicate] = {}
        for predicate in predicates:
            if not predicate.name or not predicate.name.replace("_", "").isalnum():
                raise InvalidInputError(
                    f"predicate name {predicate.name!r} must be letters, digits and underscores"
                )
            self._by_name[predicate.name] = predicate

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def __iter__(self) -> Iterator[Predicate]:
        return iter(self._by_name.values())

    def __len__(self) -> int:
        return len(self._by_name)

    def names(self) -> list[str]:
        return list(self._by_name)

    def get(self, name: str) -> Predicate:
        try:
            return self._by_name[name]
        except KeyError:
            raise UnknownPredicateError(name, self.names()) from None

    def extended(self, predicates: Iterable[Predicate]) -> PredicateRegistry:
        """A new registry with ``predicates`` added (or replacing same-named ones)."""
        return PredicateRegistry([*self._by_name.values(), *predicates])

    @classmethod
    def from_mapping(cls, data: Mapping[str, Mapping[str, Any]],
                     base: PredicateRegistry | None = None) -> PredicateRegistry:
        """Build from configuration, layered over ``base`` (the defaults when omitted):
        ``{name: {cardinality, subject | subject_types, object | object_types,
        kind ("state" | "event") | event, question_words, ttl_days, description,
        employer_holds}}``.
        ``object`` is an entity type or ``"literal"``."""
        base = base if base is not None else default_registry()
        return base.extended(_predicate(name, spec) for name, spec in data.items())

    def fingerprint(self) -> str:
        """A hash of every predicate's definition: the registry's version."""
        rows = [{"name": p.name, "cardinality": p.cardinality.value,
                 "subject_types": p.subject_types, "object_types": p.object_types,
                 "event": p.event, "ttl_s": p.ttl.total_seconds() if p.ttl else None,
                 "description": p.description, "question_words": p.question_words,
                 "employer_holds": p.employer_holds}
                for p in sorted(self, key=lambda p: p.name)]
        body = json.dumps(rows, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(body.encode()).hexdigest()

    def with_ttl(self, name: str, ttl: timedelta | None) -> PredicateRegistry:
        return self.extended([replace(self.get(name), ttl=ttl)])


_KEYS = {"cardinality", "subject", "subject_types", "object", "object_types", "kind", "event",
         "question_words", "ttl_days", "description", "employer_holds"}


def _types(name: str, spec: Mapping[str, Any], one: str, many: str,
           default: tuple[str, ...]) -> tuple[str, ...]:
    value = spec.get(one, spec.get(many, default))
    values = (value,) if isinstance(value, str) else value
    if not isinstance(values, (list, tuple)) or not values or not all(
            isinstance(v, str) and v.strip() for v in values):
        raise InvalidInputError(f"predicate {name!r}: {one} must be a type name or a list "
                                "of them (an entity type such as 'organization', or "
                                f"'{LITERAL}')")
    return tuple(v.strip() for v in values)


def _predicate(name: str, spec: Mapping[str, Any]) -> Predicate:
    if not isinstance(spec, Mapping):
        raise InvalidInputError(f"predicate {name!r}: expected a table of settings")
    unknown = set(spec) - _KEYS
    if unknown:
        raise InvalidInputError(
            f"predicate {name!r}: unknown keys {sorted(unknown)}; allowed: {sorted(_KEYS)}")
    try:
        cardinality = Cardinality(spec.get("cardinality", "many"))
    except ValueError:
        raise InvalidInputError(
            f"predicate {name!r}: cardinality must be 'one' or 'many'") from None
    kind = spec.get("kind", "event" if spec.get("event") else "state")
    if kind not in ("state", "event") or not isinstance(spec.get("event", False), bool):
        raise InvalidInputError(f"predicate {name!r}: kind must be 'state' or 'event'")
    words = spec.get("question_words", ())
    if isinstance(words, str) or not all(isinstance(w, str) and w.strip() for w in words):
        raise InvalidInputError(f"predicate {name!r}: question_words must be a list of words")
    if not isinstance(spec.get("employer_holds", False), bool):
        raise InvalidInputError(f"predicate {name!r}: employer_holds must be true or false")
    ttl_days = spec.get("ttl_days")
    if ttl_days is not None and (isinstance(ttl_days, bool)
                                 or not isinstance(ttl_days, (int, float)) or ttl_days <= 0):
        raise InvalidInputError(f"predicate {name!r}: ttl_days must be a positive number")
    return Predicate(
        name=name, cardinality=cardinality,
        subject_types=_types(name, spec, "subject", "subject_types", ("person",)),
        object_types=_types(name, spec, "object", "object_types", ("concept",)),
        event=kind == "event",
        ttl=None if ttl_days is None else timedelta(days=float(ttl_days)),
        description=str(spec.get("description", "")),
        question_words=tuple(w.strip().lower() for w in words),
        employer_holds=spec.get("employer_holds", False))


def load_registry(path: str | Path, base: PredicateRegistry | None = None
                  ) -> PredicateRegistry:
    """The default predicates (or ``base``) plus the ``[predicates.<name>]`` tables of a TOML
    file; any problem is an :class:`InvalidInputError` naming the file."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidInputError(f"{path}: cannot read the predicate file ({exc.strerror})"
                                ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInputError(f"{path}: not valid TOML ({exc})") from None
    table = data.get("predicates")
    if not isinstance(table, dict) or not table or set(data) - {"predicates"}:
        raise InvalidInputError(f"{path}: expected only [predicates.<name>] tables")
    try:
        return PredicateRegistry.from_mapping(table, base)
    except InvalidInputError as exc:
        raise InvalidInputError(f"{path}: {exc}") from None


_DEFAULT = PredicateRegistry(DEFAULT_PREDICATES)


def default_registry() -> PredicateRegistry:
    return _DEFAULT
