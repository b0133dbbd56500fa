"""The query layer on every backend: facts with provenance, history, timeline, diff, snapshot,
search, context, and `ask` over a broad set of question phrasings (written for these tests)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from asof.graph.clock import FakeClock
from asof.graph.contract import VersionQuery
from asof.graph.models import AssertionKind, Basis, EntityRef, Episode, FactAssertion, Granularity
from asof.graph.store import GraphStore
from asof.query import views
from asof.query.ask import ask, format_date
from asof.query.context import context, estimate_tokens
from tests.contract.store_helpers import org, place, product

pytestmark = pytest.mark.contract


def d(year: int, month: int, day: int = 1) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


LENA = EntityRef(name="Lena Moreau", type="person", aliases=("Lena",))
BOSS = EntityRef(name="Ravi Shah", type="person")
NOW = d(2025, 3, 1)


def say(store: GraphStore, clock: FakeClock, when: datetime, text: str,
        *facts: FactAssertion) -> None:
    clock.set(when)
    store.apply(Episode.create(tenant=store.tenant, speaker="Lena Moreau", occurred_at=when,
                               text=text), list(facts))


@pytest.fixture
def lena(store: GraphStore, clock: FakeClock) -> GraphStore:
    """Lena's history, as an agent would have heard it over two years."""
    say(store, clock, d(2023, 2, 10), "I'm an analyst at Orbit Freight and I live in Lyon.",
        FactAssertion(subject=LENA, predicate="works_at", object=org("Orbit Freight"),
                      valid_from=d(2021, 9), granularity=Granularity.MONTH),
        FactAssertion(subject=LENA, predicate="job_title", value="analyst"),
        FactAssertion(subject=LENA, predicate="lives_in", object=place("Lyon")))
    say(store, clock, d(2023, 11, 2), "I join Vela Labs on 1 December; Ravi will be my boss.",
        FactAssertion(subject=LENA, predicate="works_at", object=org("Vela Labs"),
                      valid_from=d(2023, 12, 1), granularity=Granularity.DAY),
        FactAssertion(subject=LENA, predicate="reports_to", object=BOSS,
                      valid_from=d(2023, 12, 1)))
    say(store, clock, d(2024, 4, 20), "We moved to Nantes in March. I use Figma and Notion.",
        FactAssertion(subject=LENA, predicate="lives_in", object=place("Nantes"),
                      valid_from=d(2024, 3), granularity=Granularity.MONTH),
        FactAssertion(subject=LENA, predicate="uses", object=product("Figma")),
        FactAssertion(subject=LENA, predicate="uses", object=product("Notion"),
                      evidence="I use Figma and Notion"))
    say(store, clock, d(2024, 6, 3), "I visited Porto on 1 June.",
        FactAssertion(subject=LENA, predicate="visited", object=place("Porto"),
                      valid_from=d(2024, 6, 1), granularity=Granularity.DAY))
    say(store, clock, d(2024, 9, 9), "I stopped using Notion last week.",
        FactAssertion(subject=LENA, predicate="uses", object=product("Notion"),
                      kind=AssertionKind.RETRACT, valid_from=d(2024, 9, 2),
                      evidence="I stopped using Notion"))
    say(store, clock, d(2024, 10, 1), "I used to play in the Rivet club.",
        FactAssertion(subject=LENA, predicate="member_of", object=org("Rivet club"),
                      basis=Basis.UNKNOWN))
    clock.set(NOW)
    return store


# ------------------------------------------------------------------ views


def test_facts_carry_provenance(lena: GraphStore) -> None:
    [fact] = views.facts(lena, "Lena", "works_at", valid_at=d(2022, 5, 1))
    assert fact.object == "Orbit Freight"
    [source] = fact.provenance
    assert source.speaker == "Lena Moreau" and source.occurred_at == d(2023, 2, 10)
    assert views.current(lena, "Lena Moreau", "works_at")[0].object == "Vela Labs"


def test_versions_by_subject_key_resolve_names_and_aliases_in_the_same_read(
        lena: GraphStore) -> None:
    lena_id = lena.resolve("Lena Moreau").id
    by_id = lena.find_versions(VersionQuery(subject_id=lena_id))
    assert by_id
    for key in ("lena moreau", "lena"):  # her name, and her alias
        assert lena.find_versions(VersionQuery(subject_key=key)) == by_id
    jobs = lena.find_versions(VersionQuery(subject_key="lena", predicate="works_at",
                                           valid_at=d(2022, 5, 1), known_at=NOW))
    assert [v.object_name for v in jobs] == ["Orbit Freight"]
    assert lena.find_versions(VersionQuery(subject_key="nobody")) == []
    # with another filter, both hold
    assert lena.find_versions(VersionQuery(subject_key="lena", subject_id="ent_" + "0" * 24)) \
        == []


@pytest.mark.parametrize(("subject", "predicate", "obj"), [
    ("Lena", "uses", None), ("lena moreau", None, None), ("Lena", "uses", "Notion"),
    (None, "lives_in", None)])
def test_facts_with_provenance_are_facts_and_their_provenance(
        lena: GraphStore, subject: str | None, predicate: str | None, obj: str | None) -> None:
    for when in ({"valid_at": d(2024, 5, 1), "known_at": NOW}, {}):
        versions, links, episodes = lena.facts_with_provenance(subject, predicate, obj, **when)
        assert versions == lena.facts(subject, predicate, obj, **when)
        assert versions or not when  # May 2024: every case has an answer
        want_links, want_episodes = lena.get_provenance([v.version_id for v in versions])
        assert sorted(links, key=repr) == sorted(want_links, key=repr)
        assert {e.id: e for e in episodes} == {e.id: e for e in want_episodes}


def test_provenance_is_one_read_with_each_link_quoting_its_own_claim(lena: GraphStore) -> None:
    """get_provenance: every link of the versions asked for, with its own claim's quote and
    its episode, in one read; a retraction's link quotes the retraction."""
    versions = lena.find_versions(VersionQuery(subject_id=lena.resolve("Lena").id,
                                               predicate="uses"))
    notion = [v for v in versions if v.object_name == "Notion" and v.valid_to is not None]
    assert len(notion) == 1
    links, episodes = lena.get_provenance([notion[0].version_id, "ver_unknown"])
    said = {e.id: e.text for e in episodes}
    assert sorted((said[link.episode_id], link.text, link.retraction) for link in links) == [
        ("I stopped using Notion last week.", "I stopped using Notion", True),
        ("We moved to Nantes in March. I use Figma and Notion.", "I use Figma and Notion",
         False)]
    assert lena.get_provenance([]) == ([], [])
    [fact] = views.facts(lena, "Lena", "uses", "Notion", valid_at=d(2024, 5, 1))
    assert [(p.evidence, p.evidence_start) for p in fact.provenance] == [
        ("I use Figma and Notion", 29), ("I stopped using Notion", 0)]


def test_history_shows_both_axes_and_audit_events(lena: GraphStore) -> None:
    key = views.facts(lena, "Lena", "works_at", valid_at=d(2022, 5, 1))[0].version.fact_key
    history = views.history(lena, key)
    assert len(history) == 2  # open-ended, then closed when Vela Labs was announced
    assert history[0].version.superseded_at == history[1].version.recorded_at
    assert history[1].version.supersedes == history[0].version.version_id
    assert {e.action.value for v in history for e in v.events} >= {"asserted", "closed"}
    assert views.history(lena, "fk_no_such_fact") == []


def test_timeline_per_predicate(lena: GraphStore) -> None:
    timeline = views.timeline(lena, "Lena")
    by = timeline.by_predicate()
    assert [(e.object, e.valid_from, e.valid_to) for e in by["works_at"]] == [
        ("Orbit Freight", d(2021, 9), d(2023, 12, 1)), ("Vela Labs", d(2023, 12, 1), None)]
    assert [(e.object, e.valid_to) for e in by["lives_in"]] == [
        ("Lyon", d(2024, 3)), ("Nantes", None)]
    before_move = views.timeline(lena, "Lena", known_at=d(2024, 1, 1)).by_predicate()
    assert [e.object for e in before_move["lives_in"]] == ["Lyon"]


def test_diff_on_both_axes(lena: GraphStore) -> None:
    valid = views.diff(lena, d(2023, 6, 1), d(2024, 6, 1))
    assert {(a.object, b.object) for a, b in valid.changed} == {
        ("Orbit Freight", "Vela Labs"), ("Lyon", "Nantes")}
    assert {v.object for v in valid.started} >= {"Ravi Shah", "Figma", "Notion"}
    learned = views.diff(lena, d(2024, 1, 1), d(2024, 5, 1), axis="transaction")
    assert {v.object for v in learned.started} >= {"Nantes", "Figma", "Notion"}
    assert {v.object for v in learned.ended} == {"Lyon"}  # the open Lyon version was closed


def test_snapshot_exports(lena: GraphStore) -> None:
    graph = views.snapshot(lena, valid_at=d(2024, 5, 1))
    edges = {(graph.nodes[u]["name"], k["predicate"], graph.nodes[v]["name"])
             for u, v, k in graph.edges(data=True)}
    assert ("Lena Moreau", "lives_in", "Nantes") in edges
    assert ("Lena Moreau", "works_at", "Vela Labs") in edges
    json.dumps(views.snapshot_json(graph))
    assert "<graphml" in views.snapshot_graphml(graph)


def test_search_filters_before_the_limit(lena: GraphStore) -> None:
    hits = views.search(lena, "Lyon Nantes", limit=5, valid_at=d(2023, 6, 1))
    facts = [h for h in hits if h.kind == "fact"]
    assert facts and all(h.version is not None and h.version.valid_at(d(2023, 6, 1))
                         for h in facts)
    assert {h.version.object_name for h in facts if h.version} == {"Lyon"}


def test_context_block_fits_the_budget(lena: GraphStore) -> None:
    block = context(lena, "Lena", query="which design tools", budget_tokens=80)
    assert block.tokens <= 80 and estimate_tokens(block.text) == block.tokens
    assert "Figma" in block.text.split("Current:")[0]  # related first
    wide = context(lena, "Lena", budget_tokens=400)
    assert "Vela Labs" in wide.text and "Recent changes:" in wide.text
    assert wide.omitted == 0 and block.omitted > 0


# ------------------------------------------------------------------ ask


@pytest.mark.parametrize(("question", "answers"), [
    ("Where does Lena work?", ["Vela Labs"]),
    ("Where is Lena Moreau working now?", ["Vela Labs"]),
    ("Where did Lena work in 2022?", ["Orbit Freight"]),
    ("Which company was Lena at in March 2023?", ["Orbit Freight"]),
    ("Who is Lena's manager?", ["Ravi Shah"]),
    ("Who does Lena report to?", ["Ravi Shah"]),
    ("Who is Lena's lead now?", ["Ravi Shah"]),
    ("Who reports to Ravi Shah?", ["Lena Moreau"]),
    ("Where does Lena live?", ["Nantes"]),
    ("Where did Lena live in January 2024?", ["Lyon"]),
    ("Where did Lena live before she joined Vela Labs?", ["Lyon"]),
    ("What tools does Lena use?", ["Figma"]),
    ("What did Lena use in May 2024?", ["Figma", "Notion"]),
    ("What is Lena's job title?", ["analyst"]),
    ("Where did Lena travel?", ["Porto"]),
    ("What was Lena a member of?", ["Rivet club"]),
    ("According to what we knew on 1 January 2024, where did Lena live?", ["Lyon"]),
    ("As recorded on 1 March 2023, where did Lena work in January 2024?", ["Orbit Freight"]),
    # verbs whose grammatical subject is the relation's object
    ("Who managed Lena in 2024?", ["Ravi Shah"]),
    ("Who does Ravi manage?", ["Lena Moreau"]),
    ("Which company employs Lena?", ["Vela Labs"]),
    # periods the resolver reads whole or differently: narrowed or respelled by the parser
    ("Where did Lena work in the summer of 2022?", ["Orbit Freight"]),
    ("Where did Lena work at the end of 2023?", ["Vela Labs"]),
    ("Where did Lena work in mid-2022?", ["Orbit Freight"]),
    ("Where did Lena live two years ago?", ["Lyon"]),
    # anchors without a verb, with an -ing verb, and "previously"
    ("Where did Lena work before Vela Labs?", ["Orbit Freight"]),
    ("Where did Lena work before moving to Nantes?", ["Vela Labs"]),
    ("Where did Lena live after Lyon?", ["Nantes"]),
    ("Where did Lena work previously?", ["Orbit Freight"]),
    # "where" with no relation word: any place; events asked about over all time
    ("Where was Lena on 1 June 2024?", ["Porto"]),
    ("Which places has Lena visited?", ["Porto"]),
])
def test_ask_answers(lena: GraphStore, question: str, answers: list[str]) -> None:
    answer = ask(lena, question, now=NOW)
    assert answer.status == "answered", answer.message
    assert sorted(answer.answers) == sorted(answers)
    assert answer.evidence and answer.facts


@pytest.mark.parametrize(("question", "date"), [
    ("When did Lena start at Vela Labs?", "2023-12-01"),
    ("When did Lena join Orbit Freight?", "2021-09"),
    ("When did Lena move to Nantes?", "2024-03"),
    ("When did Lena stop using Notion?", "2024-09-02"),
    ("When did Lena leave Orbit Freight?", "2023-12-01"),
    ("When was Lena's last day at Orbit Freight?", "2023-12-01"),
    ("When did Lena finish at Orbit Freight?", "2023-12-01"),
    ("When did Lena retire from Orbit Freight?", "2023-12-01"),
    ("When did Lena retire?", "2023-12-01"),  # no employer named: the job that ended
    ("When did Lena visit Porto?", "2024-06-01"),
    ("In which year did Lena join Orbit Freight?", "2021-09"),
    ("What year did Lena join Orbit Freight?", "2021-09"),
    ("Until when did Lena work at Orbit Freight?", "2023-12-01"),
    ("How long has Lena lived in Nantes?", "2024-03"),
    # an end is dated at the granularity of what replaced the fact (Nantes: a month)
    ("When did Lena move out of Lyon?", "2024-03"),
])
def test_ask_when(lena: GraphStore, question: str, date: str) -> None:
    answer = ask(lena, question, now=NOW)
    assert answer.status == "answered", answer.message
    assert answer.date == date and answer.instant is not None


@pytest.mark.parametrize("question", [
    "What pets does Lena have?",
    "Where did Lena live in 2019?",
    "Where does Tobias Brandt work?",
    "Who reports to Lena?",
    "What did Lena own in 2023?",
    "Where does Lena Zorblax live?",  # 'Lena' is Lena Moreau: this is somebody else
    "When did Chidi Okafor leave Orbit Freight?",
])
def test_ask_nothing_known(lena: GraphStore, question: str) -> None:
    answer = ask(lena, question, now=NOW)
    assert answer.status == "nothing_known", answer.answers
    assert answer.answers == [] and answer.message.startswith("Nothing known")


def test_nothing_known_offers_the_closest_facts(lena: GraphStore) -> None:
    answer = ask(lena, "Where did Lena live in 2019?", now=NOW)
    assert {f.object for f in answer.closest} >= {"Lyon"}


@pytest.mark.parametrize("question", ["", "   ", "hello there?", "What is the meaning of it?",
                                      "Lena?", "What happened before the merger?"])
def test_ask_unparseable(lena: GraphStore, question: str) -> None:
    answer = ask(lena, question, now=NOW)
    assert answer.status == "unparseable" and answer.message and answer.answers == []


def test_nothing_known_names_the_unknown_person(lena: GraphStore) -> None:
    answer = ask(lena, "When did Chidi Okafor leave Orbit Freight?", now=NOW)
    assert "Chidi Okafor" in answer.message


def test_how_long_answers_the_start_and_the_duration(lena: GraphStore) -> None:
    answer = ask(lena, "How long has Lena worked at Vela Labs?", now=NOW)
    assert answer.date == "2023-12-01"
    assert "since 2023-12-01" in answer.message and "about 1 year" in answer.message


def test_ask_object_is_the_entity_the_facts_link(lena: GraphStore, clock: FakeClock) -> None:
    """A question naming two things after the subject ("her MBA at Lyon Business School"):
    the object is the one the subject's facts link to; and a relation the question's words
    do not name ("shipping with") is found through the two entities it links."""
    say(lena, clock, d(2025, 1, 5), "I did my MBA at Lyon Business School from Sept 2019.",
        FactAssertion(subject=LENA, predicate="studies_at", object=org("Lyon Business School"),
                      valid_from=d(2019, 9), valid_to=d(2021, 6),
                      granularity=Granularity.MONTH),
        FactAssertion(subject=LENA, predicate="likes", object=product("MBA")),
        FactAssertion(subject=LENA, predicate="uses", object=org("Colis Express"),
                      valid_from=d(2024, 1, 2), granularity=Granularity.DAY))
    clock.set(NOW)
    answer = ask(lena, "When did Lena start her MBA at Lyon Business School?", now=NOW)
    assert answer.date == "2019-09", answer.message
    answer = ask(lena, "When did Lena start shipping with Colis Express?", now=NOW)
    assert answer.date == "2024-01-02", answer.message


def test_ask_first_name_and_full_name_are_one_person(lena: GraphStore,
                                                    clock: FakeClock) -> None:
    """'Tariq' and 'Tariq Aziz' both stored (a name not always given in full): a question
    about either sees the facts of both."""
    say(lena, clock, d(2024, 11, 1), "Tariq moved to Brest. Tariq Aziz adopted a dog, Biscuit.",
        FactAssertion(subject=EntityRef(name="Tariq", type="person"), predicate="lives_in",
                      object=place("Brest")),
        FactAssertion(subject=EntityRef(name="Tariq Aziz", type="person"),
                      predicate="has_pet", value="Biscuit"))
    clock.set(NOW)
    assert ask(lena, "What pets does Tariq have?", now=NOW).answers == ["Biscuit"]
    assert ask(lena, "Where does Tariq Aziz live?", now=NOW).answers == ["Brest"]


def test_ask_first_person_is_the_asker(lena: GraphStore) -> None:
    answer = ask(lena, "Where do I live?", now=NOW, asker="Lena Moreau")
    assert answer.answers == ["Nantes"]


def test_ask_now_defaults_to_what_is_currently_believed(lena: GraphStore,
                                                        clock: FakeClock) -> None:
    clock.set(d(2024, 9, 30))  # behind the last write (recorded 2024-10-01): still visible
    assert ask(lena, "What was Lena a member of?").answers == ["Rivet club"]


def test_format_date_keeps_granularity() -> None:
    instant = d(2023, 8, 14)
    assert format_date(instant, Granularity.YEAR) == "2023"
    assert format_date(instant, Granularity.MONTH) == "2023-08"
    assert format_date(instant, Granularity.QUARTER) == "2023-Q3"
    assert format_date(instant, None) == "2023-08-14"
    assert format_date(instant + timedelta(hours=5), Granularity.DAY) == "2023-08-14"


def test_ask_reads_names_and_words_people_use(lena: GraphStore, clock: FakeClock) -> None:
    """A given name after the family name ("Ji-woo" for Park Ji-woo), a capital outside
    ASCII ("Élodie"), "become" for a title, "squad" for a group, "job title" without the
    employer, "last day" for an end."""
    ji_woo = EntityRef(name="Park Ji-woo", type="person")
    elodie = EntityRef(name="Élodie Marchand", type="person")
    say(lena, clock, d(2024, 11, 3), "Ji-woo is lead artist now; Élodie married Julien Roux.",
        FactAssertion(subject=ji_woo, predicate="job_title", value="lead artist",
                      valid_from=d(2024, 1, 8), granularity=Granularity.DAY),
        FactAssertion(subject=elodie, predicate="married_to",
                      object=EntityRef(name="Julien Roux", type="person"),
                      valid_from=d(2019, 6), granularity=Granularity.MONTH),
        FactAssertion(subject=LENA, predicate="member_of", object=org("Payments squad"),
                      valid_from=d(2024, 8), granularity=Granularity.MONTH))
    clock.set(NOW)
    assert ask(lena, "When did Ji-woo become lead artist?", now=NOW).date == "2024-01-08"
    # a word inside another full name is no part of Park Ji-woo's ("Quillon Ji-woo")
    other = ask(lena, "What is Quillon Ji-woo's job title?", now=NOW)
    assert other.status == "nothing_known" and "Quillon Ji-woo" in other.message
    assert ask(lena, "Who was Élodie married to in 2023?", now=NOW).answers == ["Julien Roux"]
    assert ask(lena, "Which squad is Lena in?", now=NOW).answers == ["Payments squad"]
    assert ask(lena, "What is Lena's job title?", now=NOW).answers == ["analyst"]
    assert ask(lena, "When was Lena's last day at Orbit Freight?", now=NOW).date == \
        "2023-12-01"


def test_a_month_said_at_an_offset_does_not_reach_into_the_month_before(
        lena: GraphStore, clock: FakeClock) -> None:
    """"From February" said at +01:00 starts at 23:00 UTC on 31 January: asked about
    January, it is not there yet."""
    say(lena, clock, d(2024, 2, 3), "We use Quire since February.",
        FactAssertion(subject=LENA, predicate="uses", object=product("Quire"),
                      valid_from=datetime(2024, 1, 31, 23, tzinfo=UTC),
                      granularity=Granularity.MONTH))
    clock.set(NOW)
    assert "Quire" not in ask(lena, "What did Lena use in January 2024?", now=NOW).answers
    assert "Quire" in ask(lena, "What did Lena use in February 2024?", now=NOW).answers
