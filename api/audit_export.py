"""Auditor exports: a tenant's full history as CSV or JSONL files with a signed manifest.

``asof audit export DIR`` writes, for one tenant:

- ``events``: every audit event (ids, hashes, signature and key id; never text);
- ``versions``: every fact version on both time axes (valid and transaction time), with names,
  evidence and the ids of its source messages;
- ``sources``: one row per (version, source message): who said it, when, and when it was
  stored;
- ``manifest.json``: the tenant, the chain's head, the SHA-256 of each file and, with the audit
  key, an HMAC-SHA256 over all of that with the key's id.

``asof audit verify-export DIR`` recomputes every file's hash and the manifest's signature, so
an auditor can tell the files are those the store exported. What the files say is only as good
as the store they came from: run ``asof audit verify`` on the store (with a checkpoint) first.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from asof.graph.audit import key_id, keyring
from asof.graph.contract import VersionQuery
from asof.graph.errors import InvalidInputError
from asof.graph.ids import canonical_json
from asof.graph.instants import isoformat
from asof.graph.store import GraphStore

Format = Literal["csv", "jsonl"]
MANIFEST = "manifest.json"
#: The files of an export, in the order they are written and listed.
TABLES = ("events", "versions", "sources")
_EPISODE_CHUNK = 500


def _cell(value: Any) -> str:
    """A CSV cell: lists and maps as JSON, None as empty, instants in ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, (list, tuple)):
        return json.dumps(list(value), ensure_ascii=False)
    return str(value)


def _encode(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], fmt: Format) -> bytes:
    if fmt == "jsonl":
        return "".join(json.dumps({c: r[c] for c in columns}, ensure_ascii=False,
                                  sort_keys=True) + "\n" for r in rows).encode()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([[_cell(r[c]) for c in columns] for r in rows])
    return out.getvalue().encode()


def _tables(store: GraphStore) -> dict[str, tuple[list[str], list[dict[str, Any]]]]:
    events = [e.model_dump(mode="json") for e in store.audit_events(1)]
    versions = sorted(store.find_versions(VersionQuery()),
                      key=lambda v: (v.recorded_at, v.version_id))
    version_rows = []
    for v in versions:
        row = v.model_dump(mode="json")
        row["episode_ids"] = list(v.episode_ids)
        version_rows.append(row)
    wanted = sorted({i for v in versions for i in v.episode_ids})
    episodes = {}
    for start in range(0, len(wanted), _EPISODE_CHUNK):
        episodes.update({e.id: e for e in store.get_episodes(wanted[start:start + _EPISODE_CHUNK])})
    sources = [{"version_id": v.version_id, "episode_id": i,
                "conversation_id": episodes[i].conversation_id if i in episodes else None,
                "speaker": episodes[i].speaker if i in episodes else None,
                "occurred_at": isoformat(episodes[i].occurred_at) if i in episodes else None,
                "ingested_at": (isoformat(episodes[i].ingested_at)
                                if i in episodes and episodes[i].ingested_at else None)}
               for v in versions for i in v.episode_ids]
    event_columns = list(events[0]) if events else ["seq"]
    version_columns = list(version_rows[0]) if version_rows else ["version_id"]
    source_columns = ["version_id", "episode_id", "conversation_id", "speaker", "occurred_at",
                      "ingested_at"]
    return {"events": (event_columns, events), "versions": (version_columns, version_rows),
            "sources": (source_columns, sources)}


def _signed_text(manifest: Mapping[str, Any]) -> bytes:
    return canonical_json({k: v for k, v in manifest.items() if k != "signature"}).encode()


def export_history(store: GraphStore, directory: Path, fmt: Format) -> dict[str, Any]:
    """Write the tenant's history into ``directory`` (created; must not hold an export) and
    return the manifest, signed when the store has its audit key."""
    if fmt not in ("csv", "jsonl"):
        raise InvalidInputError(f"format: {fmt!r}; use csv or jsonl")
    if (directory / MANIFEST).exists():
        raise InvalidInputError(f"{directory} already holds an export; choose another folder")
    tables = _tables(store)
    directory.mkdir(parents=True, exist_ok=True)
    files = {}
    for name in TABLES:
        columns, rows = tables[name]
        data = _encode(rows, columns, fmt)
        (directory / f"{name}.{fmt}").write_bytes(data)
        files[f"{name}.{fmt}"] = {"sha256": hashlib.sha256(data).hexdigest(), "rows": len(rows)}
    events = tables["events"][1]
    manifest: dict[str, Any] = {
        "tenant": store.tenant, "format": fmt, "files": files,
        "head": {"seq": events[-1]["seq"], "hash": events[-1]["hash"]} if events else None,
        "key_id": key_id(store.audit_key) if store.audit_key else None, "signature": None}
    if store.audit_key:
        manifest["signature"] = hmac.new(store.audit_key, _signed_text(manifest),
                                         hashlib.sha256).hexdigest()
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


@dataclass(frozen=True, slots=True)
class ExportCheck:
    ok: bool
    signed: bool
    problem: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "signed": self.signed, "problem": self.problem}


def verify_export(directory: Path, keys: Sequence[bytes]) -> ExportCheck:
    """Check an export: every file the manifest lists has its hash, no listed file is missing,
    and, with ``keys``, the manifest's signature holds under the key its key id names."""
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
        files = manifest["files"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InvalidInputError(f"{directory}: no readable {MANIFEST} ({exc})") from None
    signed = manifest.get("signature") is not None
    for name, entry in sorted(files.items()):
        path = directory / name
        if Path(name).name != name or not path.is_file():
            return ExportCheck(False, signed, f"{name}: listed in the manifest but missing")
        if hashlib.sha256(path.read_bytes()).hexdigest() != entry.get("sha256"):
            return ExportCheck(False, signed, f"{name}: its SHA-256 is not the manifest's "
                               "(the file was edited)")
    if not keys:
        return ExportCheck(True, signed, None if not signed else
                           "the manifest's signature was not checked (no audit key given)")
    if not signed:
        return ExportCheck(False, False, "the manifest is not signed, but an audit key was "
                           "given (exported without the key, or its signature was stripped)")
    key = keyring(keys).get(str(manifest.get("key_id")))
    if key is None:
        return ExportCheck(False, True, f"the manifest was signed with key id "
                           f"{manifest.get('key_id')}, and no given key has that id")
    expected = hmac.new(key, _signed_text(manifest), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, str(manifest["signature"])):
        return ExportCheck(False, True, "the manifest's signature is wrong (the manifest was "
                           "edited or forged)")
    return ExportCheck(True, True)
