"""The bitemporal timeline of one entity, laid out for an SVG: valid time along x, one lane per
predicate (one row per object inside it), one bar per fact version.

Every version of the entity is drawn, whatever it was believed; each bar carries its
transaction interval, and the known-at slider (``static/ui.js``) shows, for a chosen
transaction time, the versions believed then (``believed``), those already replaced by then
(``superseded``: corrections, closures, retractions) and hides those not yet recorded. The
server renders the same state for the page's ``known_at``, so the page reads right before any
script runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from markupsafe import Markup, escape

from asof.graph.instants import to_us
from asof.graph.models import FactVersion

LABEL_WIDTH = 220  #: the predicate and object names, left of the plot
PLOT_WIDTH = 900
RIGHT_MARGIN = 40  #: room for the last tick's label
ROW_HEIGHT = 24
LANE_GAP = 10
AXIS_HEIGHT = 28
MIN_BAR_WIDTH = 3.0  #: an instantaneous event still gets a visible, clickable bar
TICKS = 8


@dataclass(frozen=True, slots=True)
class Bar:
    version: FactVersion
    x: float
    width: float
    open_start: bool  #: valid since the unbounded past
    open_end: bool  #: valid until further notice
    state: str  #: believed | superseded | unknown, at the page's known_at
    label: str  #: the bar's text alternative: both intervals in words
    recorded_us: int  #: the transaction interval for the slider's script, in µs
    superseded_us: int | None


def bar_label(v: FactVersion) -> str:
    start = _day(v.valid_from) if v.valid_from else "the unknown past"
    end = f"to {_day(v.valid_to)}" if v.valid_to else "until further notice"
    believed = (f"recorded {_minute(v.recorded_at)}, "
                + (f"superseded {_minute(v.superseded_at)}" if v.superseded_at
                   else "still believed"))
    return f"{v.predicate} {v.object_label}: valid from {start} {end}; {believed}"


@dataclass(frozen=True, slots=True)
class Row:
    predicate: str
    object: str
    y: float
    bars: tuple[Bar, ...]


@dataclass(frozen=True, slots=True)
class Step:
    """A transaction time at which the entity's beliefs changed."""

    at: datetime


@dataclass(frozen=True, slots=True)
class Chart:
    rows: tuple[Row, ...]
    lanes: tuple[tuple[str, float, float], ...]  #: (predicate, top y, bottom y)
    ticks: tuple[tuple[float, str], ...]  #: (x, label)
    steps: tuple[Step, ...]
    step_index: int  #: the slider's position for the page's known_at (-1: before any)
    width: int
    height: int
    versions: int = field(default=0)


def state_at(version: FactVersion, known_at: datetime | None) -> str:
    """``known_at`` None: as currently believed."""
    if known_at is not None and version.recorded_at > known_at:
        return "unknown"
    if version.superseded_at is not None and (known_at is None
                                              or version.superseded_at <= known_at):
        return "superseded"
    return "believed"


def layout(versions: Sequence[FactVersion], known_at: datetime | None) -> Chart:
    """Place every version; ``known_at`` picks the initial state of each bar."""
    low, high = _domain(versions)
    span = (high - low).total_seconds()

    def x_of(instant: datetime | None, default: float) -> float:
        if instant is None:
            return default
        return LABEL_WIDTH + PLOT_WIDTH * (instant - low).total_seconds() / span

    rows: list[Row] = []
    lanes: list[tuple[str, float, float]] = []
    y = float(AXIS_HEIGHT)
    by_row: dict[tuple[str, str], list[FactVersion]] = {}
    for v in sorted(versions, key=lambda v: (v.predicate, _start(v), v.recorded_at)):
        by_row.setdefault((v.predicate, v.object_label), []).append(v)
    predicates = sorted({p for p, _ in by_row})
    for predicate in predicates:
        top = y
        for (p, obj), row_versions in by_row.items():
            if p != predicate:
                continue
            bars = []
            for v in row_versions:
                x0 = x_of(v.valid_from, LABEL_WIDTH)
                x1 = x_of(v.valid_to, LABEL_WIDTH + PLOT_WIDTH)
                bars.append(Bar(v, x0, max(x1 - x0, MIN_BAR_WIDTH), v.valid_from is None,
                                v.valid_to is None, state_at(v, known_at), bar_label(v),
                                to_us(v.recorded_at),
                                to_us(v.superseded_at) if v.superseded_at else None))
            rows.append(Row(predicate, obj, y, tuple(bars)))
            y += ROW_HEIGHT
        lanes.append((predicate, top, y))
        y += LANE_GAP
    steps = _steps(versions)
    index = len(steps) - 1 if known_at is None else \
        sum(1 for s in steps if s.at <= known_at) - 1
    ticks = tuple((LABEL_WIDTH + PLOT_WIDTH * i / (TICKS - 1),
                   _day(low + timedelta(seconds=span * i / (TICKS - 1))))
                  for i in range(TICKS))
    return Chart(tuple(rows), tuple(lanes), ticks, steps, index,
                 LABEL_WIDTH + PLOT_WIDTH + RIGHT_MARGIN, int(y) + 4, len(versions))


def _start(v: FactVersion) -> datetime:
    return v.valid_from or datetime.min.replace(tzinfo=v.recorded_at.tzinfo)


def _domain(versions: Sequence[FactVersion]) -> tuple[datetime, datetime]:
    """From the earliest stated instant to the latest one (or the latest recording, so that
    "until further notice" reaches at least the last thing learned), padded by 3 %."""
    instants = [t for v in versions for t in (v.valid_from, v.valid_to, v.recorded_at)
                if t is not None]
    if not instants:
        raise ValueError("a timeline needs at least one version")
    low, high = min(instants), max(instants)
    if high - low < timedelta(days=1):
        high = low + timedelta(days=1)
    pad = (high - low) * 0.03
    return low - pad, high + pad


def _steps(versions: Sequence[FactVersion]) -> tuple[Step, ...]:
    instants = {v.recorded_at for v in versions} | {
        v.superseded_at for v in versions if v.superseded_at is not None}
    return tuple(Step(at) for at in sorted(instants))


# isoformat slicing, not strftime: a timeline of thousands of versions formats tens of
# thousands of instants (stored instants are UTC).
def _day(instant: datetime) -> str:
    return instant.isoformat()[:10]


def _minute(instant: datetime) -> str:
    return instant.isoformat()[:16].replace("T", " ") + "Z"


def bars_markup(row: Row) -> Markup:
    """A row's bars as SVG links. Built here rather than in the template: a timeline can hold
    thousands of versions, and this is about ten times faster than the template loop. Each
    bar's ``<title>`` is its text alternative (and tooltip); ``data-rec``/``data-sup`` carry
    its transaction interval for the slider."""
    return Markup("".join(
        f'<a href="/ui/facts/{escape(bar.version.fact_key)}#v-{escape(bar.version.version_id)}"'
        f' class="bar {bar.state}" tabindex="-1" data-rec="{bar.recorded_us}"'
        f' data-sup="{"" if bar.superseded_us is None else bar.superseded_us}">'
        f'<title>{escape(bar.label)}</title><rect x="{bar.x:.1f}" y="{row.y + 9:.0f}"'
        f' width="{bar.width:.1f}" height="12" rx="3"></rect></a>\n'
        for bar in row.bars))
