"""Downloads for auditors: an entity's full history (every version on both axes, with its
sources and audit events) as JSON and as CSV, and a snapshot of the graph as GraphML."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from fastapi import APIRouter, Request, Response

from asof.api.ui.pages import Text, optional_instant
from asof.api.ui.render import UiRoute
from asof.api.ui.session import Viewer, Viewing
from asof.graph.instants import isoformat
from asof.query import views

router = APIRouter(prefix="/ui", route_class=UiRoute, include_in_schema=False)

CSV_COLUMNS = ("fact_key", "version_id", "subject", "predicate", "object", "valid_from",
               "valid_to", "valid_from_basis", "recorded_at", "superseded_at", "supersedes",
               "confidence", "extractor", "sources", "quotes", "audit_seqs")
#: A spreadsheet runs a cell that starts with one of these as a formula; names and quotes
#: come from conversations, so such a cell is written with a leading apostrophe.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _attachment(body: str | bytes, media_type: str, filename: str) -> Response:
    return Response(body, media_type=media_type, headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"})


def _history(viewer: Viewer, entity: str) -> tuple[str, list[dict[str, Any]]]:
    found = viewer.store.resolve(entity)
    viewer.about(found.id)
    return found.id, [v.as_dict() for v in views.entity_history(viewer.store, found.id)]


@router.get("/entities/{entity}/history.json")
def history_json(entity: str, viewer: Viewing) -> Response:
    entity_id, versions = _history(viewer, entity)
    body = json.dumps({"tenant": viewer.tenant, "entity_id": entity_id, "versions": versions},
                      ensure_ascii=False, indent=2)
    return _attachment(body, "application/json", f"{entity_id}-history.json")


@router.get("/entities/{entity}/history.csv")
def history_csv(entity: str, viewer: Viewing) -> Response:
    entity_id, versions = _history(viewer, entity)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for v in versions:
        row = {**v, "sources": ";".join(p["episode_id"] for p in v["provenance"]),
               "quotes": " | ".join(p["evidence"] or "" for p in v["provenance"]),
               "audit_seqs": ";".join(str(e["seq"]) for e in v["events"])}
        writer.writerow([_cell(row[c]) for c in CSV_COLUMNS])
    return _attachment(out.getvalue(), "text/csv; charset=utf-8", f"{entity_id}-history.csv")


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


@router.get("/snapshot.graphml")
def snapshot_graphml(request: Request, viewer: Viewing, valid_at: Text = "",
                     known_at: Text = "") -> Response:
    graph = views.snapshot(viewer.store, valid_at=optional_instant(valid_at, "valid_at"),
                           known_at=optional_instant(known_at, "known_at"))
    stamp = (isoformat(optional_instant(valid_at, "valid_at")) or "now").replace(":", "")
    return _attachment(views.snapshot_graphml(graph), "application/graphml+xml",
                       f"{viewer.tenant}-snapshot-{stamp}.graphml")
