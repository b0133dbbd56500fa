"""Instants and intervals: aware datetimes only, normalised to UTC with µs precision.

Storage uses integer microseconds since the Unix epoch; open ends use sentinels far outside any
real date so that range predicates need no NULL handling (the open-end pitfall of `> t` on NULL).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from asof.graph.errors import InvalidInputError, InvalidIntervalError, NaiveDatetimeError

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
#: Stored for ``valid_from=None`` (the unbounded past).
MIN_US = -(2**62)
#: Stored for ``valid_to=None`` / ``superseded_at=None`` (until further notice).
MAX_US = 2**62
#: ``known_at`` for "as currently believed": every version not yet superseded, even one stamped
#: after the clock's reading (transaction time stays ahead of a clock that went backwards).
LATEST = datetime.max.replace(tzinfo=UTC)


def require_aware(value: datetime, field: str) -> datetime:
    """Return ``value`` in UTC, or raise :class:`NaiveDatetimeError` if it has no offset."""
    if not isinstance(value, datetime):
        raise InvalidInputError(f"{field}: expected a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise NaiveDatetimeError(field, value)
    try:
        return value.astimezone(UTC)
    except OverflowError:  # e.g. 0001-01-01T00:00+01:00 is before year 1 in UTC
        raise InvalidInputError(
            f"{field}: {value.isoformat()} is outside the supported range of instants "
            "(years 1 to 9999 in UTC)") from None


def optional_aware(value: datetime | None, field: str) -> datetime | None:
    return None if value is None else require_aware(value, field)


def parse_instant(text: str, field: str = "instant") -> datetime:
    """Parse an ISO 8601 instant that carries an offset (``Z`` accepted)."""
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise InvalidInputError(
            f"{field}: {text!r} is not an ISO 8601 instant (e.g. 2024-03-01T09:00:00+01:00)"
        ) from exc
    return require_aware(parsed, field)


def to_us(value: datetime) -> int:
    """Microseconds since the epoch of an aware datetime."""
    if type(value) is not datetime or value.tzinfo is not UTC:  # the models hold UTC
        value = require_aware(value, "instant")
    delta = value - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_us(value: int) -> datetime:
    return _EPOCH + timedelta(microseconds=value)


def from_us_to_end(value: int) -> datetime | None:
    """Decode an interval end: the MAX sentinel means open."""
    return None if value >= MAX_US else from_us(value)


def from_us_from_start(value: int) -> datetime | None:
    """Decode an interval start: the MIN sentinel means open."""
    return None if value <= MIN_US else from_us(value)


def start_us(value: datetime | None) -> int:
    return MIN_US if value is None else to_us(value)


def end_us(value: datetime | None) -> int:
    return MAX_US if value is None else to_us(value)


def check_interval(valid_from: datetime | None, valid_to: datetime | None) -> None:
    """Reject empty or inverted half-open intervals."""
    if valid_from is not None and valid_to is not None and valid_to <= valid_from:
        raise InvalidIntervalError(valid_from, valid_to)


def isoformat(value: datetime | None) -> str | None:
    """Canonical text of an instant: UTC, microseconds, ``Z``."""
    if value is None:
        return None
    if type(value) is datetime and value.tzinfo is UTC and value.year >= 1000:
        # The same text as the strftime below, several times faster (ids hash it).
        return value.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"
    return require_aware(value, "instant").strftime("%Y-%m-%dT%H:%M:%S.%fZ")
