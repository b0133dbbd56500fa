"""Precision of extraction on open-domain chat (LoCoMo-dev), judged by hand.

    python -m bench.evals.locomo_precision sample [--n 100] [--seed 0]   # draw the facts
    python -m bench.evals.locomo_precision show                          # facts with turns
    python -m bench.evals.locomo_precision score                         # precision

``sample`` runs the default pipeline over every conversation of LoCoMo-dev, collects every
extracted fact with the conversation and turn it came from, and draws ``n`` of them at random
(seeded) into ``bench/judgements/locomo_precision_sample.jsonl``. The sample names each turn
and where in it the fact's quote is, and keeps no text of LoCoMo's: ``show`` prints every drawn
fact under its turn, read from the dataset. A person then judges each fact against its turn
and writes ``bench/judgements/locomo_precision_judgements.jsonl``: one object per sample with
``id``, ``correct`` (true/false) and ``reason``. ``score`` joins the two files (failing when a
judgement is missing or was made for a different sample) and prints the precision.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "eval" / "locomo-dev" / "locomo-dev.json"
SAMPLE = ROOT / "bench" / "judgements" / "locomo_precision_sample.jsonl"
JUDGED = ROOT / "bench" / "judgements" / "locomo_precision_judgements.jsonl"


def _turn(episode_id: str) -> str:
    """The turn's id in LoCoMo (its ``dia_id``, "D1:3": session and turn), as the sample
    names it."""
    from asof.graph.ids import message_id_of

    return message_id_of(episode_id)


def _span(text: str, quote: str | None) -> list[int] | None:
    start = text.find(quote) if quote else -1
    return None if quote is None or start < 0 else [start, start + len(quote)]


def extracted(path: Path) -> list[dict[str, Any]]:
    from asof.extraction import Pipeline, build_nlp, read_locomo

    nlp = build_nlp()
    facts: list[dict[str, Any]] = []
    for conversation in read_locomo(path, assume_tz="UTC"):
        pipeline = Pipeline("precision", nlp=nlp)
        for episode, found in pipeline.extract(conversation):
            for a in found:
                facts.append({
                    "conversation": conversation.id, "turn": _turn(episode.id),
                    "speaker": episode.speaker,
                    "kind": a.kind.value, "subject": a.subject.name, "predicate": a.predicate,
                    "object": a.object.name if a.object else a.value,
                    "valid_from": a.valid_from.isoformat() if a.valid_from else None,
                    "valid_to": a.valid_to.isoformat() if a.valid_to else None,
                    # where in the turn the fact's quote is (the text stays in LoCoMo)
                    "evidence_span": _span(episode.text, a.evidence),
                })
    return facts


def sample(n: int, seed: int) -> list[dict[str, Any]]:
    facts = extracted(DATA)
    drawn = random.Random(seed).sample(range(len(facts)), min(n, len(facts)))
    rows = [{"id": f"s{i:03d}", **facts[k]} for i, k in enumerate(sorted(drawn))]
    SAMPLE.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    print(f"{len(facts)} facts extracted; {len(rows)} drawn (seed {seed}) into {SAMPLE}")
    return rows


def show() -> None:
    """Print every drawn fact under the turn it was drawn from (read from LoCoMo-dev)."""
    from asof.extraction import read_locomo

    said = {(conversation.id, _turn(episode.id)): episode.text
            for conversation in read_locomo(DATA, assume_tz="UTC")
            for episode in conversation.episodes("precision")}
    for row in map(json.loads, SAMPLE.read_text().splitlines()):
        text = said.get((row["conversation"], row["turn"]), "(turn not found in LoCoMo-dev)")
        print(f"{row['id']} {row['conversation']} turn {row['turn']}, {row['speaker']}: {text}")
        span = row["evidence_span"]
        quote = text[span[0]:span[1]] if span else None
        print(f"    {row['kind']} {row['subject']} | {row['predicate']} | {row['object']}"
              f" [{row['valid_from']}, {row['valid_to']})  quote: {quote!r}\n")


def score() -> dict[str, Any]:
    rows = {r["id"]: r for r in map(json.loads, SAMPLE.read_text().splitlines())}
    judged = {j["id"]: j for j in map(json.loads, JUDGED.read_text().splitlines())}
    missing = sorted(set(rows) - set(judged))
    if missing:
        raise SystemExit(f"{len(missing)} samples have no judgement: {', '.join(missing[:5])}…")
    for key, judgement in judged.items():
        row = rows.get(key)
        if row is None or judgement.get("fact") != [row["subject"], row["predicate"],
                                                    row["object"]]:
            raise SystemExit(f"judgement {key} does not belong to this sample: draw again "
                             "and judge again")
    correct = sum(1 for j in judged.values() if j["correct"])
    result = {"judged": len(judged), "correct": correct,
              "precision": round(correct / len(judged), 3) if judged else None}
    print(json.dumps(result))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.evals.locomo_precision")
    sub = parser.add_subparsers(dest="command", required=True)
    draw = sub.add_parser("sample")
    draw.add_argument("--n", type=int, default=100)
    draw.add_argument("--seed", type=int, default=0)
    sub.add_parser("show")
    sub.add_parser("score")
    args = parser.parse_args(argv)
    if args.command == "sample":
        sample(args.n, args.seed)
    elif args.command == "show":
        show()
    else:
        score()
    return 0


if __name__ == "__main__":
    sys.exit(main())
