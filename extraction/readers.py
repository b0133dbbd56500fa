"""Readers: conversation files → :class:`Conversation` objects (validated, nothing partial).

Supported inputs:

- JSON Lines of messages ``{id?, conversation_id?, speaker, role, at, text}``;
- OpenAI-style chat JSON: ``[{"role", "content", ...}]`` (or ``{"messages": [...]}``) with a
  timestamp field per message or a ``start`` time and a spacing;
- plain transcripts: ``Name: text`` lines under session date headers (``# 2024-03-05T09:00+01:00``,
  ``Date: 2024-03-05 09:00``, ``--- 2024-03-05 ---``);
- the gold format of ``shared/eval/FORMAT.md``;
- LoCoMo (``session_N_date_time`` such as "1:56 pm on 8 May, 2023", naive: a zone is required).

Every reader validates the whole file before returning anything; the first problem raises
:class:`InputFileError` naming the file, the line and the field. Naive timestamps are rejected
unless the caller passes ``assume_tz`` (a zoneinfo name): asof never assumes UTC silently.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from asof.graph import ids
from asof.graph.errors import InvalidInputError
from asof.graph.instants import require_aware
from asof.graph.models import MAX_TEXT_CHARS, Episode, Role

__all__ = [
    "Conversation", "InputFileError", "Message", "read_conversations", "read_gold",
    "read_jsonl", "read_locomo", "read_openai_chat", "read_transcript",
]


class InputFileError(InvalidInputError):
    """A conversation file failed validation; nothing from it was returned."""

    def __init__(self, path: str | Path, line: int | None, field: str, problem: str) -> None:
        self.path = str(path)
        self.line = line
        self.field = field
        self.problem = problem
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {field}: {problem}")


@dataclass(frozen=True, slots=True)
class Message:
    speaker: str
    role: Role
    at: datetime
    text: str
    id: str | None = None
    line: int | None = None
    #: what came with the message without being said, e.g. a shared image's caption. The
    #: episode's text carries it after the spoken text ("[image: …]", searchable); extraction
    #: reads the spoken text only, so no fact is drawn from it and evidence offsets stay in it.
    caption: str | None = None


@dataclass(slots=True)
class Conversation:
    id: str
    messages: list[Message] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)

    def episodes(self, tenant: str) -> list[Episode]:
        """One immutable :class:`Episode` per message (ids: the message id or a content hash).
        A caption follows the spoken text as ``"\n[image: …]"``; ``metadata`` keeps it and the
        spoken text's length (``spoken_chars``)."""
        return [
            Episode.create(tenant=tenant, speaker=m.speaker, occurred_at=m.at,
                           text=m.text if m.caption is None
                           else f"{m.text}\n[image: {m.caption}]",
                           conversation_id=self.id, role=m.role,
                           id=ids.message_episode_id(self.id, m.id) if m.id else None,
                           metadata=None if m.caption is None
                           else {"image_caption": m.caption, "spoken_chars": len(m.text)})
            for m in self.messages
        ]


# ----------------------------------------------------------------------------- shared checks

def _zone(assume_tz: str | None) -> tzinfo | None:
    if assume_tz is None:
        return None
    try:
        return ZoneInfo(assume_tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidInputError(
            f"assume_tz: {assume_tz!r} is not a zoneinfo name (e.g. Europe/Berlin, UTC)"
        ) from exc


def _instant(value: Any, path: str | Path, line: int | None, fieldname: str,
             zone: tzinfo | None) -> datetime:
    if isinstance(value, bool) or value is None:
        raise InputFileError(path, line, fieldname, "a timestamp is required")
    if isinstance(value, int | float):
        # Unix epoch seconds denote an absolute instant.
        try:
            return datetime.fromtimestamp(float(value), tz=UTC)
        except (OverflowError, OSError, ValueError):  # NaN, inf, beyond year 9999
            raise InputFileError(path, line, fieldname,
                                 f"{value!r} is not a valid Unix timestamp (seconds since "
                                 "1970-01-01 UTC, within years 1 to 9999)") from None
    if not isinstance(value, str):
        raise InputFileError(path, line, fieldname, f"expected an ISO 8601 string, got {value!r}")
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise InputFileError(path, line, fieldname,
                             f"{value!r} is not an ISO 8601 timestamp "
                             "(e.g. 2024-03-01T09:00:00+01:00)") from None
    return _aware(parsed, value, path, line, fieldname, zone)


def _aware(parsed: datetime, raw: Any, path: str | Path, line: int | None, fieldname: str,
           zone: tzinfo | None) -> datetime:
    if parsed.tzinfo is not None and parsed.utcoffset() is not None:
        return _in_range(parsed, raw, path, line, fieldname)
    if zone is None:
        raise InputFileError(
            path, line, fieldname,
            f"{raw!r} has no timezone offset; asof never assumes UTC: give an offset "
            "(e.g. 2024-03-01T09:00:00+01:00) or pass assume_tz (--assume-tz Europe/Berlin)")
    return _in_range(parsed.replace(tzinfo=zone), raw, path, line, fieldname)


def _in_range(value: datetime, raw: Any, path: str | Path, line: int | None,
              fieldname: str) -> datetime:
    try:
        require_aware(value, fieldname)
    except InvalidInputError as exc:
        raise InputFileError(path, line, fieldname, f"{raw!r}: {exc}") from None
    return value


def _text(value: Any, path: str | Path, line: int | None, fieldname: str) -> str:
    if not isinstance(value, str):
        raise InputFileError(path, line, fieldname, "must be a string")
    if not value.strip():
        raise InputFileError(path, line, fieldname, "must not be empty")
    if len(value) > MAX_TEXT_CHARS:
        raise InputFileError(path, line, fieldname,
                             f"longer than {MAX_TEXT_CHARS} characters")
    for ch in value:
        if ord(ch) < 32 and ch not in "\t\n\r":
            raise InputFileError(path, line, fieldname,
                                 f"control character U+{ord(ch):04X} is not allowed")
    return value


def _role(value: Any, path: str | Path, line: int | None, fieldname: str) -> Role:
    if value is None:
        return Role.USER
    try:
        return Role(str(value).lower())
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise InputFileError(path, line, fieldname,
                             f"{value!r} is not a role ({allowed})") from None


def _speaker(value: Any, path: str | Path, line: int | None, fieldname: str) -> str:
    text = _text(value, path, line, fieldname).strip()
    if "\n" in text or len(text) > 300:
        raise InputFileError(path, line, fieldname, "must be one line of at most 300 characters")
    return text


def _load_json(path: Path) -> tuple[str, Any]:
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(path, None, "file", f"cannot read: {exc}") from exc
    try:
        return raw, json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputFileError(path, exc.lineno, "json", exc.msg) from None


def _item_lines(raw: str, key: str | None) -> list[int]:
    """Line numbers of the items of the top-level array (or of the array under ``key``), so
    errors in a JSON document can name a line. Best effort: [] when the layout is unusual."""
    decoder = json.JSONDecoder()
    index = 0
    if key is not None:
        found = re.search(rf'"{re.escape(key)}"\s*:\s*\[', raw)
        if found is None:
            return []
        index = found.end()
    else:
        found = re.match(r"\s*\[", raw)
        if found is None:
            return []
        index = found.end()
    lines: list[int] = []
    while True:
        while index < len(raw) and raw[index] in " \t\r\n,":
            index += 1
        if index >= len(raw) or raw[index] == "]":
            return lines
        lines.append(raw.count("\n", 0, index) + 1)
        try:
            _, index = decoder.raw_decode(raw, index)
        except json.JSONDecodeError:
            return lines


def _line(lines: list[int], index: int) -> int | None:
    return lines[index] if index < len(lines) else None


# ----------------------------------------------------------------------------- JSON Lines

def read_jsonl(path: str | Path, *, assume_tz: str | None = None,
               conversation_id: str | None = None) -> list[Conversation]:
    """Messages ``{id?, conversation_id?, speaker, role, at, text}``, one JSON object a line,
    grouped into conversations (by ``conversation_id``, else one named after the file)."""
    path = Path(path)
    zone = _zone(assume_tz)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(path, None, "file", f"cannot read: {exc}") from exc
    default_id = conversation_id or path.stem
    conversations: dict[str, Conversation] = {}
    seen_ids: dict[tuple[str, str], int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputFileError(path, number, "json", exc.msg) from None
        if not isinstance(data, dict):
            raise InputFileError(path, number, "message", "each line must be a JSON object")
        unknown = set(data) - {"id", "conversation_id", "speaker", "role", "at", "text",
                               "metadata"}
        if unknown:
            raise InputFileError(path, number, sorted(unknown)[0], "unknown field")
        conv = data.get("conversation_id") or default_id
        if not isinstance(conv, str):
            raise InputFileError(path, number, "conversation_id", "must be a string")
        message = Message(
            speaker=_speaker(data.get("speaker"), path, number, "speaker"),
            role=_role(data.get("role"), path, number, "role"),
            at=_instant(data.get("at"), path, number, "at", zone),
            text=_text(data.get("text"), path, number, "text"),
            id=None if data.get("id") is None else str(data["id"]),
            line=number,
        )
        if message.id is not None:
            first = seen_ids.setdefault((conv, message.id), number)
            if first != number:
                raise InputFileError(path, number, "id",
                                     f"{message.id!r} repeats the id of line {first}")
        conversations.setdefault(conv, Conversation(conv)).messages.append(message)
    if not conversations:
        raise InputFileError(path, None, "messages", "the file holds no messages")
    return list(conversations.values())


# ----------------------------------------------------------------------------- OpenAI chat

_TS_FIELDS = ("at", "timestamp", "created_at", "time", "date", "created")


def read_openai_chat(path: str | Path, *, start: datetime | None = None,
                     spacing: timedelta = timedelta(seconds=30), assume_tz: str | None = None,
                     user_name: str = "user", assistant_name: str = "assistant",
                     conversation_id: str | None = None) -> Conversation:
    """``[{"role", "content", "name"?, <timestamp>?}]`` (or ``{"messages": [...]}``).

    Each message needs a timestamp field (``at``, ``timestamp``, ``created_at``…) unless
    ``start`` is given: then message *i* is at ``start + i * spacing``. System messages are
    skipped. Content may be a string or a list of ``{"type": "text", "text": …}`` parts."""
    path = Path(path)
    zone = _zone(assume_tz)
    if start is not None:
        start = _aware(start, start, path, None, "start", zone)
    raw, data = _load_json(path)
    key = None
    if isinstance(data, dict) and isinstance(data.get("messages"), list):
        key, data = "messages", data["messages"]
    if not isinstance(data, list):
        raise InputFileError(path, 1, "messages", "expected a JSON array of chat messages")
    lines = _item_lines(raw, key)
    messages: list[Message] = []
    for index, item in enumerate(data):
        line = _line(lines, index)
        where = f"messages[{index}]"
        if not isinstance(item, dict):
            raise InputFileError(path, line, where, "must be an object")
        role = _role(item.get("role"), path, line, f"{where}.role")
        if role is Role.SYSTEM:
            continue
        content = item.get("content")
        if isinstance(content, list):
            content = " ".join(str(p.get("text", "")) for p in content
                               if isinstance(p, dict) and p.get("type") == "text")
        text = _text(content, path, line, f"{where}.content")
        stamp_field = next((f for f in _TS_FIELDS if item.get(f) is not None), None)
        if stamp_field is not None:
            at = _instant(item[stamp_field], path, line, f"{where}.{stamp_field}", zone)
        elif start is not None:
            at = start + spacing * index
        else:
            raise InputFileError(path, line, f"{where}.timestamp",
                                 "no timestamp field (at, timestamp, created_at) and no start "
                                 "time given: pass start (--start 2024-03-01T09:00+01:00)")
        default = assistant_name if role is Role.ASSISTANT else user_name
        speaker = _speaker(item.get("name") or default, path, line, f"{where}.name")
        messages.append(Message(speaker, role, at, text,
                                id=None if item.get("id") is None else str(item["id"]),
                                line=line))
    if not messages:
        raise InputFileError(path, None, "messages", "the file holds no messages")
    return Conversation(conversation_id or path.stem, messages)


# ----------------------------------------------------------------------------- transcripts

_HEADER = re.compile(r"^\s*(?:#+|-{3,}|={3,}|\[)?\s*(?:session(?:\s+\d+)?\s*[:\-–]?|date\s*:)?"
                     r"\s*(?P<stamp>\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?"
                     r"(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)\s*(?:-{3,}|={3,}|\])?\s*$",
                     re.IGNORECASE)
_TURN = re.compile(r"^(?P<name>[^:\n]{1,80}?):\s+(?P<text>.*)$")
_ASSISTANT_NAMES = {"assistant", "ai", "bot", "agent", "system"}


def read_transcript(path: str | Path, *, assume_tz: str | None = None,
                    spacing: timedelta = timedelta(minutes=1),
                    conversation_id: str | None = None) -> Conversation:
    """``Name: text`` lines; a header line carrying a date/time starts a session and gives the
    time of its first message (the next ones follow ``spacing`` apart). Lines without a
    ``Name:`` prefix continue the previous message."""
    path = Path(path)
    zone = _zone(assume_tz)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(path, None, "file", f"cannot read: {exc}") from exc
    session: datetime | None = None
    count = 0
    pending: list[list[Any]] = []  # [speaker, text, at, line]
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        header = _HEADER.match(line)
        if header:
            stamp = header.group("stamp").replace(" ", "T", 1).replace("T+", "+")
            stamp = re.sub(r"T(?=[+-]|Z)", "", stamp).strip()
            session = _instant(stamp.replace(" ", ""), path, number, "session date", zone)
            count = 0
            continue
        turn = _TURN.match(line)
        if turn is None:
            if not pending:
                raise InputFileError(path, number, "speaker",
                                     "expected 'Name: text' (or a session date header first)")
            pending[-1][1] += "\n" + line.strip()
            continue
        if session is None:
            raise InputFileError(path, number, "session date",
                                 "a message before any session date header "
                                 "(e.g. '# 2024-03-05T09:00:00+01:00')")
        speaker = _speaker(turn.group("name"), path, number, "speaker")
        pending.append([speaker, turn.group("text"), session + spacing * count, number])
        count += 1
    messages = []
    for speaker, text, at, number in pending:
        role = Role.ASSISTANT if speaker.lower() in _ASSISTANT_NAMES else Role.USER
        messages.append(Message(speaker, role, at, _text(text, path, number, "text"),
                                id=f"l{number}", line=number))
    if not messages:
        raise InputFileError(path, None, "messages", "the file holds no messages")
    return Conversation(conversation_id or path.stem, messages)


# ----------------------------------------------------------------------------- gold format

def read_gold(path: str | Path) -> Conversation:
    """A gold conversation of ``shared/eval/FORMAT.md`` (messages only; the evaluation reads the
    facts). ``metadata`` keeps ``aliases`` and ``description``."""
    path = Path(path)
    raw, data = _load_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
        raise InputFileError(path, 1, "messages", "expected an object with a 'messages' array")
    lines = _item_lines(raw, "messages")
    messages: list[Message] = []
    for index, item in enumerate(data["messages"]):
        line = _line(lines, index)
        where = f"messages[{index}]"
        if not isinstance(item, dict):
            raise InputFileError(path, line, where, "must be an object")
        messages.append(Message(
            speaker=_speaker(item.get("speaker"), path, line, f"{where}.speaker"),
            role=_role(item.get("role"), path, line, f"{where}.role"),
            at=_instant(item.get("at"), path, line, f"{where}.at", None),
            text=_text(item.get("text"), path, line, f"{where}.text"),
            id=None if item.get("id") is None else str(item["id"]),
            line=line,
        ))
    aliases = data.get("aliases") or {}
    if not isinstance(aliases, dict):
        raise InputFileError(path, None, "aliases", "must be an object of name → [aliases]")
    conv_id = str(data.get("id") or path.stem)
    return Conversation(conv_id, messages,
                        {"aliases": aliases, "description": data.get("description", "")})


# ----------------------------------------------------------------------------- LoCoMo

_LOCOMO_TIME = re.compile(
    r"^\s*(?P<h>\d{1,2}):(?P<m>\d{2})\s*(?P<ampm>am|pm)\s+on\s+(?P<d>\d{1,2})\s+"
    r"(?P<mon>[A-Za-z]+),?\s+(?P<y>\d{4})\s*$", re.IGNORECASE)
_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}


def _locomo_time(value: Any, path: Path, fieldname: str, zone: tzinfo) -> datetime:
    match = _LOCOMO_TIME.match(value) if isinstance(value, str) else None
    month = _MONTHS.get(match.group("mon").lower()) if match else None
    if match is None or month is None:
        raise InputFileError(path, None, fieldname,
                             f"{value!r} is not a LoCoMo time like '1:56 pm on 8 May, 2023'")
    hour = int(match.group("h")) % 12 + (12 if match.group("ampm").lower() == "pm" else 0)
    try:
        return datetime(int(match.group("y")), month, int(match.group("d")), hour,
                        int(match.group("m")), tzinfo=zone)
    except ValueError as exc:
        raise InputFileError(path, None, fieldname, str(exc)) from None


def _caption(value: Any, path: Path, line: int | None, fieldname: str) -> str | None:
    """An image turn's ``blip_caption`` (the image's description, not the speaker's words).
    LoCoMo's ``query`` (the words the image was searched with) is not kept: it is how the
    data set was made, not something the conversation shows."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputFileError(path, line, fieldname, "must be a string")
    caption = " ".join(value.split())
    return caption or None


def read_locomo(path: str | Path, *, assume_tz: str,
                spacing: timedelta = timedelta(seconds=30)) -> list[Conversation]:
    """LoCoMo samples. Its session times are naive, so ``assume_tz`` (a zoneinfo name) is
    required: the reader never guesses a zone. Both speakers are users. An image turn keeps
    its ``blip_caption`` as the message's caption (see :class:`Message`)."""
    path = Path(path)
    zone = _zone(assume_tz)
    if zone is None:
        raise InvalidInputError("read_locomo: assume_tz is required (LoCoMo times are naive)")
    raw, data = _load_json(path)
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise InputFileError(path, 1, "samples", "expected a list of LoCoMo samples")
    lines = _item_lines(raw, None)
    result: list[Conversation] = []
    for index, sample in enumerate(data):
        line = _line(lines, index)
        conv = sample.get("conversation") if isinstance(sample, dict) else None
        if not isinstance(conv, dict):
            raise InputFileError(path, line, f"[{index}].conversation", "missing")
        sample_id = str(sample.get("sample_id") or f"{path.stem}-{index}")
        sessions = sorted(
            int(k.split("_")[1]) for k in conv
             if re.fullmatch(r"session_\d+", k) and isinstance(conv[k], list))
        messages: list[Message] = []
        for number in sessions:
            fieldname = f"[{index}].conversation.session_{number}_date_time"
            at = _locomo_time(conv.get(f"session_{number}_date_time"), path, fieldname, zone)
            for turn_index, turn in enumerate(conv[f"session_{number}"]):
                where = f"[{index}].conversation.session_{number}[{turn_index}]"
                if not isinstance(turn, dict):
                    raise InputFileError(path, line, where, "must be an object")
                messages.append(Message(
                    speaker=_speaker(turn.get("speaker"), path, line, f"{where}.speaker"),
                    role=Role.USER,
                    at=at + spacing * turn_index,
                    text=_text(turn.get("text"), path, line, f"{where}.text"),
                    id=None if turn.get("dia_id") is None else str(turn["dia_id"]),
                    line=line,
                    caption=_caption(turn.get("blip_caption"), path, line,
                                     f"{where}.blip_caption"),
                ))
        result.append(Conversation(sample_id, messages))
    return result


# ----------------------------------------------------------------------------- dispatch

def sniff_format(path: str | Path) -> str:
    """``jsonl``, ``openai``, ``transcript``, ``gold`` or ``locomo`` from the name/content."""
    path = Path(path)
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        return "jsonl"
    if path.suffix.lower() in (".txt", ".md", ".log"):
        return "transcript"
    try:
        head = path.read_text(encoding="utf-8")[:4096]
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(path, None, "file", f"cannot read: {exc}") from exc
    if re.search(r'"session_\d+_date_time"', head) or re.search(r'"speaker_a"', head):
        return "locomo"
    if re.search(r'"facts"\s*:', head) or re.search(r'"messages"\s*:\s*\[\s*\{\s*"id"', head):
        return "gold"
    if head.lstrip().startswith(("[", "{")):
        return _sniff_json(path)
    return "transcript"


def _sniff_json(path: Path) -> str:
    """A JSON file whose first 4 KiB did not tell (LoCoMo files open with a long "qa" list):
    its structure decides."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return "openai"  # its reader reports the error with a line number
    first = data[0] if isinstance(data, list) and data else data
    if isinstance(first, dict) and isinstance(first.get("conversation"), dict) and \
            "speaker_a" in first["conversation"]:
        return "locomo"
    if isinstance(data, dict) and "facts" in data and "messages" in data:
        return "gold"
    return "openai"


def read_conversations(path: str | Path, *, format: str = "auto",
                       assume_tz: str | None = None,
                       start: datetime | None = None) -> list[Conversation]:
    """Read any supported file into conversations (validated as a whole first)."""
    kind = sniff_format(path) if format == "auto" else format
    if kind == "jsonl":
        return read_jsonl(path, assume_tz=assume_tz)
    if kind == "openai":
        return [read_openai_chat(path, start=start, assume_tz=assume_tz)]
    if kind == "transcript":
        return [read_transcript(path, assume_tz=assume_tz)]
    if kind == "gold":
        return [read_gold(path)]
    if kind == "locomo":
        if assume_tz is None:
            raise InputFileError(path, None, "session_N_date_time",
                                 "LoCoMo times are naive: pass assume_tz (--assume-tz UTC, "
                                 "--assume-tz America/Los_Angeles, …)")
        return read_locomo(path, assume_tz=assume_tz)
    raise InvalidInputError(f"unknown format {format!r}: use jsonl, openai, transcript, gold, "
                            "locomo or auto")


def iter_messages(conversations: Iterable[Conversation]) -> Iterable[Message]:
    for conversation in conversations:
        yield from conversation.messages
