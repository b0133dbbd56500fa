"""The web UI's timeline layout (api/ui/timeline.py): lanes, bar positions, the state of each
bar at a transaction time, and the slider's steps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from asof.api.ui.timeline import LABEL_WIDTH, PLOT_WIDTH, ROW_HEIGHT, layout, state_at
from asof.graph import ids
from asof.graph.models import Basis, FactVersion

pytestmark = pytest.mark.unit

T0 = datetime(2024, 1, 1, tzinfo=UTC)
SUBJECT = ids.entity_id("t", "person", "Maya")


def day(n: int) -> datetime:
    return T0 + timedelta(days=n)


def version(version_id: str, predicate: str, value: str, *, valid_from: datetime | None,
            valid_to: datetime | None = None, recorded_at: datetime = T0,
            superseded_at: datetime | None = None,
            episode_ids: tuple[str, ...] = ()) -> FactVersion:
    return FactVersion(
        version_id=version_id, tenant="t",
        fact_key=ids.fact_key("t", SUBJECT, predicate, ids.literal_key(value)),
        subject_id=SUBJECT, predicate=predicate, object_value=value, valid_from=valid_from,
        valid_to=valid_to,
        valid_from_basis=Basis.STATED if valid_from is not None else Basis.UNKNOWN,
        recorded_at=recorded_at, superseded_at=superseded_at, episode_ids=episode_ids,
        extractor="test/1", confidence=0.9)


# A correction: believed to start on day 10 from day 5, corrected to day 20 on day 30.
OLD = version("v1", "works_at", "Acme", valid_from=day(10), recorded_at=day(5),
              superseded_at=day(30), episode_ids=("e1",))
NEW = version("v2", "works_at", "Acme", valid_from=day(20), recorded_at=day(30),
              episode_ids=("e1", "e2"))
LIVES = version("v3", "lives_in", "Leeds", valid_from=None, valid_to=day(40),
                recorded_at=day(6), episode_ids=("e3",))


def test_a_bar_is_unknown_before_its_recording_then_believed_then_superseded() -> None:
    assert state_at(OLD, day(4)) == "unknown"
    assert state_at(OLD, day(5)) == "believed"
    assert state_at(OLD, day(29)) == "believed"
    assert state_at(OLD, day(30)) == "superseded"  # half-open: superseded_at is excluded
    assert state_at(OLD, None) == "superseded"
    assert state_at(NEW, None) == "believed"


def test_one_lane_per_predicate_one_row_per_object_in_valid_time_order() -> None:
    chart = layout([NEW, LIVES, OLD], None)
    assert [(r.predicate, r.object) for r in chart.rows] == [("lives_in", "Leeds"),
                                                              ("works_at", "Acme")]
    assert [p for p, _, _ in chart.lanes] == ["lives_in", "works_at"]
    acme = chart.rows[1]
    assert [b.version.version_id for b in acme.bars] == ["v1", "v2"]
    assert [b.state for b in acme.bars] == ["superseded", "believed"]
    assert acme.y - chart.rows[0].y == ROW_HEIGHT + 10  # a gap between lanes
    assert chart.versions == 3


def test_bars_sit_at_their_valid_times_and_open_ends_reach_the_edges() -> None:
    chart = layout([OLD, NEW, LIVES], None)
    leeds = chart.rows[0].bars[0]
    assert leeds.open_start and leeds.x == LABEL_WIDTH  # since the unknown past
    old, new = chart.rows[1].bars
    assert old.open_end and old.x + old.width == pytest.approx(LABEL_WIDTH + PLOT_WIDTH)
    assert old.x < new.x
    # 10 days apart on a domain of 35 days (the first recording, day 5, to the last stated
    # end, day 40), padded by 3 % each side
    scale = PLOT_WIDTH / (35 * 1.06)
    assert new.x - old.x == pytest.approx(10 * scale, rel=1e-6)


def test_the_slider_steps_are_the_transaction_times() -> None:
    chart = layout([OLD, NEW, LIVES], day(29))
    assert [s.at for s in chart.steps] == [day(5), day(6), day(30)]
    assert chart.step_index == 1  # day 29 falls after the second step
    assert [b.state for b in chart.rows[1].bars] == ["believed", "unknown"]
    assert layout([OLD], day(1)).step_index == -1  # before anything was recorded
    assert layout([OLD], None).step_index == 1  # its recording and its superseding


def test_every_bar_has_a_text_alternative_with_both_intervals() -> None:
    chart = layout([OLD, NEW, LIVES], None)
    assert chart.rows[1].bars[0].label == (
        "works_at Acme: valid from 2024-01-11 until further notice; recorded "
        "2024-01-06 00:00Z, superseded 2024-01-31 00:00Z")
    assert chart.rows[0].bars[0].label.startswith(
        "lives_in Leeds: valid from the unknown past to 2024-02-10;")


def test_an_instant_still_gets_a_visible_bar() -> None:
    visit = version("v4", "visited", "Lisbon", valid_from=day(3), valid_to=day(3) +
                    timedelta(seconds=1))
    (bar,) = layout([visit, OLD], None).rows[1].bars
    assert bar.width >= 3
