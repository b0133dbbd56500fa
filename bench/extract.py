"""Extraction throughput: messages per second end to end (read + extract, no store) on
LoCoMo-dev's turns, and peak RSS. ``--n-process 2`` parses in two worker processes while this
one runs asof's components and the assembler (``Pipeline(n_process=…)``,
``asof ingest --workers``).

    python -m bench.extract [--json] [--path …/locomo-dev.json] [--repeat N] [--n-process N]

Not a timed test: a benchmark with its own entry point. LoCoMo's times are naive, so the
reader is given an explicit zone (``--assume-tz``, UTC by default here, stated in the output).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "shared" / "eval" / "locomo-dev" / \
    "locomo-dev.json"


def run(path: Path, *, assume_tz: str = "UTC", repeat: int = 1,
        n_process: int = 1) -> dict[str, object]:
    from asof.extraction import Pipeline, build_nlp, read_locomo

    started = time.perf_counter()
    nlp = build_nlp()
    load_seconds = time.perf_counter() - started
    pipeline = Pipeline("bench", nlp=nlp, n_process=n_process)
    # warm-up (first-call costs of spaCy and dateparser) on a few messages
    warm = read_locomo(path, assume_tz=assume_tz)[0]
    warm.messages = warm.messages[:20]
    pipeline.extract(warm)
    messages = assertions = 0
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    cpu_started = time.process_time()
    for _ in range(repeat):
        for pairs in pipeline.extract_each(read_locomo(path, assume_tz=assume_tz)):
            for _episode, found in pairs:
                messages += 1
                assertions += len(found)
    seconds = time.perf_counter() - started
    # CPU time of this process: the figure to compare on a shared, loaded machine
    cpu_seconds = time.process_time() - cpu_started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    # the parser's worker processes (n_process > 1), once they have ended
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "path": str(path), "assume_tz": assume_tz, "n_process": n_process,
        "messages": messages, "assertions": assertions, "seconds": round(seconds, 3),
        "messages_per_second": round(messages / seconds, 1) if seconds else None,
        "cpu_seconds": round(cpu_seconds, 3),
        "messages_per_cpu_second": round(messages / cpu_seconds, 1) if cpu_seconds else None,
        "model_load_seconds": round(load_seconds, 3),
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "workers_cpu_seconds": round(children.ru_utime + children.ru_stime
                                     - children_before.ru_utime - children_before.ru_stime, 3),
        "worker_peak_rss_mb": round(children.ru_maxrss / 1024, 1) if n_process != 1 else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.extract")
    parser.add_argument("--path", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--assume-tz", default="UTC")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--n-process", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = run(args.path, assume_tz=args.assume_tz, repeat=args.repeat,
                 n_process=args.n_process)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"{result['messages']} messages in {result['seconds']} s: "
              f"{result['messages_per_second']} msgs/s "
              f"({result['messages_per_cpu_second']} per CPU second) "
              f"(n_process={result['n_process']}, read + extract, "
              f"times assumed {result['assume_tz']}); {result['assertions']} assertions; "
              f"peak RSS {result['peak_rss_mb']} MB; model load {result['model_load_seconds']} s"
              + (f"; workers: {result['workers_cpu_seconds']} CPU s, peak RSS "
                 f"{result['worker_peak_rss_mb']} MB each at most" if result["n_process"] != 1
                 else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
