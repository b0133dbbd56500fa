"""Training and evaluation: train, eval, demo (they load spaCy, and eval a checkout's bench/)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from asof.api.cli.common import CliError, extractor_option, load_settings


@click.command("train")
@click.option("--data", "folders", multiple=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A folder of annotated conversations (eval/FORMAT.md); repeat for several. "
                   "Default: the checkout's corpus/ and ../shared/eval/{train,dev}.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the artifact (default: the package's own, which the "
                   "pipeline loads).")
def train_command(folders: tuple[Path, ...], out: Path | None) -> None:
    """Train the object tagger, the learned part of extraction, from annotated conversations.

    Deterministic: the same files give the same model. Writes object_tagger.crfsuite and
    object_tagger.json (with the SHA-256 of the data it was trained on)."""
    from asof.extraction.tagger.model import default_dir
    from asof.extraction.tagger.train import default_folders, train

    chosen = list(folders) or default_folders()
    if not chosen:
        raise CliError("no training data: pass --data DIR (annotated conversations)")
    started = time.perf_counter()
    meta = train(chosen, out or default_dir(),
                 progress=lambda message: click.echo(message, err=True))
    click.echo(f"trained on {meta['messages']} messages of {len(meta['files'])} conversations "
               f"in {time.perf_counter() - started:.0f} s; data sha256 "
               f"{meta['data_sha256'][:16]}…")


def _evals_on_path() -> None:
    """The evaluations live in the checkout's bench/ (not installed): find it beside the
    package's source folders, as in an editable install, or say how to get one."""
    import importlib.util

    if importlib.util.find_spec("bench") is not None:
        return
    import asof.api

    root = Path(asof.api.__file__).resolve().parents[1]
    if not (root / "bench" / "evals" / "__init__.py").is_file():
        raise CliError("`asof eval` runs from a source checkout (bench/ is not installed "
                       "with the package): clone the repository and `pip install -e .` there")
    sys.path.insert(0, str(root))


@click.group("eval")
def evaluate() -> None:
    """Quality evaluations on gold data."""


@evaluate.command("gold")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.option("--show-errors", is_flag=True, help="List misses and false positives.")
@click.option("--without-learned", is_flag=True,
              help="Rules only: leave the trained tagger out (an ablation).")
@click.option("--tagger-model", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=None, help="A folder with another trained tagger (from `asof train`).")
@extractor_option
@click.option("--limit", type=click.IntRange(1), default=None,
              help="Only the first N conversations by path (a subset for slow models).")
def eval_gold(directory: Path, as_json: bool, show_errors: bool, without_learned: bool,
              tagger_model: Path | None, extractor: str | None, limit: int | None) -> None:
    """Fact precision/recall/F1, interval and question accuracy on a gold DIRECTORY (every
    *.json in it and its subfolders).

    With --extractor llm or hybrid (the model of ASOF_LLM_BASE_URL / ASOF_LLM_MODEL), the
    model's calls, tokens, cache hits, seconds per message and grounding-drop rate are
    reported next to the scores."""
    _evals_on_path()
    from asof.extraction.pipeline import build_nlp
    from bench.evals.gold import evaluate_dir, render

    settings = load_settings()
    name = extractor or settings.extractor
    nlp = build_nlp(learned=not without_learned,
                    tagger_model=str(tagger_model) if tagger_model else None)
    report = evaluate_dir(directory, nlp=nlp, extractor=name, llm=settings.llm_config(),
                          limit=limit)
    if as_json:
        if not show_errors:
            for f in report["files"]:
                for key in ("misses", "false_positives", "interval_errors", "question_errors"):
                    f.pop(key)
        click.echo(json.dumps(report, indent=2, ensure_ascii=False, default=str))
    else:
        click.echo(render(report, show_errors=show_errors))


@evaluate.command("locomo")
@click.argument("file", type=click.Path(exists=True, path_type=Path))
@click.option("--k", default=5, show_default=True, type=click.IntRange(1, 100),
              help="Evidence recall at this many retrieved items.")
@click.option("--assume-tz", default="UTC", show_default=True,
              help="Zone for LoCoMo's naive session times.")
@click.option("--format", "data_format", type=click.Choice(["locomo", "realtalk"]),
              default="locomo", show_default=True,
              help="locomo: one JSON file of samples; realtalk: a chat file in the REALTALK "
                   "layout, or a folder of them.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@extractor_option
def eval_locomo(file: Path, k: int, assume_tz: str, data_format: str, as_json: bool,
                extractor: str | None) -> None:
    """Temporal questions of a LoCoMo FILE: evidence recall@k vs BM25, date accuracy, and
    recall@1/5/10 and MRR per retrieval mode (bm25, lexical, vector, rrf, hybrid, and search:
    what `asof search --mode hybrid` returns; the vector modes need an embedding model,
    ASOF_EMBEDDER), and the same per mode for the questions of the other categories that
    name evidence (held out: never used to tune the ranking); with
    --extractor llm or hybrid, the model's calls,
    tokens, cache hits, seconds per message and grounding-drop rate."""
    from asof.api.files import check_input_file

    settings = load_settings()
    if not (data_format == "realtalk" and file.is_dir()):
        check_input_file(file, max_bytes=settings.max_file_bytes)
    _evals_on_path()
    from bench.evals.locomo import evaluate_locomo, render_locomo

    report = evaluate_locomo(file, k=k, assume_tz=assume_tz,
                             embedder=settings.make_embedder(), format=data_format,
                             extractor=extractor or settings.extractor,
                             llm=settings.llm_config())
    if as_json:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        click.echo(render_locomo(report))


@click.command()
@click.option("--store", "store_url", default=None,
              help="Store URL (default: a fresh embedded SQLite file in a temp directory).")
@click.option("--serve", is_flag=True,
              help="Then open the demo store in the web UI: prints its URL and a one-off key "
                   "for the demo tenant, and serves until Ctrl-C.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="With --serve: the address to bind.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="With --serve: the port to listen on.")
def demo(store_url: str | None, serve: bool, host: str, port: int) -> None:
    """The main job end to end on a bundled sample conversation."""
    from asof.api.demo import run_demo, serve_demo

    run_demo(store_url, echo=click.echo, then=(
        lambda url: serve_demo(url, host=host, port=port, echo=click.echo)) if serve else None)
