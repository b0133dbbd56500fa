"""The read-access log: who read what about whom, and when, as its own hash chain.

Off by default; ``ASOF_READ_LOG=/path/reads.jsonl`` turns it on for the REST API. One JSON line
per read: ``seq``, ``at``, ``actor`` (the API key's name), ``tenant``, ``route``, ``entity_id``
(the entity the request named, resolved to its id; ``null`` when it named none or an unknown
one), ``prev_hash`` and ``hash = sha256(prev_hash || canonical JSON of the rest)``. Names and
query text are never written, only ids, so the log itself holds no personal text. It lives
beside the store, not in it: reads never write to the store, and the write chain stays the
record of what the store believed.

Appends take an exclusive ``flock`` on the file, so several server workers share one chain.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from asof.graph.audit import GENESIS_HASH
from asof.graph.errors import InvalidInputError
from asof.graph.ids import canonical_json
from asof.graph.instants import isoformat


def _hash(prev_hash: str, record: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical_json(record)).encode()).hexdigest()


class ReadLog:
    """Appends read records to one JSONL file, hash-chained."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()  # flock is per open file; threads share this process's

    def record(self, *, actor: str, tenant: str, route: str, entity_id: str | None) -> None:
        with self._lock, self.path.open("a+b") as file:
            fcntl.flock(file, fcntl.LOCK_EX)
            try:
                head = _last_record(file)
                record = {"seq": head["seq"] + 1, "at": isoformat(datetime.now(UTC)),
                          "actor": actor, "tenant": tenant, "route": route,
                          "entity_id": entity_id, "prev_hash": head["hash"]}
                record["hash"] = _hash(head["hash"], record)
                file.write((json.dumps(record, ensure_ascii=False) + "\n").encode())
                file.flush()
            finally:
                fcntl.flock(file, fcntl.LOCK_UN)


#: A record is ids, hashes and a key name of at most 100 characters: far below this.
_TAIL = 8192


def _last_record(file: BinaryIO) -> dict[str, Any]:
    file.seek(0, 2)
    size = file.tell()
    file.seek(max(0, size - _TAIL))
    lines = file.read().splitlines()
    return json.loads(lines[-1]) if lines else {"seq": 0, "hash": GENESIS_HASH}


@dataclass(frozen=True, slots=True)
class ReadLogReport:
    ok: bool
    records: int
    first_bad_seq: int | None = None
    reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "records": self.records, "first_bad_seq": self.first_bad_seq,
                "reason": self.reason}


def verify_read_log(path: Path) -> ReadLogReport:
    """Recompute the chain: the first record edited, inserted, deleted or reordered."""
    if not path.is_file():
        raise InvalidInputError(f"read log {path}: no such file")
    prev, count = GENESIS_HASH, 0
    with path.open(encoding="utf-8") as file:
        for number, line in enumerate(file, start=1):
            try:
                record = json.loads(line)
                stored = record.pop("hash")
                seq = record["seq"]
            except (ValueError, KeyError, TypeError, AttributeError):
                return ReadLogReport(False, count, number, f"line {number} is not a record")
            if seq != count + 1:
                return ReadLogReport(False, count, seq, f"seq {seq} where {count + 1} was due")
            if record.get("prev_hash") != prev or _hash(prev, record) != stored:
                return ReadLogReport(False, count, seq, "the record or its link was changed")
            prev, count = stored, count + 1
    return ReadLogReport(True, count)
