"""API keys: hashed at rest, each mapped to one tenant or to the admin role."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asof.api.files import check_input_file
from asof.graph.errors import InvalidInputError
from asof.graph.ids import validate_tenant

ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class ApiKey:
    name: str
    sha256: str
    tenant: str | None  #: None for admin keys
    role: str = "tenant"

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> str:
    return "asof_" + secrets.token_urlsafe(32)


def parse_keys(text: str, source: str) -> list[ApiKey]:
    """``[{"name": …, "sha256": …, "tenant": …} | {"name": …, "sha256": …, "role": "admin"}]``"""
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInputError(f"{source}: not JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(data, list):
        raise InvalidInputError(f"{source}: expected a JSON list of keys")
    keys = []
    for index, item in enumerate(data):
        where = f"{source}[{index}]"
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
        keys.append(ApiKey(str(item.get("name", f"key{index}")), digest,
                           tenant if role == "tenant" else None, role))
    return keys


def load_keys(inline: str | None, file: Path | None) -> list[ApiKey]:
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
    return keys


class KeyRing:
    """Looks keys up by hash, in constant time per candidate."""

    def __init__(self, keys: list[ApiKey]) -> None:
        self._keys = keys

    def __len__(self) -> int:
        return len(self._keys)

    def find(self, presented: str) -> ApiKey | None:
        digest = hash_key(presented)
        found = None
        for key in self._keys:
            if hmac.compare_digest(key.sha256, digest):
                found = key
        return found
