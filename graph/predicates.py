"""The predicate registry: every predicate asof knows, in one place.

Shared code asks the registry (cardinality, types, event-ness, TTL); it never special-cases a
predicate by name. Deployments extend it with :meth:`PredicateRegistry.extended` (e.g. from a
JSON/TOML file through :meth:`PredicateRegistry.from_mapping`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta
from enum import StrEnum
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
        """Build from configuration: ``{name: {cardinality, subject_types, object_types, event,
        ttl_days, description, employer_holds}}``, layered over ``base`` (the defaults when
        omitted)."""
        base = base if base is not None else default_registry()
        added = []
        for name, spec in data.items():
            known = {"cardinality", "subject_types", "object_types", "event", "ttl_days",
                     "description", "employer_holds"}
            unknown = set(spec) - known
            if unknown:
                raise InvalidInputError(
                    f"predicate {name!r}: unknown keys {sorted(unknown)}; allowed: {sorted(known)}"
                )
            try:
                cardinality = Cardinality(spec.get("cardinality", "many"))
            except ValueError:
                raise InvalidInputError(
                    f"predicate {name!r}: cardinality must be 'one' or 'many'"
                ) from None
            ttl_days = spec.get("ttl_days")
            predicate = Predicate(
                name=name,
                cardinality=cardinality,
                subject_types=tuple(spec.get("subject_types", ("person",))),
                object_types=tuple(spec.get("object_types", ("concept",))),
                event=bool(spec.get("event", False)),
                ttl=None if ttl_days is None else timedelta(days=float(ttl_days)),
                description=str(spec.get("description", "")),
                employer_holds=bool(spec.get("employer_holds", False)),
            )
            added.append(predicate)
        return base.extended(added)

    def with_ttl(self, name: str, ttl: timedelta | None) -> PredicateRegistry:
        return self.extended([replace(self.get(name), ttl=ttl)])


_DEFAULT = PredicateRegistry(DEFAULT_PREDICATES)


def default_registry() -> PredicateRegistry:
    return _DEFAULT
