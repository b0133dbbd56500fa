"""LoCoMo temporal evaluation: ``asof eval locomo FILE [--k 5] [--json]``.

Each LoCoMo conversation is ingested into a fresh embedded store (``sqlite:///:memory:``) with
``replay=True`` and a :class:`~graph.clock.FakeClock`, so transaction time follows the sessions.
Then, for the temporal questions (category 2):

- **evidence recall@k**: the share of questions where a gold ``dia_id`` is among the turns asof
  ranks top-k (episode ids are ``ids.message_episode_id(conversation, dia_id)``; facts count
  through the episodes they were extracted from). asof ranks *turns*, with facts as evidence
  for their source turns, so k items are compared with k items;
- **BM25 baseline** from the same run: the store's own full-text search (FTS5 bm25) over the raw
  turns, with the same query words and the same k, and no temporal or structural reasoning;
- **date accuracy**: the date asof answers (from its best turn: the first time expression in it
  resolved by :func:`asof.timex.find_times` against the turn's session time, else the
  session day itself) is correct when its period lies inside the gold answer's period. Gold
  answers are resolved by the small rule set of :func:`resolve_gold`; those it cannot resolve
  are counted as ``unresolvable`` and reported, never dropped: accuracy is given over the
  resolvable ones and over all;
- **as-of accuracy** for temporal questions whose gold answer is an entity rather than a time
  (:func:`is_time_answer`), answered by :func:`query.ask.ask` at the end of the conversation.

The ranking (:func:`rank_turns`) is a fixed, documented linear score over a candidate pool; see
``WEIGHTS``. It uses nothing of the data's names, words or sentences.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from asof.extraction.readers import Conversation, read_locomo
from asof.graph.clock import FakeClock
from asof.graph.errors import InvalidInputError
from asof.graph.ids import message_episode_id
from asof.graph.store import GraphStore
from asof.query.ask import ask
from asof.query.embedding import Embedder
from asof.query.ranking import standardised
from asof.timex import Role, Tense, find_times
from bench.evals import retrieval_modes
from bench.evals.locomo_gold import GoldPeriod, is_time_answer, normalise_answer, resolve_gold
from bench.evals.locomo_rank import (
    NEIGHBOURHOOD,
    POOL,
    SAME_SESSION,
    SPREAD,
    WEIGHTS,
    Lemmas,
    Turn,
    answer_date,
    baseline_turns,
    lemma_in,
    lexical_share,
    period_label,
    question_idf,
    question_lemmas,
    question_tense,
    rank_turns,
    turn_idf,
    value_days,
)

TENANT = "locomo"
TEMPORAL_CATEGORY = 2
#: The recall@k gain over the BM25 baseline the temporal work aims at (reported, not tuned).
RECALL_TARGET_GAIN = 0.15



# ----------------------------------------------------------------------------- evidence ids

def evidence_ids(evidence: Iterable[Any]) -> list[str]:
    """LoCoMo ``evidence`` → dia ids. Entries holding several ids ("D8:6; D9:17") are split;
    an id written "D:11:26" is read as "D11:26"."""
    out: list[str] = []
    for item in evidence:
        for part in re.split(r"[;,\s]+", str(item)):
            part = re.sub(r"^D:(\d+):", r"D\1:", part.strip())
            if part and part not in out:
                out.append(part)
    return out


def recall_hit(retrieved: Sequence[str], gold: Iterable[str], k: int) -> bool:
    """Whether any gold id is among the first ``k`` retrieved ids."""
    wanted = set(gold)
    return any(item in wanted for item in retrieved[:k])


def first_rank(ranking: Sequence[str], gold: Iterable[str]) -> int | None:
    """1-based rank of the first gold id in ``ranking`` (``None``: not ranked)."""
    wanted = set(gold)
    return next((i for i, item in enumerate(ranking, start=1) if item in wanted), None)


def _mrr(ranks: Iterable[int | None]) -> float | None:
    values = [0.0 if r is None else 1.0 / r for r in ranks]
    return round(sum(values) / len(values), 4) if values else None


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _samples(path: Path) -> list[dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [data] if isinstance(data, dict) else list(data)


def evaluate_locomo(path: str | Path, *, k: int = 5, assume_tz: str = "UTC",
                    embedder: Embedder | None = None, format: str = "locomo",
                    extractor: str = "rules", llm: Any = None) -> dict[str, Any]:
    """Ingest every conversation of a LoCoMo file into a fresh store and score its temporal
    questions (see the module docstring). With an ``embedder``, the turns are embedded too and
    the vector and hybrid modes are scored beside the others (:mod:`.retrieval_modes`).
    ``format="realtalk"`` reads the REALTALK layout (:mod:`.realtalk`; a file or a folder).
    With the llm or hybrid extractor (``llm``: an ``LLMConfig``), its usage as ``llm``.
    Returns a JSON-able report."""
    from asof.api.memory import Memory
    from asof.graph.urls import open_store
    from bench.evals.llm_usage import add_usage, finish_usage

    path = Path(path)
    started = time.perf_counter()
    if format == "realtalk":
        from bench.evals.realtalk import read_realtalk

        conversations, samples = read_realtalk(path, assume_tz=assume_tz)
    elif format == "locomo":
        conversations, samples = read_locomo(path, assume_tz=assume_tz), _samples(path)
    else:
        raise InvalidInputError(f"format: 'locomo' or 'realtalk', got {format!r}")
    nlp: Any = None  # the extraction model, loaded by the first store, then shared
    lemmas = Lemmas()
    rows: list[dict[str, Any]] = []
    heldout_rows: list[dict[str, Any]] = []
    per_conversation: list[dict[str, Any]] = []
    ingest_total = query_total = 0.0
    usage: dict[str, Any] | None = None
    for index, conversation in enumerate(conversations):
        qa = samples[index].get("qa", []) if index < len(samples) else []
        temporal = [q for q in qa if q.get("category") == TEMPORAL_CATEGORY]
        heldout = [q for q in qa if q.get("category") != TEMPORAL_CATEGORY
                   and evidence_ids(q.get("evidence") or [])]
        if not conversation.messages:
            raise InvalidInputError(f"{path}: conversation {conversation.id} has no turns")
        first = conversation.messages[0].at
        store = open_store("sqlite:///:memory:", tenant=TENANT, clock=FakeClock(first))
        memory = Memory(store, nlp=nlp, embedder=embedder, extractor=extractor, llm=llm)
        try:
            t0 = time.perf_counter()
            report = memory.ingest_conversations([conversation], tenant=TENANT, replay=True)
            usage = add_usage(usage, report.llm)
            nlp = memory.load_language_model()
            t1 = time.perf_counter()
            conv_rows, conv_heldout = _evaluate_conversation(
                memory.store(TENANT), conversation, temporal, lemmas, k, embedder, heldout)
            t2 = time.perf_counter()
        finally:
            memory.close()
        ingest_total += t1 - t0
        query_total += t2 - t1
        rows.extend(conv_rows)
        heldout_rows.extend(conv_heldout)
        summary = _summarise(conv_rows)
        per_conversation.append({
            "conversation": conversation.id, "turns": len(conversation.messages),
            "facts_extracted": report.assertions, **summary,
            "ingest_seconds": round(t1 - t0, 2), "query_seconds": round(t2 - t1, 2)})
    summary = _summarise(rows)
    return {
        "file": str(path), "k": k, "assume_tz": assume_tz,
        "conversations": len(conversations), **summary,
        **({"llm": finish_usage(usage)} if usage is not None else {}),
        "per_conversation": per_conversation,
        "timing": {"total_seconds": round(time.perf_counter() - started, 2),
                   "ingest_seconds": round(ingest_total, 2),
                   "query_seconds": round(query_total, 2),
                   "seconds_per_question": round(query_total / len(rows), 3) if rows
                   else None},
        "modes": retrieval_modes.summarise(rows),
        "heldout_questions": len(heldout_rows),
        "heldout_modes": retrieval_modes.summarise(heldout_rows),
        "heldout_modes_by_category": {
            str(c): retrieval_modes.summarise([r for r in heldout_rows if r["category"] == c])
            for c in sorted({r["category"] for r in heldout_rows}, key=str)},
        "embedding_model": None if embedder is None else embedder.model_id,
        "weights": dict(WEIGHTS), "spread": SPREAD, "pool": POOL,
        "unresolvable_answers": [r["gold_answer"] for r in rows if r["gold_period"] is None
                                 and r["time_answer"]],
        "questions": rows,
        "heldout": heldout_rows,
    }


def _evaluate_conversation(store: GraphStore, conversation: Conversation,
                           questions: Sequence[Mapping[str, Any]], lemmas: Lemmas,
                           k: int, embedder: Embedder | None = None,
                           heldout: Sequence[Mapping[str, Any]] = (),
                           ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The temporal questions' rows, and for ``heldout`` (the other categories' questions
    with evidence, never used to tune the ranking) the rank of their gold turns per mode."""
    episodes = store.get_episodes([e.id for e in conversation.episodes(TENANT)])
    texts = lemmas.of([e.text for e in episodes])
    turns = {
        e.id: Turn(e, lem, tuple(m.value for m in find_times(e.text, e.occurred_at, Tense.PAST)
                                 if m.role is not Role.END))
        for e, lem in zip(episodes, texts, strict=True)}
    ordered = list(turns.values())
    sessions: list[list[Turn]] = []
    for turn in ordered:
        if sessions and turn.episode.occurred_at - sessions[-1][-1].episode.occurred_at \
                < SAME_SESSION:
            turn.context = sessions[-1][-1].lemmas  # the turn it answers
            sessions[-1].append(turn)
        else:
            sessions.append([turn])
    for session in sessions:
        for i, turn in enumerate(session):
            turn.neighbours = tuple(
                t.episode.id for t in session[max(0, i - NEIGHBOURHOOD):i + NEIGHBOURHOOD + 1]
                if t is not turn)
    idf = turn_idf(turns.values())
    speakers = sorted({e.speaker for e in episodes})
    now = max(e.occurred_at for e in episodes) + timedelta(minutes=1)
    # the gold evidence names turns by dia_id ("D1:3"); the store by episode id
    episode_of = {m.id: message_episode_id(conversation.id, m.id)
                  for m in conversation.messages if m.id}
    dia_of = {episode_id: dia_id for dia_id, episode_id in episode_of.items()}
    rows = []
    for qa in questions:
        question = str(qa.get("question", ""))
        gold = evidence_ids(qa.get("evidence") or [])
        gold_ids = [episode_of.get(g, message_episode_id(conversation.id, g)) for g in gold]
        gold_answer = qa.get("answer", qa.get("adversarial_answer"))
        ref_turn = next((turns[g] for g in gold_ids if g in turns), None)
        ref = ref_turn.episode.occurred_at.date() if ref_turn else None
        time_answer = is_time_answer(gold_answer)
        gold_period = resolve_gold(gold_answer, ref) if time_answer else None
        ranked = rank_turns(store, question, turns, lemmas, speakers=speakers, now=now, idf=idf)
        ranking = [r.episode_id for r in ranked]
        retrieved = ranking[:k]
        by_mode = _rankings_by_mode(store, question, turns, lemmas, ranking,
                                    speakers=speakers, now=now, idf=idf, embedder=embedder)
        baseline_ranking = by_mode["bm25"]
        baseline = baseline_ranking[:k]
        tense = question_tense(question)
        row: dict[str, Any] = {
            "conversation": conversation.id, "question": question,
            "gold_answer": gold_answer, "gold_evidence": gold,
            "unknown_evidence": [g for g in gold_ids if g not in turns],
            "time_answer": time_answer,
            "retrieved": [dia_of.get(i, i) for i in retrieved],
            "baseline": [dia_of.get(i, i) for i in baseline],
            "hit": recall_hit(retrieved, gold_ids, k),
            "baseline_hit": recall_hit(baseline, gold_ids, k),
            "hit_at_1": recall_hit(ranking, gold_ids, 1),
            "baseline_hit_at_1": recall_hit(baseline_ranking, gold_ids, 1),
            "rank": first_rank(ranking, gold_ids),
            "baseline_rank": first_rank(baseline_ranking, gold_ids),
            "top_features": ranked[0].features if ranked else None,
            "mode_ranks": retrieval_modes.ranks(by_mode, gold_ids),
            "mode_ranks_run": sorted(by_mode),
            **_reachable(question, [turns[g] for g in gold_ids if g in turns], turns, lemmas,
                         speakers, idf, ranking),
        }
        if time_answer:
            names = {w.lower() for s in speakers for w in s.split()}
            focus = lemmas.of([question])[0] - names
            row.update(_date_row(gold_period, turns, retrieved, baseline, ref_turn, tense,
                                 focus, lemmas, lemmas.verbs(question) - names))
        else:
            answer = ask(store, question, now=now)
            row.update({"gold_period": None, "asof_answer": answer.answers,
                        "asof_ok": _entity_match(gold_answer, answer.answers)})
        rows.append(row)
    heldout_rows = []
    for qa in heldout:
        question = str(qa.get("question", ""))
        gold = evidence_ids(qa.get("evidence") or [])
        gold_ids = [episode_of.get(g, message_episode_id(conversation.id, g)) for g in gold]
        ranking = [r.episode_id for r in rank_turns(store, question, turns, lemmas,
                                                    speakers=speakers, now=now, idf=idf)]
        by_mode = _rankings_by_mode(store, question, turns, lemmas, ranking,
                                    speakers=speakers, now=now, idf=idf, embedder=embedder)
        heldout_rows.append({
            "conversation": conversation.id, "category": qa.get("category"),
            "question": question, "gold_evidence": gold,
            "mode_ranks": retrieval_modes.ranks(by_mode, gold_ids),
            "mode_ranks_run": sorted(by_mode)})
    return rows, heldout_rows


def _rankings_by_mode(store: GraphStore, question: str, turns: Mapping[str, Turn],
                      lemmas: Lemmas, ranking: list[str], *, speakers: Sequence[str],
                      now: datetime, idf: Mapping[str, float],
                      embedder: Embedder | None) -> dict[str, list[str]]:
    """The conversation's turns ranked for ``question`` by every mode that can run:
    ``ranking`` (asof's, lexical) beside the BM25 baseline and, with an embedder, vectors
    alone, their RRF fusion with ``ranking``, asof's ranking with the vector feature, and
    what ``asof search --mode hybrid`` returns."""
    by_mode = {"bm25": baseline_turns(store, question, lemmas.stop, POOL), "lexical": ranking}
    if embedder is not None:
        cosine = retrieval_modes.similarities(store, embedder, question, list(turns))
        by_mode["vector"] = sorted(cosine, key=lambda i: (-cosine[i], i))
        by_mode["rrf"] = retrieval_modes.rrf([ranking, by_mode["vector"]])
        by_mode["hybrid"] = [r.episode_id for r in rank_turns(
            store, question, turns, lemmas, speakers=speakers, now=now, idf=idf,
            similarity=standardised(cosine))]
        by_mode["search"] = retrieval_modes.searched_turns(store, embedder, question, now=now)
    return by_mode


def _reachable(question: str, gold: Sequence[Turn], turns: Mapping[str, Turn],
               lemmas: Lemmas, speakers: Sequence[str], idf: Mapping[str, float],
               ranking: Sequence[str]) -> dict[str, bool]:
    """Whether any gold turn could be retrieved at all: it is in asof's candidate pool
    (``in_pool``); a word of the question (a content lemma, as the lexical feature matches
    them) is in it (``words_in_turn``), or in it or the turn it answers
    (``words_in_turn_or_context``). The recall ceilings are the shares of these."""
    q_lemmas = question_lemmas(question, lemmas, speakers)
    weights = {**idf, **question_idf(q_lemmas, turns.values(), idf)}
    own = any(lemma_in(lem, t.lemmas) and weights.get(lem, 0.0) > 0
              for t in gold for lem in q_lemmas)
    near = any(lexical_share(q_lemmas, t, weights) > 0 for t in gold)
    ids = {t.episode.id for t in gold}
    return {"in_pool": any(i in ids for i in ranking), "words_in_turn": own,
            "words_in_turn_or_context": near}


def _date_row(gold: GoldPeriod | None, turns: Mapping[str, Turn], retrieved: Sequence[str],
              baseline: Sequence[str], ref_turn: Turn | None, tense: Tense,
              focus: frozenset[str], lemmas: Lemmas,
              event: frozenset[str] = frozenset()) -> dict[str, Any]:
    def judge(ids: Sequence[str]) -> tuple[str | None, str | None, bool]:
        if not ids:
            return None, None, False
        value, source = answer_date(turns[ids[0]].episode, tense, focus=focus, lemmas=lemmas,
                                    event=event)
        ok = gold is not None and gold.contains(*value_days(value))
        return period_label(value), source, ok

    answered, source, ok = judge(retrieved)
    base_answered, _, base_ok = judge(baseline)
    _, _, oracle_ok = judge([ref_turn.episode.id] if ref_turn else [])
    return {
        "gold_period": None if gold is None else {
            "start": gold.start.isoformat(), "end": gold.end.isoformat(), "rule": gold.rule},
        "answered": answered, "answered_from": source, "date_ok": ok,
        "baseline_answered": base_answered, "baseline_date_ok": base_ok,
        "gold_evidence_date_ok": oracle_ok,
    }


def _entity_match(gold: Any, answers: Sequence[str]) -> bool:
    wanted = normalise_answer(gold)
    return bool(wanted) and any(
        (a := normalise_answer(x)) and (a in wanted or wanted in a) for x in answers)


def _summarise(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    n = len(rows)
    hits = sum(1 for r in rows if r["hit"])
    base = sum(1 for r in rows if r["baseline_hit"])
    timed = [r for r in rows if r["time_answer"]]
    resolvable = [r for r in timed if r["gold_period"] is not None]
    correct = sum(1 for r in resolvable if r["date_ok"])
    base_correct = sum(1 for r in resolvable if r["baseline_date_ok"])
    oracle = sum(1 for r in resolvable if r["gold_evidence_date_ok"])
    entity = [r for r in rows if not r["time_answer"]]
    recall = _ratio(hits, n)
    baseline = _ratio(base, n)
    return {
        "temporal_questions": n,
        "evidence_recall_at_k": recall,
        "baseline_recall_at_k": baseline,
        "recall_gain": None if recall is None or baseline is None
        else round(recall - baseline, 4),
        "evidence_hits": hits, "baseline_hits": base,
        "evidence_recall_at_1": _ratio(sum(1 for r in rows if r["hit_at_1"]), n),
        "baseline_recall_at_1": _ratio(sum(1 for r in rows if r["baseline_hit_at_1"]), n),
        "mrr": _mrr(r["rank"] for r in rows),
        "baseline_mrr": _mrr(r["baseline_rank"] for r in rows),
        "recall_ceiling_pool": _ratio(sum(1 for r in rows if r["in_pool"]), n),
        "recall_ceiling_words": _ratio(sum(1 for r in rows if r["words_in_turn_or_context"]), n),
        "recall_ceiling_words_in_turn": _ratio(sum(1 for r in rows if r["words_in_turn"]), n),
        "recall_target": None if baseline is None else round(baseline + RECALL_TARGET_GAIN, 4),
        "recall_target_hits": None if not n else math.ceil(
            round((base / n + RECALL_TARGET_GAIN) * n, 6)),
        "date_questions": len(timed),
        "date_resolvable": len(resolvable),
        "date_unresolvable": len(timed) - len(resolvable),
        "date_correct": correct,
        "date_accuracy": _ratio(correct, len(resolvable)),
        "date_accuracy_all": _ratio(correct, len(timed)),
        "baseline_date_accuracy": _ratio(base_correct, len(resolvable)),
        "gold_evidence_date_accuracy": _ratio(oracle, len(resolvable)),
        "asof_questions": len(entity),
        "asof_correct": sum(1 for r in entity if r["asof_ok"]),
        "asof_accuracy": _ratio(sum(1 for r in entity if r["asof_ok"]), len(entity)),
    }


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def render_locomo(report: Mapping[str, Any]) -> str:
    """A plain-text summary of :func:`evaluate_locomo`'s report."""
    k = report["k"]
    lines = [
        f"LoCoMo temporal questions: {report['file']}",
        f"  conversations {report['conversations']}, temporal questions "
        f"{report['temporal_questions']}, k = {k}",
        "",
        f"  evidence recall@{k}   asof {_fmt(report['evidence_recall_at_k'])}   "
        f"BM25 baseline {_fmt(report['baseline_recall_at_k'])}   "
        f"gain {_fmt(report['recall_gain'])}",
        f"  recall@{k} ceilings   gold turn in the candidate pool "
        f"{_fmt(report['recall_ceiling_pool'])}; holding a word of the question "
        f"{_fmt(report['recall_ceiling_words_in_turn'])} (itself) / "
        f"{_fmt(report['recall_ceiling_words'])} (or the turn it answers); baseline + "
        f"{RECALL_TARGET_GAIN} = {_fmt(report['recall_target'])} needs "
        f"{report['recall_target_hits']} of {report['temporal_questions']}",
        f"  recall@1            asof {_fmt(report['evidence_recall_at_1'])}   "
        f"BM25 baseline {_fmt(report['baseline_recall_at_1'])};   MRR asof "
        f"{_fmt(report['mrr'])}, baseline {_fmt(report['baseline_mrr'])} (pool {report['pool']})",
        f"  date accuracy        {_fmt(report['date_accuracy'])} over "
        f"{report['date_resolvable']} resolvable gold answers "
        f"({_fmt(report['date_accuracy_all'])} over all {report['date_questions']}; "
        f"{report['date_unresolvable']} unresolvable)",
        f"    from BM25's top turn {_fmt(report['baseline_date_accuracy'])}; from the gold "
        f"evidence turn {_fmt(report['gold_evidence_date_accuracy'])}",
    ]
    if report["asof_questions"]:
        lines.append(f"  as-of accuracy       {_fmt(report['asof_accuracy'])} over "
                     f"{report['asof_questions']} entity-answer questions")
    else:
        lines.append("  as-of accuracy       n/a: no temporal question has an entity answer")
    if report.get("llm") is not None:
        from bench.evals.llm_usage import render_usage

        lines.append(f"  {render_usage(report['llm'])}")
    lines += ["", *retrieval_modes.render(report["modes"])]
    if report.get("heldout_questions"):
        lines += ["", f"  held out: the {report['heldout_questions']} questions of the other "
                  "categories with evidence (never used to tune the ranking)",
                  *retrieval_modes.render(report["heldout_modes"])[1:]]
    lines += ["", "  per conversation:"]
    for c in report["per_conversation"]:
        lines.append(
            f"    {c['conversation']:<10} q {c['temporal_questions']:>3}  "
            f"recall@{k} {_fmt(c['evidence_recall_at_k'])} vs {_fmt(c['baseline_recall_at_k'])}"
            f"  date {_fmt(c['date_accuracy'])} ({c['date_resolvable']} resolvable)  "
            f"ingest {c['ingest_seconds']:.1f}s  query {c['query_seconds']:.1f}s")
    if report["unresolvable_answers"]:
        shown = ", ".join(repr(a) for a in report["unresolvable_answers"][:10])
        lines += ["", f"  unresolvable gold answers: {shown}"]
    timing = report["timing"]
    lines += ["", f"  time: {timing['total_seconds']:.1f}s total (ingest "
              f"{timing['ingest_seconds']:.1f}s, questions {timing['query_seconds']:.1f}s)"]
    return "\n".join(lines)
