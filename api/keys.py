"""API keys: hashed at rest, each mapped to one tenant or to the admin role.

An entry is ``{"name", "sha256", "tenant" | "role": "admin", "expires_at"?, "revoked"?}``. The
name is the actor recorded for the key's writes, so names, like hashes, are unique. The keys
file is re-read when it changes (a key added, revoked or expired takes effect without a
restart); an edit that does not parse fails closed until it is fixed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from asof.api.files import check_input_file
from asof.graph.errors import InvalidInputError, StoreUnavailableError
from asof.graph.ids import validate_tenant
from asof.graph.instants import isoformat, parse_instant

log = logging.getLogger(__name__)

ADMIN = "admin"
#: A key's name is recorded as the actor of its writes: one printable line.
MAX_NAME = 100


@dataclass(frozen=True, slots=True)
class ApiKey:
    name: str
    sha256: str
    tenant: str | None  #: None for admin keys
    role: str = "tenant"
    expires_at: datetime | None = None
    revoked: bool = False
    source: str = ""  #: where it was listed, e.g. "ASOF_API_KEYS[2]"

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    def refusal(self, now: datetime) -> str | None:
        """Why this key may not be used at ``now``, or None."""
        if self.revoked:
            return "this API key was revoked"
        if self.expires_at is not None and now >= self.expires_at:
            return f"this API key expired at {isoformat(self.expires_at)}"
        return None


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> str:
    return "asof_" + secrets.token_urlsafe(32)


def parse_keys(text: str, source: str) -> list[ApiKey]:
    """Parse one JSON list of entries (see the module docstring)."""
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInputError(f"{source}: not JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(data, list):
        raise InvalidInputError(f"{source}: expected a JSON list of keys")
    return [_parse_entry(item, f"{source}[{index}]", index) for index, item in enumerate(data)]


def _parse_entry(item: Any, where: str, index: int) -> ApiKey:
    if not isinstance(item, dict):
        raise InvalidInputError(f"{where}: expected an object")
    digest = item.get("sha256")
    if not isinstance(digest, str) or len(digest) != 64 or not all(
            c in "0123456789abcdef" for c in digest):
        raise InvalidInputError(f"{where}.sha256: a 64-character lowercase hex digest")
    role = item.get("role", "tenant")
    if role not in ("tenant", ADMIN):
        raise InvalidInputError(f"{where}.role: 'tenant' or 'admin'")
    tenant = item.get("tenant")
    if role == "tenant":
        if not isinstance(tenant, str):
            raise InvalidInputError(f"{where}.tenant: required for tenant keys")
        validate_tenant(tenant)
    name = item.get("name", f"key{index}")
    if (not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME
            or not name.isprintable()):
        raise InvalidInputError(f"{where}.name: one line of 1 to {MAX_NAME} printable "
                                "characters")
    expires = item.get("expires_at")
    if expires is not None and not isinstance(expires, str):
        raise InvalidInputError(f"{where}.expires_at: an ISO 8601 time with an offset")
    revoked = item.get("revoked", False)
    if not isinstance(revoked, bool):
        raise InvalidInputError(f"{where}.revoked: true or false")
    return ApiKey(name, digest, tenant if role == "tenant" else None, role,
                  parse_instant(expires, f"{where}.expires_at") if expires else None,
                  revoked, where)


def load_keys(inline: str | None, file: Path | None) -> list[ApiKey]:
    """Every key, inline first; a hash or a name listed twice is refused (before, the last
    entry won, so a tenant key could silently become an admin key)."""
    keys: list[ApiKey] = []
    if inline:
        keys += parse_keys(inline, "ASOF_API_KEYS")
    if file:
        check_input_file(file, what="ASOF_API_KEYS_FILE", max_bytes=1_000_000, setting="1 MB")
        try:
            text = file.read_text(encoding="utf-8")
        except OSError as exc:
            raise InvalidInputError(f"ASOF_API_KEYS_FILE {file}: {exc.strerror}") from None
        keys += parse_keys(text, str(file))
    by_hash: dict[str, ApiKey] = {}
    by_name: dict[str, ApiKey] = {}
    for key in keys:
        if key.sha256 in by_hash:
            raise InvalidInputError(f"sha256 {key.sha256[:12]}… is listed twice: "
                                    f"{by_hash[key.sha256].source} and {key.source}")
        if key.name in by_name:
            raise InvalidInputError(f"name {key.name!r} is listed twice: "
                                    f"{by_name[key.name].source} and {key.source}")
        by_hash[key.sha256], by_name[key.name] = key, key
    return keys


class KeyRing:
    """Looks keys up by hash, in constant time per candidate; re-reads the keys file when its
    size, mtime or inode changes."""

    def __init__(self, inline: str | None = None, file: Path | None = None) -> None:
        self._inline, self._file = inline, file
        self._lock = threading.Lock()
        self._stamp = self._file_stamp()
        self._keys: list[ApiKey] | None = load_keys(inline, file)
        self._error: str | None = None

    def __len__(self) -> int:
        return len(self._keys or [])

    def _file_stamp(self) -> tuple[int, int, int] | None:
        if self._file is None:
            return None
        try:
            info = self._file.stat()
        except OSError:
            return (0, 0, 0)
        return (info.st_mtime_ns, info.st_size, info.st_ino)

    def _current(self) -> list[ApiKey]:
        stamp = self._file_stamp()
        if stamp != self._stamp:
            with self._lock:
                if stamp != self._stamp:
                    self._stamp = stamp
                    try:
                        self._keys, self._error = load_keys(self._inline, self._file), None
                        log.info("reloaded the API keys from %s", self._file)
                    except InvalidInputError as exc:  # fail closed until the file is fixed
                        self._keys, self._error = None, str(exc)
                        log.error("the API keys file no longer loads: %s", exc)
        if self._keys is None:
            raise StoreUnavailableError(
                "the API keys file no longer loads; no key is accepted until it is fixed "
                "(the server's log says why)")
        return self._keys

    def find(self, presented: str) -> ApiKey | None:
        digest = hash_key(presented)
        found = None
        for key in self._current():
            if hmac.compare_digest(key.sha256, digest):
                found = key
        return found
