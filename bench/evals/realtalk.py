"""The REALTALK layout for ``asof eval locomo --format realtalk``: one JSON file per chat (or
a folder of them), read into the conversations and question lists the LoCoMo evaluation
scores.

A chat file holds ``session_N`` lists of messages (``speaker``, ``clean_text``, ``dia_id``,
optionally a message's own ``date_time``), ``session_N_date_time`` as ``"29.12.2023,
22:42:04"`` (day first, naive: the zone is ``--assume-tz``), and ``qa``: questions with
``answer``, ``evidence`` (dia ids) and ``category`` (2 = temporal, as in LoCoMo). Messages
without a time of their own follow their session's time 30 s apart, as LoCoMo turns do.
A message whose ``clean_text`` is empty (a shared image without words) is skipped; a question
citing it counts its evidence as unknown (reported, never dropped).
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from asof.extraction.readers import Conversation, Message
from asof.graph.errors import InvalidInputError
from asof.graph.models import Role

__all__ = ["read_realtalk"]

_TIME = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4}),\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$")
_SPACING = timedelta(seconds=30)


def _time(value: Any, where: str, zone: ZoneInfo) -> datetime:
    match = _TIME.match(value) if isinstance(value, str) else None
    if match is None:
        raise InvalidInputError(f"{where}: {value!r} is not a REALTALK time like "
                                "'29.12.2023, 22:42:04'")
    day, month, year, hour, minute, second = (int(g or 0) for g in match.groups())
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=zone)
    except ValueError as exc:
        raise InvalidInputError(f"{where}: {exc}") from None


def _chat(path: Path, zone: ZoneInfo) -> tuple[Conversation, dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInputError(f"{path}: not a REALTALK chat file ({exc})") from exc
    if not isinstance(data, dict):
        raise InvalidInputError(f"{path}: a REALTALK chat file holds one JSON object")
    sessions = sorted(int(k.split("_")[1]) for k in data
                      if re.fullmatch(r"session_\d+", k) and isinstance(data[k], list))
    if not sessions:
        raise InvalidInputError(f"{path}: no session_N lists")
    messages: list[Message] = []
    for number in sessions:
        start = _time(data.get(f"session_{number}_date_time"),
                      f"{path}: session_{number}_date_time", zone)
        for index, turn in enumerate(data[f"session_{number}"]):
            where = f"{path}: session_{number}[{index}]"
            if not isinstance(turn, dict) or not isinstance(turn.get("speaker"), str):
                raise InvalidInputError(f"{where}: a message needs a speaker")
            text = " ".join(str(turn.get("clean_text") or "").split())
            if not text:
                continue
            at = _time(turn["date_time"], f"{where}.date_time", zone) \
                if turn.get("date_time") else start + _SPACING * index
            messages.append(Message(speaker=turn["speaker"], role=Role.USER, at=at, text=text,
                                    id=None if turn.get("dia_id") is None
                                    else str(turn["dia_id"])))
    qa = data.get("qa", [])
    if not isinstance(qa, list):
        raise InvalidInputError(f"{path}: qa must be a list")
    return Conversation(path.stem, messages), {"qa": qa}


def read_realtalk(path: str | Path, *, assume_tz: str) -> tuple[list[Conversation],
                                                               list[dict[str, Any]]]:
    """Conversations and their samples (``{"qa": [...]}``, in the same order) from one chat
    file or every ``*.json`` in a folder (sorted by name)."""
    try:
        zone = ZoneInfo(assume_tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidInputError(f"assume_tz: {assume_tz!r} is not a zoneinfo name") from exc
    path = Path(path)
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    if not files:
        raise InvalidInputError(f"{path}: no REALTALK chat files (*.json)")
    chats = [_chat(f, zone) for f in files]
    return [c for c, _ in chats], [s for _, s in chats]
