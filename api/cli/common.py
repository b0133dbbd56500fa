"""What every ``asof`` command shares: the one-line error, the store options, opening the store,
time parsing, and printing tables or JSON."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, tzinfo
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from asof.graph.errors import (
    AsofError,
    AuditKeyRequiredError,
    InvalidInputError,
    NotFoundError,
)
from asof.graph.instants import isoformat

if TYPE_CHECKING:
    # The heavy modules (pydantic settings, the store drivers, spaCy through the extractor) load
    # inside the commands that need them, so `asof --help` and `asof --version` start instantly.
    from asof.api.memory import Memory
    from asof.api.settings import Settings
    from asof.query.paging import Page
    from asof.query.views import FactView

F = TypeVar("F", bound=Callable[..., Any])


class ExitCode(IntEnum):
    """What every command's exit status means (listed in ``asof --help``)."""

    OK = 0
    NOT_FOUND = 1  #: nothing of that name or key, or a check failed (audit verify)
    USAGE = 2  #: bad options or arguments, invalid input (naive times, bad files), no audit key
    STORE = 3  #: the store or the model server is unavailable or failed (nothing changed)
    CLOSED_PIPE = 141  #: the reader of the output went away, as for a SIGPIPE death


EXIT_CODES_HELP = """\b
Exit codes:
  0    success
  1    not found (no such entity or fact), or a check failed (audit verify)
  2    usage error or invalid input (bad options, naive timestamps, bad files, a
       missing ASOF_AUDIT_KEY on a signed store)
  3    the store (or the model server of the llm/hybrid extractor) is unavailable
       or failed; nothing was changed
  141  the reader of the output went away (`asof facts | head`); nothing is printed"""


class CliError(click.ClickException):
    """A one-line error for the user: a usage error or invalid input (exit 2)."""

    exit_code = ExitCode.USAGE

    def format_message(self) -> str:
        return self.message


class CliNotFound(CliError):
    """Nothing of that name or key (exit 1)."""

    exit_code = ExitCode.NOT_FOUND


class CliStoreError(CliError):
    """The store is unavailable or failed (exit 3)."""

    exit_code = ExitCode.STORE


def error_for(exc: Exception) -> type[CliError]:
    if isinstance(exc, NotFoundError):
        return CliNotFound
    if isinstance(exc, AsofError) and not isinstance(
            exc, InvalidInputError | AuditKeyRequiredError):
        return CliStoreError
    return CliError  # invalid input, an unreadable file, bad or missing settings


class AsofGroup(click.Group):
    """Turns library errors into one-line messages (tracebacks only with --debug)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            # The reader went away (`asof facts | head`): stop quietly. Python would report
            # the failed flush of the buffered rest at exit, so the rest goes to /dev/null.
            try:
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            except (OSError, ValueError):  # not a real file (a test runner's capture)
                pass
            ctx.exit(ExitCode.CLOSED_PIPE)
        except (AsofError, OSError) as exc:
            self._fail(ctx, exc)
        except Exception as exc:
            from pydantic import ValidationError

            if not isinstance(exc, ValidationError):
                raise
            self._fail(ctx, exc)

    @staticmethod
    def _fail(ctx: click.Context, exc: Exception) -> None:
        if ctx.obj and ctx.obj.get("debug"):
            raise exc
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise error_for(exc)(message) from exc


def load_settings() -> Settings:
    from pydantic import ValidationError

    from asof.api.settings import Settings

    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        raise CliError(
            f"ASOF_{'_'.join(map(str, first['loc'])).upper()}: {first['msg']}") from None


def store_options(func: F) -> F:
    """--store, --tenant, --json: shared by every command that touches a store."""
    func = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")(func)
    func = click.option("--tenant", envvar="ASOF_TENANT", default=None,
                        help="Tenant to read and write (env ASOF_TENANT; default 'default').")(
        func)
    func = click.option("--store", "store_url", envvar="ASOF_STORE", default=None,
                        help="Store URL: sqlite:///path.db, neo4j://host:7687 or bolt://… "
                             "(env ASOF_STORE; default: an embedded SQLite file in the "
                             "user data directory).")(func)
    return func


def extractor_option(func: F) -> F:
    """--extractor: rules, llm or hybrid (env ASOF_EXTRACTOR)."""
    return click.option(
        "--extractor", type=click.Choice(["rules", "llm", "hybrid"]), default=None,
        help="rules (offline), llm (the model at ASOF_LLM_BASE_URL / ASOF_LLM_MODEL) or "
             "hybrid (the model only where the rules found names but no fact); env "
             "ASOF_EXTRACTOR, default rules.")(func)


#: An actor: one line, at most this long (it is recorded in every audit event of a write).
MAX_ACTOR = 200


def actor_option(func: F) -> F:
    """--actor (env ASOF_ACTOR): who the audit chain records as making this write."""
    return click.option(
        "--actor", envvar="ASOF_ACTOR", default=None,
        help="Who makes this write, as the audit chain records it (env ASOF_ACTOR; default: "
             "your login name).")(func)


def resolve_actor(actor: str | None) -> str:
    if actor is None:
        import getpass

        try:
            return getpass.getuser()
        except (OSError, KeyError):  # no login name (a container without a passwd entry)
            return "cli"
    if not actor.strip() or len(actor) > MAX_ACTOR or not actor.isprintable():
        raise CliError(f"--actor {actor[:40]!r}: one line of 1 to {MAX_ACTOR} printable "
                       "characters")
    return actor.strip()


@contextmanager
def open_memory(store_url: str | None, **kwargs: Any) -> Iterator[Memory]:
    from asof.api.memory import Memory

    settings = load_settings()
    url = store_url or settings.store
    kwargs.setdefault("embedder", settings.make_embedder())
    mem = Memory.open(url, audit_key=settings.audit_key_bytes(),
                      old_audit_keys=settings.old_audit_keys_bytes(),
                      neo4j_user=settings.neo4j_user,
                      neo4j_password=settings.neo4j_password_text(),
                      neo4j_database=settings.neo4j_database, registry=settings.registry(),
                      extractor=settings.extractor, llm=settings.llm_config(), **kwargs)
    try:
        yield mem
    finally:
        mem.close()


@contextmanager
def open_reader(store_url: str | None, command: str, tenant: str | None,
                entity: str | None = None) -> Iterator[Memory]:
    """:func:`open_memory` for a read command: when ASOF_READ_LOG is set, the read is appended
    to the read-access log afterwards (as the REST API does), its actor ASOF_ACTOR or the login
    name, the entity as its id (never its name). A failed read is recorded too."""
    settings = load_settings()
    with open_memory(store_url) as mem:
        try:
            yield mem
        finally:
            if settings.read_log is not None:
                from asof.api.read_log import ReadLog

                name = resolve_tenant(tenant)
                found = mem.entity(entity, tenant=name) if entity else None
                entity_id = found.id if found else None
                if entity and found is None:  # a fact key (history): its subject
                    versions = mem.store(name).versions(entity)
                    entity_id = versions[0].subject_id if versions else None
                ReadLog(settings.read_log).record(
                    actor=resolve_actor(settings.actor or None), tenant=name,
                    route=f"cli {command}", entity_id=entity_id)


def resolve_tenant(tenant: str | None) -> str:
    return tenant or load_settings().tenant


def parse_zone(name: str | None) -> tzinfo | None:
    if name is None:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise CliError(f"--assume-tz {name!r} is not a known time zone (e.g. UTC, "
                       "Europe/Berlin)") from None


def parse_time(value: str | None, option: str, assume_tz: str | None = None) -> datetime | None:
    """ISO 8601 with an offset; a naive value needs --assume-tz (never assumed UTC)."""
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise CliError(f"{option}: {value!r} is not an ISO 8601 date/time "
                       "(e.g. 2024-03-01T09:00:00+01:00)") from None
    if parsed.tzinfo is None:
        zone = parse_zone(assume_tz)
        if zone is None:
            stem = value.strip() if "T" in value else f"{value.strip()}T00:00:00"
            raise CliError(f"{option} {value!r} has no timezone offset, and asof never "
                           f"assumes UTC: give one, e.g. {stem}Z or {stem}+01:00")
        parsed = parsed.replace(tzinfo=zone)
    return parsed


def page_options(default_limit: int | None = None, max_limit: int = 100_000,
                 what: str = "items") -> Callable[[F], F]:
    """--limit and --offset, for every command that lists (the same names on every surface)."""

    def add(func: F) -> F:
        func = click.option("--offset", default=0, show_default=True,
                            type=click.IntRange(0, 1_000_000),
                            help=f"Skip this many {what}: the next_offset of the page "
                                 "before.")(func)
        return click.option("--limit", default=default_limit, show_default=True,
                            type=click.IntRange(1, max_limit),
                            help=f"At most this many {what}"
                                 + ("." if default_limit else " (default: all).")
                            )(func)

    return add


def emit_page(page: Page[Any], items: list[Any], as_json: bool, human: Callable[[], None],
              **extra: Any) -> None:
    """A page of a list: JSON ``{..., items, limit, offset, next_offset}`` (the REST shape), or
    the human form with, on stderr, how to get the next page."""
    if as_json:
        emit({**extra, "items": items, **page.window()}, True, human)
        return
    human()
    more_hint(page.next_offset)


def more_hint(next_offset: int | None) -> None:
    """Tell a reader at a terminal how to get the next page (on stderr: pipes get the rows)."""
    if next_offset is not None:
        click.echo(f"(more: --offset {next_offset})", err=True)


def write_or_print(text: str, output: Path | None, wrote: str) -> None:
    """Write ``text`` to ``output`` and say what was written (``wrote``, e.g. "wrote 3
    nodes"), or print it when no file is given."""
    if output:
        output.write_text(text + "\n", encoding="utf-8")
        click.echo(f"{wrote} to {output}")
    else:
        click.echo(text)


def emit(data: Any, as_json: bool, human: Callable[[], None]) -> None:
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))
    else:
        human()


def table(rows: Sequence[Sequence[Any]], headers: Sequence[str]) -> None:
    cells = [[("" if c is None else str(c)) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h)
              for i, h in enumerate(headers)]
    click.echo("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
    click.echo("  ".join("-" * w for w in widths))
    for row in cells:
        click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    if not cells:
        click.echo("(nothing)")


def short_date(value: datetime | None, open_text: str) -> str:
    return isoformat(value)[:10] if value else open_text  # type: ignore[index]


def fact_rows(views: Sequence[FactView]) -> list[list[Any]]:
    return [[v.subject, v.version.predicate, v.object, short_date(v.version.valid_from, "…"),
             short_date(v.version.valid_to, "now"), v.version.fact_key] for v in views]


FACT_HEADERS = ["subject", "predicate", "object", "from", "to", "fact key"]
