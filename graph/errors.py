"""One error tree for the whole project.

Every error asof raises on purpose is an :class:`AsofError`. Children are narrow, carry their data,
and say what to do instead. Driver errors are translated at the adapter boundary with
``raise ... from exc``.
"""

from __future__ import annotations


class AsofError(Exception):
    """Base of every error asof raises on purpose."""


class InvalidInputError(AsofError, ValueError):
    """The caller's input is malformed; nothing was changed."""


class NaiveDatetimeError(InvalidInputError):
    """A datetime without a timezone offset was given where an instant is required."""

    def __init__(self, field: str, value: object) -> None:
        self.field = field
        self.value = value
        shown = value.isoformat() if hasattr(value, "isoformat") else value
        super().__init__(
            f"{field}: {shown!r} has no timezone offset. asof never assumes UTC: give an offset "
            "(e.g. 2024-03-01T09:00:00+01:00 or ...Z), or, for input files, pass an explicit "
            "default zone (asof ingest --assume-tz Europe/Berlin)."
        )


class InvalidIntervalError(InvalidInputError):
    """An interval is empty or inverted (valid intervals are half-open [from, to))."""

    def __init__(self, valid_from: object, valid_to: object) -> None:
        self.valid_from = valid_from
        self.valid_to = valid_to
        super().__init__(
            f"interval [{valid_from}, {valid_to}) is empty or inverted: valid_to must be later "
            "than valid_from (intervals are half-open; use None for an open end)."
        )


class UnknownPredicateError(InvalidInputError):
    """A predicate is not in the registry."""

    def __init__(self, predicate: str, known: list[str]) -> None:
        self.predicate = predicate
        self.known = known
        super().__init__(
            f"unknown predicate {predicate!r}; known predicates: {', '.join(sorted(known))}. "
            "Register new predicates in the predicate registry."
        )


class ReplayOrderError(InvalidInputError):
    """A replay would record a message before its tenant's latest transaction time: transaction
    time never goes back, so the replay was refused and nothing was stored."""

    def __init__(self, *, tenant: str, episode_id: str, conversation_id: str,
                 occurred_at: object, head_at: object) -> None:
        self.tenant = tenant
        self.episode_id = episode_id
        self.occurred_at = occurred_at
        self.head_at = head_at
        super().__init__(
            f"replay refused: message {episode_id!r} of conversation {conversation_id!r} was "
            f"sent at {occurred_at}, before tenant {tenant!r}'s latest transaction time "
            f"{head_at}. Transaction time never goes back, so a replay must come after "
            "everything the tenant already recorded: replay into a new tenant, or ingest "
            "without --replay (transaction time is then the time of ingestion). "
            "Nothing was stored."
        )


class NotFoundError(AsofError, LookupError):
    """The requested object does not exist in this tenant."""


class StoreError(AsofError):
    """The storage backend failed; the operation was rolled back."""


class UnsupportedError(StoreError):
    """The backend lacks the capability an operation needs (``store.supports(...)`` says so
    beforehand); nothing was changed."""


class StoreUnavailableError(StoreError):
    """The storage backend cannot be reached."""


class AuditKeyRequiredError(StoreError):
    """The store's audit chain is signed and this handle has no audit key: writing would add
    unsigned events to a signed chain, so nothing was written."""


class IntegrityError(StoreError):
    """The store's contents contradict the audit chain or the schema."""


class ConflictError(InvalidInputError):
    """The input reuses an id for different content (a message id resent with other text, a
    ``source_id`` that names a message); nothing was changed."""


class ExtractorUnavailableError(AsofError):
    """The configured extractor's model server could not be reached or refused the request
    (after the configured retries); nothing was stored for the messages being ingested."""
