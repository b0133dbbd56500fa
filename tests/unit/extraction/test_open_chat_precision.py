"""Open-domain chat says "love", "own" and "as a" far more often than it states a taste, a
possession or a job: a compliment on a thing in view, "my own journey", "as a friend". These
give no fact; the standing tastes and possessions around them still do. Sentences and names
are the tests' own."""

from __future__ import annotations

import pytest

from asof.extraction.assembly.words import trim_title
from tests.unit.extraction.conftest import Extract, Talk, triples

pytestmark = pytest.mark.unit


def _objects(found, predicate: str) -> set[str]:  # type: ignore[no-untyped-def]
    return {o for _, _, p, o in triples(found) if p == predicate}


def test_a_compliment_on_a_thing_in_view_is_no_taste(extract: Extract) -> None:
    found = extract("Wow, love that lamp! Where did you get it?",
                    "Love the stripes on the scarf.",
                    "I love your garden, so green.")
    assert _objects(found, "likes") == set()


def test_a_definite_thing_loved_after_exclaiming_over_what_is_shown_is_no_taste(
        extract: Extract, nlp) -> None:  # type: ignore[no-untyped-def]
    from asof.extraction.assembly.words import passing_taste

    found = extract("Wow, Tomás, that's stunning! I love the blue and gold palette.",
                    "Ha, this photo is great! I love all the little boats.",
                    "Oh that's sweet! I love the peace and love motif.",
                    "I love the mountains, we go every summer.")
    assert _objects(found, "likes") == {"mountains"}
    # a span the tagger found, under the noun phrase the liking verb governs
    with nlp.select_pipes(disable=[n for n in nlp.pipe_names if n.startswith("asof_")]):
        doc = nlp("Wow, that's stunning! I love the calm and light theme.")
    calm = next(t.i for t in doc if t.text == "calm")
    assert passing_taste(doc, None, calm, calm + 1)


def test_a_standing_taste_still_counts(extract: Extract) -> None:
    found = extract("I love sailing, and I really enjoy jazz.",
                    "She hates the open-plan office.",
                    "I'm a big fan of pottery - so calming.")
    assert {"sailing", "jazz", "pottery"} <= _objects(found, "likes")


def test_like_as_a_preposition_or_in_a_compound_is_no_taste(extract: Extract) -> None:
    found = extract("Bring papers like passports, bank statements and payslips.",
                    "Meeting like-minded cyclists is the best part.")
    assert _objects(found, "likes") == set()


def test_love_as_a_noun_needs_for_or_of(extract: Extract) -> None:
    assert _objects(extract("I'm ready to give all my love to a puppy."), "likes") == set()
    assert "kayaking" in _objects(extract("My love for kayaking started at camp."), "likes")


def test_a_liking_of_a_clause_is_no_taste(extract: Extract) -> None:
    found = extract("I love that the river teaches patience.")
    assert _objects(found, "likes") == set()


def test_a_liked_activity_cut_from_its_object_is_no_taste(extract: Extract) -> None:
    found = extract("Love seeing your progress with the band!",
                    "I love having you around.")
    assert _objects(found, "likes") == set()


def test_loving_as_an_adjective_is_no_taste(extract: Extract) -> None:
    found = extract("We want a more loving community.")
    assert _objects(found, "likes") == set()


def test_it_means_a_thing_of_this_turn_or_the_last(talk: Talk) -> None:
    turns = talk(("Oskar Lind", "I love fly fishing, it's my calm."),
                 ("Oskar Lind", "The weather here is grey."),
                 ("Oskar Lind", "We moved flats twice this year."),
                 ("Oskar Lind", "Anyway, I love it."))
    assert _objects(turns[-1], "likes") == set()


def test_my_own_is_emphasis_not_ownership(extract: Extract) -> None:
    found = extract("I shared my own journey and the struggles I had.",
                    "Being my own boss is great.")
    assert _objects(found, "owns") == set()
    assert "veltro" in _objects(extract("I own Veltro, a bike shop in Turin."), "owns")


def test_as_a_friend_or_as_well_as_is_no_title(extract: Extract) -> None:
    found = extract("Glad to have you as a friend.",
                    "I'm looking at nursing as a career.",
                    "I like folk as well as modern jazz.")
    assert _objects(found, "job_title") == set()
    assert "sous chef" in _objects(extract("I started at Osteria Lupa as a sous chef."),
                                   "job_title")


def test_a_name_that_only_says_which_group_or_event_stays_with_it(extract: Extract) -> None:
    found = extract("Yesterday I went to a Pride support group downtown.")
    visited = _objects(found, "visited") | _objects(found, "attended")
    assert visited and all(o != "pride" for o in visited)
    assert _objects(extract("Yesterday I visited the Brera gallery."), "visited") == \
        {"brera gallery"}
    assert _objects(extract("I visited Porto in May."), "visited") == {"porto"}


def test_an_event_or_a_place_is_no_job_title(learned_extract: Extract) -> None:
    found = learned_extract("I went to a pride parade last Friday and it was awesome.",
                            "Last week I went to an LGBTQ+ counseling workshop.")
    assert _objects(found, "job_title") == set()
    assert "lgbtq+ counseling workshop" in _objects(found, "attended") | \
        _objects(found, "visited")


def test_a_group_joined_keeps_its_head_noun(extract: Extract) -> None:
    found = extract("I joined the Hackney running club in May.",
                    "I just joined a new Pride activist group last Tuesday.")
    assert _objects(found, "member_of") == {"hackney running club", "pride activist group"}


def test_they_with_no_one_named_in_the_message_is_a_group(talk: Talk) -> None:
    turns = talk(("Ana Ruiz", "I went hiking with my cousin Pablo Ruiz on Sunday."),
                 ("Lena Berg", "My kids were at the zoo today. They love giraffes."))
    assert not any(p == "likes" for _, _, p, _ in triples(turns[1]))
    sam = talk(("Ana Ruiz", "Our friend Sam Okoro can help, they own Café Lume in Porto."))
    assert ("assert", "Sam Okoro", "owns", "café lume") in triples(sam[0])


def test_a_plan_being_written_is_no_subscription(extract: Extract,
                                                 learned_extract: Extract) -> None:
    # the tagger reads "business plan" as a subscription; the verb says it is being written
    found = learned_extract("I'm polishing the business plan before we meet investors.")
    found += extract("Still drafting my biz plan tonight, then bed.")
    assert _objects(found, "uses") == set()
    assert _objects(extract("We moved to the Business plan in May."), "uses") == \
        {"business plan"}


def test_the_people_of_the_chat_are_you_not_they(talk: Talk) -> None:
    turns = talk(("Ana Ruiz", "Family matters so much to me."),
                 ("Lena Berg", "You're right, Ana Ruiz. Family means the world to me. "
                               "Thankfully, they enjoyed the river cruise a lot!"))
    assert not any(s == "Ana Ruiz" for _, s, _, _ in triples(turns[1]))


def test_getting_others_involved_is_their_membership(extract: Extract) -> None:
    found = extract("So proud of you for getting others involved in the Riga Pride community.",
                    "I encouraged my students to get involved in the Tartu Pride community.")
    assert _objects(found, "member_of") == set()
    assert _objects(extract("I got involved in the Riga Pride community last year."),
                    "member_of") == {"riga pride community"}


def test_a_spouse_is_named_right_after_husband_or_wife(extract: Extract) -> None:
    assert _objects(extract("I followed my husband to Hanoi last spring."),
                    "married_to") == set()
    assert _objects(extract("my husband Cian works at Intel."), "married_to") == {"cian"}


@pytest.mark.parametrize(("read", "title"), [
    ("yep backend dev", "backend dev"),
    ("ya nurse manager", "nurse manager"),
    ("yes", "yes"),
    ("head grower", "head grower"),
])
def test_a_yes_before_a_title_is_no_part_of_it(read: str, title: str) -> None:
    assert trim_title(read) == title

