"""Gold evaluation: ingest every gold conversation (shared/eval/FORMAT.md) into a fresh store and
score what it ends up believing against the file's facts.

``asof eval gold DIR [--json] [--show-errors]`` (the CLI wires :func:`evaluate_dir` and
:func:`render`; ``python -m api.evaluation DIR`` works meanwhile).

Scores, per file and overall (micro-averaged over facts):

- fact precision / recall / F1: a predicted fact matches a gold fact when subject, predicate
  and object agree after alias normalisation (case-insensitive); facts are matched one to one;
  ``married_to`` is symmetric;
- interval accuracy: of the matched facts, the share whose ``valid_from`` and ``valid_to`` both
  match at the gold granularity (a predicted instant matches ``"2024-03"`` when it falls inside
  March 2024, read in the conversation's own UTC offsets);
- question accuracy: ``None`` until the query layer answers questions.

The final valid-time state comes from the store (``graph.sqlite.SqliteStore``) when it is
importable; until then from :func:`derive_versions`, a direct reading of docs/temporal-model.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from graph.ids import normalize_name
from graph.models import AssertionKind, Basis, Episode, FactAssertion
from graph.predicates import Cardinality, PredicateRegistry, default_registry

TENANT = "eval"


# ----------------------------------------------------------------------------- value types

@dataclass(frozen=True, slots=True)
class PredictedFact:
    subject: str
    predicate: str
    object: str
    valid_from: datetime | None
    valid_to: datetime | None


@dataclass(frozen=True, slots=True)
class GoldFact:
    subject: str
    predicate: str
    object: str
    valid_from: str | None
    valid_to: str | None


@dataclass(slots=True)
class FileScore:
    file: str
    gold: int
    predicted: int
    matched: int
    interval_ok: int
    misses: list[dict[str, Any]] = field(default_factory=list)
    false_positives: list[dict[str, Any]] = field(default_factory=list)
    interval_errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def interval_accuracy(self) -> float:
        return self.interval_ok / self.matched if self.matched else 0.0


# ----------------------------------------------------------------------------- final state

def store_available() -> bool:
    """True once the SQLite adapter exists (then the real write rules are used)."""
    try:
        import graph.sqlite  # noqa: F401
    except ImportError:
        return False
    return True


def final_facts(pairs: Sequence[tuple[Episode, list[FactAssertion]]],
                registry: PredicateRegistry | None = None) -> list[PredictedFact]:
    """The valid-time view after applying every message's assertions, in order."""
    if store_available():
        return _facts_from_store(pairs)
    return [PredictedFact(*v) for v in derive_versions(pairs, registry or default_registry())]


def _facts_from_store(pairs: Sequence[tuple[Episode, list[FactAssertion]]]
                      ) -> list[PredictedFact]:
    from graph.contract import VersionQuery
    from graph.sqlite import SqliteStore  # type: ignore[import-not-found]

    store = SqliteStore.from_url("sqlite:///:memory:", tenant=TENANT)
    try:
        for episode, assertions in pairs:
            store.apply(episode, assertions)
        versions = store.find_versions(VersionQuery(known_at=store.clock.now()))
        return [PredictedFact(v.subject_name or v.subject_id, v.predicate,
                              v.object_name or v.object_value or "", v.valid_from, v.valid_to)
                for v in versions]
    finally:
        store.close()


@dataclass(slots=True)
class _Claim:
    obj: str  # display name
    key: str
    start: datetime | None
    end: datetime | None
    observed: datetime
    order: int
    retraction: bool = False


def derive_versions(pairs: Sequence[tuple[Episode, list[FactAssertion]]],
                    registry: PredicateRegistry
                    ) -> list[tuple[str, str, str, datetime | None, datetime | None]]:
    """Fallback for the store: docs/temporal-model.md applied directly (claims → view)."""
    groups: dict[tuple[str, str], list[_Claim]] = {}
    names: dict[str, str] = {}
    order = 0
    for episode, assertions in pairs:
        for a in assertions:
            order += 1
            subject_key = normalize_name(a.subject.name)
            names.setdefault(subject_key, a.subject.name)
            group = groups.setdefault((subject_key, a.predicate), [])
            obj = a.object.name if a.object is not None else (a.value or "")
            key = normalize_name(obj)
            one = registry.get(a.predicate).cardinality is Cardinality.ONE
            if a.kind is AssertionKind.RETRACT:
                at = a.valid_from or episode.occurred_at
                if not key:
                    if not one:
                        continue
                    held = _view(group, True, at)
                    if not held:
                        continue
                    key, obj = held[0], next(c.obj for c in group if c.key == held[0])
                group.append(_Claim(obj, key, at, None, episode.occurred_at, order, True))
                continue
            start = a.valid_from
            if start is None and a.effective_basis is not Basis.UNKNOWN:
                start = episode.occurred_at
            if a.kind is AssertionKind.CORRECT:
                wrong = a.corrects.name if a.corrects is not None else (
                    a.corrects_value if a.corrects_value is not None else obj)
                wrong_key = normalize_name(wrong)
                versions = [v for v in _versions(group, one) if v[0] == wrong_key]
                if versions:
                    _, v_from, v_to = max(versions, key=lambda v: _sort_start(v[1]))
                    stated_end = next((c.end for c in group if c.key == wrong_key and
                                       not c.retraction and c.start == v_from), None)
                    group[:] = [c for c in group if c.retraction or c.key != wrong_key or
                                not _overlaps(c.start, c.end, v_from, v_to)]
                    new_start = a.valid_from if a.valid_from is not None else v_from
                    new_end = a.valid_to if a.valid_to is not None else stated_end
                    if new_start is not None and new_end is not None and new_end <= new_start:
                        new_end = None
                    group.append(_Claim(obj, key, new_start, new_end, episode.occurred_at,
                                        order))
                    continue
            group.append(_Claim(obj, key, start, a.valid_to, episode.occurred_at, order))
    result = []
    for (subject_key, predicate), group in groups.items():
        one = registry.get(predicate).cardinality is Cardinality.ONE
        for key, v_from, v_to in _versions(group, one):
            display = next(c.obj for c in group if c.key == key)
            result.append((names[subject_key], predicate, display, v_from, v_to))
    return result


def _sort_start(value: datetime | None) -> datetime:
    return value if value is not None else datetime.min.replace(tzinfo=UTC)


def _overlaps(a_from: datetime | None, a_to: datetime | None, b_from: datetime | None,
              b_to: datetime | None) -> bool:
    lo_ok = a_to is None or b_from is None or b_from < a_to
    hi_ok = b_to is None or a_from is None or a_from < b_to
    return lo_ok and hi_ok


def _view(group: list[_Claim], one: bool, t: datetime | None) -> list[str]:
    """Objects holding at ``t`` (None = the unbounded past)."""
    def le(x: datetime | None, y: datetime | None) -> bool:  # x <= y with None = -inf
        return x is None or (y is not None and x <= y)

    assertions = sorted((c for c in group if not c.retraction),
                        key=lambda c: (c.start is not None, _sort_start(c.start), c.observed,
                                       c.order))
    retractions = [c for c in group if c.retraction]

    def alive(c: _Claim) -> bool:
        if c.end is not None and t is not None and t >= c.end:
            return False
        for r in retractions:
            if r.key == c.key and le(r.start, t) and (c.start is None or
                                                      (r.start is not None and
                                                       r.start > c.start)):
                return False
        return True

    active = [c for c in assertions if le(c.start, t)]
    if one:
        return [active[-1].key] if active and alive(active[-1]) else []
    return sorted({c.key for c in active if alive(c)})


def _versions(group: list[_Claim], one: bool
              ) -> list[tuple[str, datetime | None, datetime | None]]:
    points = sorted({p for c in group for p in (c.start, c.end) if p is not None})
    bounds: list[datetime | None] = [None, *points]
    runs: dict[str, datetime | None] = {}
    out: list[tuple[str, datetime | None, datetime | None]] = []
    previous: set[str] = set()
    for t in bounds:
        now = set(_view(group, one, t))
        for key in previous - now:
            out.append((key, runs.pop(key), t))
        for key in now - previous:
            runs[key] = t
        previous = now
    for key in previous:
        out.append((key, runs[key], None))
    return out


# ----------------------------------------------------------------------------- scoring

def _alias_map(aliases: dict[str, list[str]]) -> dict[str, str]:
    table: dict[str, str] = {}
    for canonical, others in aliases.items():
        key = normalize_name(canonical)
        table[key] = key
        for alias in others:
            table.setdefault(normalize_name(alias), key)
    return table


def _canon(name: str, table: dict[str, str]) -> str:
    key = normalize_name(name)
    return table.get(key, key)


def _period(text: str, offset: timedelta) -> tuple[datetime, datetime]:
    tz = timezone(offset)
    if len(text) == 4:
        year = int(text)
        return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)
    if len(text) == 7:
        year, month = int(text[:4]), int(text[5:7])
        end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
        return datetime(year, month, 1, tzinfo=tz), end
    if len(text) == 10:
        day = date.fromisoformat(text)
        start = datetime(day.year, day.month, day.day, tzinfo=tz)
        return start, start + timedelta(days=1)
    instant = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return instant, instant + timedelta(microseconds=1)


def date_matches(predicted: datetime | None, gold: str | None,
                 offsets: Iterable[timedelta]) -> bool:
    """Granularity-aware: the predicted instant lies inside the gold period (in one of the
    conversation's UTC offsets); None only matches None."""
    if gold is None or predicted is None:
        return gold is None and predicted is None
    for offset in offsets:
        start, end = _period(gold, offset)
        if start <= predicted < end:
            return True
    return False


def score_file(name: str, gold: list[GoldFact], predicted: list[PredictedFact],
               aliases: dict[str, list[str]], offsets: set[timedelta]) -> FileScore:
    table = _alias_map(aliases)

    def key(subject: str, predicate: str, obj: str) -> tuple[str, str, str]:
        s, o = _canon(subject, table), _canon(obj, table)
        if predicate == "married_to" and o < s:
            s, o = o, s
        return s, predicate, o

    gold_by: dict[tuple[str, str, str], list[GoldFact]] = {}
    for g in gold:
        gold_by.setdefault(key(g.subject, g.predicate, g.object), []).append(g)
    pred_by: dict[tuple[str, str, str], list[PredictedFact]] = {}
    for p in predicted:
        pred_by.setdefault(key(p.subject, p.predicate, p.object), []).append(p)
    result = FileScore(name, len(gold), len(predicted), 0, 0)
    offs = sorted(offsets) or [timedelta(0)]
    for k in sorted(set(gold_by) | set(pred_by)):
        gs, ps = list(gold_by.get(k, [])), list(pred_by.get(k, []))
        # one to one: pair interval-exact matches first
        for g in list(gs):
            hit = next((p for p in ps if date_matches(p.valid_from, g.valid_from, offs) and
                        date_matches(p.valid_to, g.valid_to, offs)), None)
            if hit is not None:
                gs.remove(g)
                ps.remove(hit)
                result.matched += 1
                result.interval_ok += 1
        for g, p in zip(list(gs), list(ps), strict=False):
            gs.remove(g)
            ps.remove(p)
            result.matched += 1
            result.interval_errors.append({
                "fact": list(k), "gold": [g.valid_from, g.valid_to],
                "predicted": [_iso(p.valid_from), _iso(p.valid_to)]})
        for g in gs:
            result.misses.append({"fact": [g.subject, g.predicate, g.object],
                                  "interval": [g.valid_from, g.valid_to]})
        for p in ps:
            result.false_positives.append({"fact": [p.subject, p.predicate, p.object],
                                           "interval": [_iso(p.valid_from),
                                                        _iso(p.valid_to)]})
    return result


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


# ----------------------------------------------------------------------------- running

def load_gold(path: Path) -> tuple[list[GoldFact], dict[str, list[str]]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    facts = [GoldFact(f["subject"], f["predicate"], f["object"], f.get("valid_from"),
                      f.get("valid_to")) for f in data.get("facts", [])]
    return facts, data.get("aliases") or {}


def evaluate_dir(directory: str | Path, *, pipeline: Any = None) -> dict[str, Any]:
    """Score every ``*.json`` gold conversation in ``directory``."""
    from extraction import Pipeline, read_gold

    directory = Path(directory)
    files = sorted(p for p in directory.glob("*.json"))
    if not files:
        from graph.errors import InvalidInputError

        raise InvalidInputError(f"{directory}: no gold conversations (*.json) found")
    pipeline = pipeline or Pipeline(TENANT)
    scores: list[FileScore] = []
    for path in files:
        conversation = read_gold(path)
        gold, aliases = load_gold(path)
        pairs = pipeline.extract(conversation)
        predicted = final_facts(pairs, pipeline.registry)
        offsets = {m.at.utcoffset() or timedelta(0) for m in conversation.messages}
        scores.append(score_file(path.stem, gold, predicted, aliases, offsets))
    return summarise(scores)


def summarise(scores: list[FileScore]) -> dict[str, Any]:
    total = FileScore("overall", sum(s.gold for s in scores), sum(s.predicted for s in scores),
                      sum(s.matched for s in scores), sum(s.interval_ok for s in scores))
    return {
        "files": [{
            "file": s.file, "gold": s.gold, "predicted": s.predicted, "matched": s.matched,
            "fact_precision": round(s.precision, 4), "fact_recall": round(s.recall, 4),
            "fact_f1": round(s.f1, 4), "interval_accuracy": round(s.interval_accuracy, 4),
            "misses": s.misses, "false_positives": s.false_positives,
            "interval_errors": s.interval_errors,
        } for s in scores],
        "fact_precision": round(total.precision, 4),
        "fact_recall": round(total.recall, 4),
        "fact_f1": round(total.f1, 4),
        "interval_accuracy": round(total.interval_accuracy, 4),
        "question_accuracy": None,
        "backend": "sqlite" if store_available() else "derived",
    }


def render(report: dict[str, Any], *, show_errors: bool = False) -> str:
    lines = [f"{'file':<10} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6} {'F1':>6} {'int':>6}"]
    for f in report["files"]:
        lines.append(f"{f['file']:<10} {f['gold']:>5} {f['predicted']:>5} "
                     f"{f['fact_precision']:>6.3f} {f['fact_recall']:>6.3f} "
                     f"{f['fact_f1']:>6.3f} {f['interval_accuracy']:>6.3f}")
        if show_errors:
            for miss in f["misses"]:
                lines.append(f"    MISS {' | '.join(miss['fact'])}  {miss['interval']}")
            for fp in f["false_positives"]:
                lines.append(f"    FP   {' | '.join(fp['fact'])}  {fp['interval']}")
            for err in f["interval_errors"]:
                lines.append(f"    INT  {' | '.join(err['fact'])}  gold {err['gold']} "
                             f"got {err['predicted']}")
    q = report["question_accuracy"]
    lines.append(f"overall: fact P {report['fact_precision']:.3f}  R {report['fact_recall']:.3f}"
                 f"  F1 {report['fact_f1']:.3f}  interval accuracy "
                 f"{report['interval_accuracy']:.3f}  question accuracy "
                 f"{'n/a' if q is None else f'{q:.3f}'}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="asof eval gold",
                                     description="Score extraction against gold conversations")
    parser.add_argument("directory")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--show-errors", action="store_true",
                        help="list misses, false positives and interval errors")
    args = parser.parse_args(argv)
    report = evaluate_dir(args.directory)
    if args.json:
        if not args.show_errors:
            for f in report["files"]:
                f.pop("misses"), f.pop("false_positives"), f.pop("interval_errors")
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print(render(report, show_errors=args.show_errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
