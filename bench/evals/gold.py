"""Gold evaluation: ingest every gold conversation (shared/eval/FORMAT.md) into a fresh store and
score what it ends up believing against the file's facts.

``asof eval gold DIR [--json] [--show-errors]`` (the CLI wires :func:`evaluate_dir` and
:func:`render`; ``python -m bench.evals.gold DIR`` works meanwhile).

Scores, per file and overall (micro-averaged over facts):

- fact precision / recall / F1: a predicted fact matches a gold fact when subject, predicate
  and object agree after alias normalisation (case-insensitive); facts are matched one to one;
  ``married_to`` is symmetric;
- interval accuracy: of the matched facts, the share whose ``valid_from`` and ``valid_to`` both
  match at the gold granularity (a predicted instant matches ``"2024-03"`` when it falls inside
  March 2024, read in the conversation's own UTC offsets);
- question accuracy: each question is put to :func:`query.ask.ask` with ``now`` = its
  ``asked_at``; an ``answer`` list must match exactly (as a set, after alias normalisation;
  ``[]`` = nothing known), an ``answer_date`` must contain the answered instant.

Each file is ingested into its own tenant of a fresh in-memory SQLite store through the real
write rules, *replayed*: transaction time follows the messages, so questions asked at a past
``asked_at`` see what was known then.
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

from asof.api.memory import Memory
from asof.extraction.llm import LLMConfig
from asof.extraction.readers import read_gold
from asof.graph.clock import FakeClock
from asof.graph.contract import VersionQuery
from asof.graph.errors import InvalidInputError
from asof.graph.ids import normalize_name
from asof.graph.instants import parse_instant
from asof.graph.urls import open_store
from asof.query.ask import Answer
from bench.evals.llm_usage import add_usage, finish_usage, render_usage

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
    questions: int = 0
    questions_ok: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)
    false_positives: list[dict[str, Any]] = field(default_factory=list)
    interval_errors: list[dict[str, Any]] = field(default_factory=list)
    question_errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def question_accuracy(self) -> float:
        return self.questions_ok / self.questions if self.questions else 0.0

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
    # In content order, not the store's: entity ids are keyed with the tenant's random
    # secret, so two stores list the same facts in different orders, and which of two
    # facts naming the same gold object (an entity and its alias) pairs first must not
    # depend on that.
    for p in sorted(predicted, key=_content_order):
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


def _content_order(p: PredictedFact) -> tuple[str, str, str, str, str]:
    return (p.subject, p.predicate, p.object, _iso(p.valid_from) or "",
            _iso(p.valid_to) or "~")


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


# ----------------------------------------------------------------------------- running

def load_gold(path: Path) -> tuple[list[GoldFact], dict[str, list[str]]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    facts = [GoldFact(f["subject"], f["predicate"], f["object"], f.get("valid_from"),
                      f.get("valid_to")) for f in data.get("facts", [])]
    return facts, data.get("aliases") or {}


def load_questions(path: Path) -> list[dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    questions: list[dict[str, Any]] = data.get("questions", [])
    return questions


def score_question(question: dict[str, Any], answer: Answer, table: dict[str, str],
                   offsets: Sequence[timedelta]) -> bool:
    """Exact set match for ``answer`` (``[]`` = nothing known), containment for
    ``answer_date``."""
    if "answer_date" in question:
        return answer.instant is not None and date_matches(
            answer.instant, str(question["answer_date"]), offsets)
    wanted = {_canon(str(a), table) for a in question.get("answer", [])}
    got = {_canon(a, table) for a in answer.answers} if answer.status == "answered" else set()
    return got == wanted


def evaluate_dir(directory: str | Path, *, memory: Memory | None = None,
                 nlp: Any | None = None, tenant_prefix: str = "gold-",
                 extractor: str = "rules", llm: LLMConfig | None = None,
                 limit: int | None = None) -> dict[str, Any]:
    """Score every ``*.json`` gold conversation in ``directory`` and its subfolders (one tenant
    per file), or the first ``limit`` by path.
    ``nlp``: another extraction pipeline than the default (ablations, another artifact);
    ``extractor``/``llm``: the llm or hybrid extractor (their usage is reported as ``llm``)."""
    directory = Path(directory)
    files = sorted(p for p in directory.rglob("*.json") if p.is_file())[:limit]
    if not files:
        raise InvalidInputError(f"{directory}: no gold conversations (*.json) found")
    clock = FakeClock(datetime(1970, 1, 1, tzinfo=UTC))
    mem = memory or Memory(open_store("sqlite:///:memory:", tenant="default", clock=clock),
                           nlp=nlp, extractor=extractor, llm=llm)
    usage: dict[str, Any] | None = None
    scores: list[FileScore] = []
    try:
        for index, path in enumerate(files):
            tenant = f"{tenant_prefix}{index:04d}"
            conversation = read_gold(path)
            gold, aliases = load_gold(path)
            store = mem.store(tenant)
            assert isinstance(store.clock, FakeClock)
            store.clock.set(datetime(1970, 1, 1, tzinfo=UTC))
            report = mem.ingest_conversations([conversation], tenant=tenant, replay=True)
            usage = add_usage(usage, report.llm)
            last = max(m.at for m in conversation.messages)
            versions = store.find_versions(VersionQuery(known_at=last + timedelta(days=1)))
            predicted = [PredictedFact(v.subject_name or v.subject_id, v.predicate,
                                       v.object_name or v.object_value or "", v.valid_from,
                                       v.valid_to) for v in versions]
            offsets = sorted({m.at.utcoffset() or timedelta(0)
                              for m in conversation.messages}) or [timedelta(0)]
            score = score_file(path.stem, gold, predicted, aliases, set(offsets))
            table = _alias_map(aliases)
            for question in load_questions(path):
                asked = parse_instant(str(question["asked_at"]), "asked_at")
                store.clock.set(max(store.clock.now(), asked))
                answer = mem.ask(str(question["question"]), tenant=tenant, now=asked)
                ok = score_question(question, answer, table, offsets)
                score.questions += 1
                score.questions_ok += ok
                if not ok:
                    score.question_errors.append({
                        "question": question["question"],
                        "gold": question.get("answer", question.get("answer_date")),
                        "got": answer.date if answer.date else answer.answers,
                        "status": answer.status})
            scores.append(score)
    finally:
        if memory is None:
            mem.close()
    summary = summarise(scores)
    if usage is not None:
        summary["llm"] = finish_usage(usage)
    return summary


def summarise(scores: list[FileScore]) -> dict[str, Any]:
    total = FileScore("overall", sum(s.gold for s in scores), sum(s.predicted for s in scores),
                      sum(s.matched for s in scores), sum(s.interval_ok for s in scores),
                      sum(s.questions for s in scores), sum(s.questions_ok for s in scores))
    return {
        "files": [{
            "file": s.file, "gold": s.gold, "predicted": s.predicted, "matched": s.matched,
            "fact_precision": round(s.precision, 4), "fact_recall": round(s.recall, 4),
            "fact_f1": round(s.f1, 4), "interval_accuracy": round(s.interval_accuracy, 4),
            "questions": s.questions, "question_accuracy": round(s.question_accuracy, 4),
            "misses": s.misses, "false_positives": s.false_positives,
            "interval_errors": s.interval_errors, "question_errors": s.question_errors,
        } for s in scores],
        "fact_precision": round(total.precision, 4),
        "fact_recall": round(total.recall, 4),
        "fact_f1": round(total.f1, 4),
        "interval_accuracy": round(total.interval_accuracy, 4),
        "questions": total.questions,
        "question_accuracy": round(total.question_accuracy, 4) if total.questions else None,
    }


def render(report: dict[str, Any], *, show_errors: bool = False) -> str:
    lines = [f"{'file':<10} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6} {'F1':>6} {'int':>6} "
             f"{'Q':>6}"]
    for f in report["files"]:
        lines.append(f"{f['file']:<10} {f['gold']:>5} {f['predicted']:>5} "
                     f"{f['fact_precision']:>6.3f} {f['fact_recall']:>6.3f} "
                     f"{f['fact_f1']:>6.3f} {f['interval_accuracy']:>6.3f} "
                     f"{f['question_accuracy']:>6.3f}")
        if show_errors:
            for miss in f["misses"]:
                lines.append(f"    MISS {' | '.join(miss['fact'])}  {miss['interval']}")
            for fp in f["false_positives"]:
                lines.append(f"    FP   {' | '.join(fp['fact'])}  {fp['interval']}")
            for err in f["interval_errors"]:
                lines.append(f"    INT  {' | '.join(err['fact'])}  gold {err['gold']} "
                             f"got {err['predicted']}")
            for err in f["question_errors"]:
                lines.append(f"    Q    {err['question']}  gold {err['gold']} "
                             f"got {err['got']} ({err['status']})")
    q = report["question_accuracy"]
    lines.append(f"overall: fact P {report['fact_precision']:.3f}  R {report['fact_recall']:.3f}"
                 f"  F1 {report['fact_f1']:.3f}  interval accuracy "
                 f"{report['interval_accuracy']:.3f}  question accuracy "
                 f"{'n/a' if q is None else f'{q:.3f}'}")
    if report.get("llm") is not None:
        lines.append(render_usage(report["llm"]))
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
                for k in ("misses", "false_positives", "interval_errors", "question_errors"):
                    f.pop(k)
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print(render(report, show_errors=args.show_errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
