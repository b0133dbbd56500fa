"""Plot as-of latency vs N for asof and Graphiti from ``bench.vs_graphiti --out`` reports.

    python -m bench.plot /tmp/vsg-10000.json /tmp/vsg-100000.json \
        --out docs/img/vs-graphiti-latency.png

Needs matplotlib (not a runtime dependency of asof; see the ``bench`` extra).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

SERIES = (
    # (label, variant in the report's "as_of", style)
    ("asof find_versions (Neo4j)", "asof_find_versions", "o-"),
    ("asof Memory.facts (Neo4j)", "asof_memory_facts", "o--"),
    ("asof REST /v1/facts (Neo4j)", "asof_rest_facts", "o:"),
    ("asof find_versions (SQLite)", "sqlite_find_versions", "^-"),
    ("Graphiti search_ (scoped filters)", "graphiti_search", "s-"),
    ("Graphiti get_by_node_uuid + Python filter", "graphiti_by_node", "s--"),
    ("plain Cypher on Graphiti's schema", "graphiti_cypher", "s:"),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.plot")
    parser.add_argument("reports", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=Path("docs/img/vs-graphiti-latency.png"))
    args = parser.parse_args(argv)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    reports = sorted((json.loads(p.read_text()) for p in args.reports),
                     key=lambda r: r["versions"])
    fig, axes = plt.subplots(1, 2, figsize=(11, 5), sharex=True)
    for ax, pct in zip(axes, ("p50_ms", "p99_ms"), strict=True):
        for label, key, style in SERIES:
            xs, ys = [], []
            for r in reports:
                stats = r["as_of"]["variants"].get(key)
                if stats:
                    xs.append(r["versions"])
                    ys.append(stats[pct])
            if xs:
                ax.plot(xs, ys, style, label=label)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("fact versions (N)")
        ax.set_ylabel(f"as-of latency {pct.split('_')[0]} (ms)")
        ax.set_title(f"as-of query latency, {pct.split('_')[0]}")
        ax.grid(True, which="both", alpha=0.3)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, fontsize=8, loc="lower center", ncol=3)
    fig.suptitle("asof vs Graphiti on the same Neo4j 5.26 and the same facts, interleaved "
                 "(bench.vs_graphiti)", fontsize=10)
    fig.tight_layout(rect=(0, 0.13, 1, 1))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(args.out, dpi=120)
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
