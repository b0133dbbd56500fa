"""Trigger patterns for relation extraction (spaCy ``Matcher`` token patterns); the word lists
they and the assembler test against are in ``lexicons.py``.

A rule says: when these tokens match, there may be a fact of ``predicate``; its object is found
by ``obj`` (how to read the object after or around the trigger) and its subject by ``subj``.
The patterns are about phrasing, never about particular names: every predicate of the registry
has several phrasings here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from asof.extraction.lexicons import data_json, data_lines

# Object readers (see components/relations.py):
#   name   — a proper name after the trigger (entity object)
#   np     — a lowercase literal noun phrase after the trigger
#   any    — a name if there is one, else a literal noun phrase
#   none   — no object (a retraction of whatever holds, or an object taken from context)
#   before — the name right before the trigger ("Routa broke up")
# Subject readers: clause (the clause's subject), possessor ("my manager is X": my),
#   object (the pronoun right after the trigger: "hired me"), object_name (X in "X reports to")


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    predicate: str
    kind: str  # assert | retract | used_to | switch_from | correct | offer (a future job)
    pattern: tuple[dict[str, Any], ...]
    obj: str = "name"
    #: clause | possessor | object | inner (a pronoun in the match) | we (always)
    subj: str = "clause"
    allow_negation: bool = False
    list_objects: bool = False
    inverse: bool = False  #: object and subject swap ("X reports to me")
    peek: bool = False  #: the last pattern token is the object's first token
    #: the object may be typed in lower case ("empecé en quillay"): a run of words that are
    #: no everyday English or foreign words reads as a name
    lower_names: bool = False
    #: the object may follow the match's clause in its sentence ("the guy I report to, Tomas
    #: Berg, is great": the name after the relative clause)
    sentence_object: bool = False


#: Words for a spouse, in English chat and other languages ("hubby", "esposa").
_SPOUSE_WORDS = tuple(w.lower() for w in data_json("role_words.json")["spouse"])


def _lemma(*words: str) -> dict[str, Any]:
    return {"LEMMA": {"IN": list(words)}}


def _lower(*words: str) -> dict[str, Any]:
    return {"LOWER": {"IN": list(words)}}


def _opt(*words: str) -> dict[str, Any]:
    return {"LOWER": {"IN": list(words)}, "OP": "?"}


_ADV = {"LOWER": {"IN": ["still", "now", "currently", "also", "just", "already", "actually",
                         "officially", "finally", "recently", "all", "both", "basically",
                         "mostly", "really", "pretty", "even", "only", "back", "full-time",
                         "fully", "remotely", "part-time", "freelance"]}, "OP": "*"}
#: What follows an arrival said with its day ("landed on the 3rd", "flew home yesterday").
_ARRIVAL_DAY = _lower("on", "yesterday", "today", "tonight", "last", "this", "monday",
                      "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
#: "Lost my job …" opens a sentence, where the tagger may take "Lost" for a name
_LOSE_JOB = {"LOWER": {"IN": ["lose", "loses", "lost", "losing", "quit", "quits", "quitting",
                              "leave", "leaves", "left", "leaving"]}}
_DET = {"LOWER": {"IN": ["a", "an", "the", "my", "our", "his", "her", "their", "its"]},
        "OP": "?"}
_BE = _lemma("be")
#: "reports directly to", "reports straight to"
_REPORT_ADV = _opt("directly", "straight")
#: Verbs that move a subscription to another plan ("flip us to Pro", "can we go to Pro?").
PLAN_SWITCH_VERBS = ("switch", "upgrade", "downgrade", "migrate", "move", "put", "flip", "bump",
                     "change", "go")

#: Animals kept as pets, as lemmas ("budgies" → "budgie").
_PET_LEMMAS = data_lines("pet_words.txt")
_DEGREES = data_lines("degree_words.txt")

RULES: tuple[Rule, ...] = (
    # ---------------------------------------------------------------- works_at
    Rule("work_at", "works_at", "assert",
         (_lemma("work"), _ADV, _lower("at", "for", "with")), lower_names=True),
    Rule("start_at", "works_at", "assert",
         (_lemma("start", "begin"), _ADV, _lower("at", "with")), lower_names=True),
    Rule("join_org", "works_at", "assert", (_lemma("join"), _ADV)),
    # "I'm the IT manager here, joined in October 2022": joined the organisation in context
    Rule("join_bare", "works_at", "assert",
         (_lemma("join"), _opt("in", "on", "back"),
          {"ENT_TYPE": "DATE", "LOWER": {"NOT_IN": ["the", "a", "an", "my", "our"]}}),
         obj="none"),
    # "new hire: Oskar is coming on board 5 Feb as head of sales": joins the organisation in
    # context (not "came on board with the idea": agreeing)
    Rule("join_bare", "works_at", "assert",
         (_lemma("come", "climb"), {"LOWER": {"IN": ["on", "aboard"]}},
          {"LOWER": "board", "OP": "?"}, {"LOWER": {"NOT_IN": ["with", "for", "to", "board"]}}),
         obj="none"),
    Rule("be_at", "works_at", "assert",
         (_BE, _ADV, {"LOWER": {"IN": ["with", "at"]}})),
    Rule("stay_at", "works_at", "assert", (_lemma("stay"), _lower("at", "with"))),
    Rule("job_at", "works_at", "assert",
         (_lower("job", "position", "role", "fellowship", "internship", "contract", "post"),
          _opt("was", "is", "'s", "will", "be"), _opt("be"), _lower("at", "with"))),
    # "my first job was Kilo Freight": the job named by its employer
    Rule("job_was", "works_at", "assert",
         (_lower("job", "employer"), _lower("was", "is"))),
    # "we hired Pia Sund", "we've onboarded Teo": the person works at our organisation
    Rule("we_hired", "works_at", "assert",
         (_lemma("hire", "onboard", "recruit"), {"IS_TITLE": True}), obj="name", peek=True,
         inverse=True),
    Rule("here_at", "works_at", "assert", (_lower("here"), _lower("at"))),
    Rule("hired_by", "works_at", "assert", (_lemma("hire"), _lower("me", "him", "her", "them")),
         obj="before", subj="object"),
    Rule("hired_by2", "works_at", "assert", (_lower("hired"), _lower("by"))),
    Rule("left_org", "works_at", "retract", (_lemma("leave", "quit"), _ADV)),
    Rule("resign", "works_at", "retract", (_lemma("resign", "retire"),), obj="none"),
    # "Lan is not with us anymore since May", "he's no longer with Kestrel": gone from there
    Rule("no_longer_with", "works_at", "retract",
         (_lemma("be"), _lower("not", "no", "n't"), _opt("longer"), _lower("with")),
         allow_negation=True),
    # "lost my job at X", "got laid off from X", "was fired by X": the job ended
    Rule("lost_job_at", "works_at", "retract",
         (_LOSE_JOB, _lower("my", "his", "her", "their", "our", "the"),
          _opt("old", "last", "first"), _lower("job", "position", "role", "post"),
          _lower("at", "with")), allow_negation=False),
    Rule("lost_job_as", "job_title", "retract",
         (_LOSE_JOB, _lower("my", "his", "her", "their", "the"),
          _opt("old", "last", "first"), _lower("job", "position", "role", "post"),
          _lower("as"), _DET), obj="np"),
    Rule("laid_off", "works_at", "retract",
         (_lemma("lay"), _lower("off"), _lower("from", "by", "at"))),
    Rule("fired_from", "works_at", "retract",
         (_lemma("fire", "sack", "dismiss"), _lower("from", "by", "at"))),
    # "Tom got laid off last week", "I was let go on Friday", "she got made redundant": the
    # job the subject holds ends (named or not)
    Rule("laid_off_bare", "works_at", "retract", (_lemma("lay"), _lower("off")), obj="none"),
    Rule("let_go", "works_at", "retract",
         (_lower("was", "were", "got", "been", "get", "getting"), _ADV,
          _lower("let", "fired", "sacked", "dismissed"), _opt("go")), obj="none"),
    Rule("made_redundant", "works_at", "retract",
         (_lower("was", "were", "got", "been", "get", "getting"), _ADV, _lower("made"),
          _lower("redundant")), obj="none"),
    Rule("resign_from", "works_at", "retract", (_lemma("resign", "retire"), _lower("from"))),
    # "he's been there since 2019": a tenure (the clause must give a start or a length)
    Rule("been_there", "works_at", "assert", (_lower("been"), _ADV, _lower("there")),
         peek=True),
    Rule("start_there", "works_at", "assert",
         (_lemma("start", "begin"), _ADV, _lower("there")), peek=True),
    Rule("offer_from", "works_at", "offer",
         (_lemma("accept", "take", "sign"), _DET, _opt("job", "formal", "written"),
          _lower("offer"), _lower("from", "with", "at"))),
    Rule("offer_poss", "works_at", "offer",
         (_lemma("accept", "take", "sign"), {"IS_TITLE": True, "OP": "{1,4}"},
          {"ORTH": {"IN": ["'s", "’s"]}}, _opt("job"), _lower("offer")), obj="poss"),
    # "I got the Rabobank job", "got PayNest, backend engineer": a new job (the words after
    # the name are checked in components/match_checks.py)
    Rule("got_job", "works_at", "assert",
         (_lower("got", "landed", "get", "getting"), _opt("the"),
          {"TEXT": {"REGEX": r"^[A-Z]"}}), obj="name", peek=True),
    Rule("start_bare", "works_at", "assert",
         (_lemma("start", "begin"), _opt("on", "in"), {"ENT_TYPE": "DATE"}), obj="none"),
    Rule("first_day", "works_at", "assert",
         (_lower("first", "start"), _lower("day", "date"), _opt("is", "will", ":"),
          _opt("be")), obj="none"),
    # "Visa approved! Start is Monday 1 July": the start of the job announced before
    Rule("first_day", "works_at", "assert",
         ({"LOWER": "start", "POS": {"IN": ["NOUN", "PROPN"]}}, _lower("is", ":"),
          _opt("now", "on")), obj="none"),
    Rule("last_day", "works_at", "retract",
         (_lower("last", "final"), _opt("working", "official"), _lower("day", "shift", "duty")),
         obj="none"),
    # "priya wrapped up at Zeptonic last month", "I finish at the school on 28 Feb", "we
    # parted ways with Kora": an ending, whose date is no start
    Rule("wrap_up_at", "works_at", "retract",
         (_lemma("wrap", "finish"), _opt("up"), _ADV, _lower("at", "with"))),
    Rule("part_ways", "works_at", "retract",
         (_lemma("part"), _lower("ways", "way"), _lower("with"))),
    # ---------------------------------------------------------------- job_title
    Rule("as_title", "job_title", "assert", (_lower("as"), _DET), obj="np"),
    Rule("promoted", "job_title", "assert",
         (_lemma("promote"), _lower("to"), _DET), obj="np"),
    # "I've been made a charge nurse", "he was made foreman in 2019", "they bumped me (up) to
    # team lead": a new title, as a promotion is
    Rule("made_title", "job_title", "assert",
         (_lemma("be", "get"), _ADV, _lower("made"), _DET), obj="np"),
    Rule("bumped_to", "job_title", "assert",
         (_lemma("bump"), _lower("me", "him", "her"), _opt("up"), _lower("to"), _DET),
         obj="np", subj="object"),
    Rule("title_colon", "job_title", "assert",
         (_lower("title", "role", "position"), {"ORTH": ":"}), obj="np"),
    # ---------------------------------------------------------------- lives_in
    Rule("live_in", "lives_in", "assert",
         (_lemma("live", "reside"), _ADV, _lower("in")), lower_names=True),
    # "Lives in Mukono." opening a note line: the tagger takes the capitalised verb for the
    # plural of "life", whose lemma the rule above never sees
    Rule("lives_noun_in", "lives_in", "assert",
         ({"LOWER": "lives", "POS": {"NOT_IN": ["VERB", "AUX"]}}, _ADV, _lower("in"))),
    Rule("based_in", "lives_in", "assert", (_lower("based", "settled"), _ADV, _lower("in")),
         lower_names=True),
    Rule("move_to", "lives_in", "assert",
         (_lemma("move", "relocate", "emigrate"), _ADV, _opt("back", "over", "up", "down"),
          {"ORTH": {"IN": ["—", "–", "-"]}, "OP": "?"}, _lower("to")),  # "moving — to X"
         sentence_object=True, lower_names=True),
    # "I moved to Tallinn from Tartu in March": the home left, after the one moved to
    Rule("move_to_from", "lives_in", "switch_from",
         (_lemma("move", "relocate", "emigrate"), _ADV,
          _opt("back", "over"), _lower("to"),
          {"OP": "{1,4}", "IS_ALPHA": True, "LOWER": {"NOT_IN": ["from", "to", "and", "but"]}},
          _lower("from"))),
    Rule("move_in_together", "lives_in", "assert",
         (_lemma("move"), _lower("in"), _lower("together")), obj="none"),
    Rule("moving_day", "lives_in", "assert",
         (_lower("moving"), _lower("day")), obj="none"),
    # "we move April 1", "I move up on 20 February"
    Rule("move_bare", "lives_in", "assert",
         (_lemma("move"), _opt("up", "over", "down", "back", "out"),
          {"LOWER": {"IN": ["on", "in"]}, "OP": "?"},
          {"ENT_TYPE": "DATE"}), obj="none"),
    Rule("land_in", "lives_in", "assert", (_lemma("land", "arrive"), _lower("in"))),
    # "Hei fra Bergen! Landed 29 Sept", "back in Molde, flew home on the 2nd of May": the
    # day of arriving dates the home the message states, and nothing else
    # ("landed a job", "came back full-time in 2020" are no arrivals)
    Rule("arrive_bare", "lives_in", "assert",
         (_lemma("land", "arrive"), _opt("home", "back", "here"), _ARRIVAL_DAY), obj="none"),
    Rule("arrive_bare", "lives_in", "assert",
         (_lemma("land", "arrive", "fly"), _opt("home", "back", "here"), {"LIKE_NUM": True}),
         obj="none"),
    Rule("arrive_bare", "lives_in", "assert",
         (_lemma("fly"), _lower("home", "back"), _ARRIVAL_DAY), obj="none"),
    # "…, here in Bergen", "it's pouring here in Stavanger": where the speaker is at home
    Rule("here_in", "lives_in", "assert",
         (_lower("here"), _lower("in"),
          {"IS_ALPHA": True, "ENT_TYPE": {"NOT_IN": ["DATE", "TIME"]}}),
         subj="speaker", peek=True),
    Rule("been_in", "lives_in", "assert",
         (_lower("been"), _lower("in"), {"IS_TITLE": True}), obj="name"),
    # "at her house in Molde": the owner's home
    Rule("my_flat_in", "lives_in", "assert",
         (_lower("my", "our", "his", "her", "their"),
          _lower("flat", "apartment", "house", "home", "place"), _lower("in")),
         subj="possessor", lower_names=True),
    # "Ruaraidh and I are in a two-bed in Partick", "we found a flat in Porto", "he keeps the
    # house in Villeurbanne": a dwelling someone is in, has, finds or rents is a home
    Rule("dwelling_in", "lives_in", "assert",
         (_lemma("be", "have", "rent", "share", "buy", "find", "keep", "sign", "get"), _ADV,
          _opt("in", "for"), _lower("a", "an", "the", "our", "my", "their", "his", "her"),
          {"OP": "{0,4}", "POS": {"IN": ["ADJ", "NUM", "NOUN", "PUNCT", "ADV"]},
           "LOWER": {"NOT_IN": ["in", "at", ",", ".", "!", "?", ";", "and", "with"]}},
          _lower("flat", "apartment", "appartement", "house", "studio", "condo", "cottage",
                 "bungalow", "townhouse", "bed", "bedroom", "bedder", "bedsit", "duplex",
                 "loft"),
          _lower("in")), lower_names=True),
    # "aisha and i signed for a place in mississauga"; not "found the best dumpling place in
    # Leslieville"
    Rule("place_in", "lives_in", "assert",
         (_lemma("rent", "share", "buy", "sign", "get"), _ADV, _opt("for"),
          _lower("a", "our", "my", "their", "his", "her"), _opt("new", "own", "shared"),
          _lower("place"), _lower("in")), lower_names=True),
    Rule("leave_place", "lives_in", "retract", (_lemma("leave"), _ADV)),
    Rule("move_from", "lives_in", "switch_from",
         (_lemma("move", "relocate", "come", "emigrate"), _ADV, _opt("over", "here", "away"),
          _lower("from"))),
    # ---------------------------------------------------------------- reports_to
    Rule("report_to", "reports_to", "assert",
         (_lemma("report"), _ADV, _REPORT_ADV, _lower("to"), _DET)),
    # "the guy I report to, Tomas Berg, is great": the name after the relative clause
    # (components/match_checks.py checks that "report" heads one)
    Rule("report_to_named", "reports_to", "assert",
         (_lemma("report"), _ADV, _REPORT_ADV, _lower("to")), obj="after_comma_name",
         sentence_object=True),
    # "he reports to her": "her" is the object here, not a determiner
    Rule("report_to_pron", "reports_to", "assert",
         (_lemma("report"), _ADV, _REPORT_ADV, _lower("to"), _lower("her", "him")),
         peek=True),
    Rule("manager_is", "reports_to", "assert",
         (_lower("my", "his", "her", "their"),
          {"OP": "{0,2}", "IS_ALPHA": True, "IS_LOWER": True,
           "LOWER": {"NOT_IN": ["former", "old", "ex", "previous", "last", "future",
                                "potential", "next", "ideal", "dream"]}},
          _lower("manager", "boss", "lead", "supervisor", "manger", "mgr", "pi"), _opt(","),
          _opt("there", "here", "now"), _opt("will", "is", "'s", "was"), _opt("be", "now"),
          _DET), subj="possessor", lower_names=True),
    # terse chat drops the "my": "boss will be Anika de Villiers", "boss lady is ms. ramdial"
    Rule("manager_is_bare", "reports_to", "assert",
         ({"LOWER": {"IN": ["manager", "boss", "supervisor"]}, "IS_SENT_START": True},
          _opt("lady", "man", "there", "here", "now"), _lower("will", "is", "'s"),
          _opt("be"), _DET), subj="speaker"),
    # ---------------------------------------------------------------- studies_at
    Rule("student_at", "studies_at", "assert",
         (_lower("student", "studying", "study", "studies", "enrolled", "studied", *_DEGREES),
          _ADV, _lower("at", "in"))),
    # "B.Tech from NIT Trichy, 2010-14", "BCom from the American University of Sharjah"
    Rule("degree_from", "studies_at", "used_to", (_lower(*_DEGREES), _lower("from"), _DET)),
    # "BSc Lakeside University 2016–2019": a CV line's degree, then where (a school's name:
    # components/match_checks.py)
    Rule("degree_school", "studies_at", "assert", (_lower(*_DEGREES), {"IS_TITLE": True}),
         peek=True),
    # a CV line with its years: "MD Anaesthesiology, Lakeside Institute of Health, 2012–2015"
    # (the degree, what was studied, then the school) and "Norrland Tech, MSc Interaction
    # Design, 2014–2016" (the school first): components/match_checks.py wants the years
    Rule("degree_comma_school", "studies_at", "assert",
         (_lower(*_DEGREES), {"OP": "{0,6}", "ORTH": {"NOT_IN": [",", ".", ";", "\n", "—"]}},
          {"ORTH": ","}, {"IS_TITLE": True}), peek=True),
    Rule("school_comma_degree", "studies_at", "assert",
         ({"ORTH": ","}, _lower(*_DEGREES)), obj="before"),
    Rule("go_to_school", "studies_at", "assert", (_lower("goes", "go"), _lower("to"))),
    Rule("finished_at", "studies_at", "used_to",
         (_lemma("finish", "graduate", "complete"), {"OP": "{0,4}", "IS_ALPHA": True,
                                                      "LOWER": {"NOT_IN": ["at", "from"]}},
          _lower("at", "from"))),
    # ---------------------------------------------------------------- married_to
    # "my hubby Dale", "her husband, Dr Minh Trần": any word for a spouse (the data file's,
    # of other languages too: code-switched chat says "my esposa Lucía")
    Rule("spouse", "married_to", "assert",
         (_lower("my", "his", "her"), _lower(*_SPOUSE_WORDS), {"ORTH": ",", "OP": "?"}),
         subj="possessor", sentence_object=True),
    # "with the missus Shannon": the speaker's, said with "the"
    Rule("the_spouse", "married_to", "assert",
         (_lower("the"), _lower("missus", "missis", "mrs", "hubby", "wife"),
          {"IS_TITLE": True}), subj="speaker", peek=True),
    Rule("married_to", "married_to", "assert",
         (_lemma("marry", "married"), {"OP": "{0,4}", "IS_PUNCT": False,
                                       "LOWER": {"NOT_IN": ["to", "and", "but"]}},
          _lower("to"))),  # "got married on June 29 to Can"
    Rule("got_married", "married_to", "assert",
         (_lower("and"), _lower("i"), {"LOWER": {"IN": ["got", "were", "are", "get"]},
                                        "OP": "?"},
          {"LOWER": "getting", "OP": "?"}, _lower("married")),
         obj="before", subj="inner", lower_names=True),  # "lauri and i got married sat!!"
    # "Nils and I booked the venue — we're getting married in September": the two of "we"
    # marry
    Rule("we_married", "married_to", "assert",
         (_lower("we", "we're"), _opt("are", "were", "got", "'re", "will", "'ll", "just"),
          _opt("getting", "get", "be", "got"), _lower("married")), obj="none", subj="we"),
    Rule("marry_name", "married_to", "assert",
         ({"LEMMA": {"IN": ["marry"]}, "POS": "VERB", "LOWER": {"NOT_IN": ["marry"]}},)),
    # ---------------------------------------------------------------- member_of
    Rule("on_team", "member_of", "assert",
         (_lower("on", "in", "joined", "join", "to", "into"), _lower("the")), obj="team"),
    Rule("member_of", "member_of", "assert",
         (_lower("member", "members", "organizers", "organiser", "organisers", "organizer",
                 "board", "part", "socia", "socio", "socios"), _lower("of"))),
    # "we became TAAN members this month", "became Kestrel Guild corporate members": the name
    # before "members" (components/match_checks.py)
    Rule("became_members", "member_of", "assert",
         (_lemma("become"), {"IS_LOWER": False, "IS_ALPHA": True}), peek=True),
    Rule("in_a_club", "member_of", "assert",
         (_lemma("be", "play"), _ADV, _lower("in"), _lower("a"),
          _lower("band", "club", "choir", "league", "team", "group", "orchestra")),
         obj="after_comma_name"),
    Rule("play_in", "member_of", "assert",
         (_lemma("play"), _lower("in"), _lower("the")), obj="np"),
    # "I sing lead for Nyota Sound", "they both sing in Coro San Judas", "I row for Club España"
    Rule("perform_for", "member_of", "assert",
         (_lemma("sing", "play", "row", "drum", "dance"), {"OP": "{0,2}", "POS": "NOUN"},
          _lower("for", "in")), obj="name"),
    Rule("stop_going", "member_of", "retract",
         (_lemma("stop", "quit"), _lower("going"), _lower("to"))),
    Rule("broke_up", "member_of", "retract", (_lemma("break", "split", "disband"),
                                              _opt("up")), obj="before"),
    # ---------------------------------------------------------------- uses
    Rule("use", "uses", "assert", (_lemma("use", "utilize"),), obj="any",
         list_objects=True),
    Rule("be_on", "uses", "assert",
         (_BE, _ADV, _lower("on"), {"LOWER": {"NOT_IN": ["leave", "vacation", "holiday",
                                                         "call", "board", "the", "a", "it",
                                                         "this", "time", "track"]}}),
         obj="any", list_objects=True, peek=True),
    Rule("run_on", "uses", "assert", (_lemma("run"), _lower("on", "through", "via")),
         obj="any", list_objects=True),
    # "ERP is Vardo", "our CRM is Pipedrive": a system named by what it is for
    Rule("label_is", "uses", "assert",
         (_lower(*(w for w in data_lines("tool_list_labels.txt") if " " not in w)), _BE),
         obj="name", subj="we"),
    # "they're a total Salesforce shop", "we're a Microsoft house" (the word after the name
    # is checked in components/match_checks.py)
    Rule("tool_shop", "uses", "assert",
         (_BE, _ADV, _lower("a", "an"), _opt("total", "big", "pure", "proper", "full", "real",
                                             "huge", "hardcore", "complete"),
          {"IS_TITLE": True}), obj="name", peek=True),
    Rule("run_tool", "uses", "assert", (_lemma("run"),), obj="name", list_objects=True),
    Rule("switch_to", "uses", "assert",
         (_lemma("switch", "upgrade", "downgrade", "migrate", "change", "drop"), _ADV,
          _opt("down"), _lower("to", "over"), _opt("to")), obj="any"),
    # "please upgrade us to Business", "flip us to Pro": the speaker's organisation asks
    Rule("switch_us_to", "uses", "assert",
         (_lemma(*PLAN_SWITCH_VERBS), _lower("us"), _lower("to", "over", "on", "onto")),
         obj="any", subj="we"),
    Rule("sign_with", "uses", "assert", (_lemma("sign"), _lower("with")), obj="any"),
    # "everything ships via UPS now": the speaker's organisation ships with a carrier
    Rule("ship_via", "uses", "assert",
         (_lemma("ship", "deliver", "post"), _ADV, _lower("via", "with", "through")),
         obj="name", subj="we"),
    Rule("with_carrier", "uses", "assert",
         (_lower("been", "be", "are", "were"), _lower("with")), obj="name"),
    Rule("track_in", "uses", "assert",
         (_lemma("track", "manage", "keep", "store", "do", "host", "build"),
          {"OP": "{0,4}", "IS_ALPHA": True,
           "LOWER": {"NOT_IN": ["in", "with", "on", "and", "through", "via"]}},
          _lower("in", "with", "on", "through", "via"), _opt("an", "a", "the"),
          _opt("old", "new")),
         obj="name"),
    # "in Japan we sell only through Kaimon", "we do all the paperwork through Vardo"
    Rule("sell_through", "uses", "assert",
         (_lemma("sell", "process", "handle", "book", "pay"),
          {"OP": "{0,4}", "IS_ALPHA": True, "LOWER": {"NOT_IN": ["and", "through", "via"]}},
          _lower("through", "via")), obj="name"),
    Rule("connect", "uses", "assert", (_lemma("connect", "integrate"),), obj="name",
         list_objects=True),
    Rule("drop", "uses", "retract",
         (_lemma("drop", "cancel", "retire", "remove", "ditch", "abandon", "uninstall"),),
         obj="any"),
    # "B&S moves off DocuSign in July", "we migrated away from Trello"
    Rule("move_off", "uses", "retract",
         (_lemma("move", "migrate", "get"), _ADV, _lower("off", "away"), _opt("from", "of")),
         obj="any"),
    Rule("stop_using", "uses", "retract",
         (_lemma("stop", "quit"), _lower("using")), obj="any"),
    Rule("no_longer_use", "uses", "retract",
         (_lower("no"), _lower("longer"), _lemma("use")), obj="any", allow_negation=True),
    Rule("dont_use_anymore", "uses", "retract",
         (_lower("n't", "not", "dont"), _lemma("use")), obj="any", allow_negation=True),
    Rule("switched_off", "uses", "retract",
         (_lower("was", "were", "got"), _lower("switched", "turned", "shut"), _lower("off",
                                                                                     "down")),
         obj="before", subj="we"),  # "Freshdesk was switched off": by the speaker's side
    Rule("switch_from", "uses", "switch_from",
         (_lemma("switch", "move", "migrate", "change"), {"OP": "{0,4}", "IS_ALPHA": True,
                                                          "LOWER": {"NOT_IN": ["from", "to"]}},
          _lower("from")), obj="any"),
    # ---------------------------------------------------------------- prefers
    Rule("prefer", "prefers", "assert", (_lemma("prefer"),), obj="np"),
    # ("wants X" is no rule: on conversations it was not fitted to, blind/ and heldout/, it
    # gave more wishes and one-off requests than preferences; docs/extraction.md)
    # ---------------------------------------------------------------- likes / dislikes
    Rule("love", "likes", "assert",
         (_lemma("love", "like", "enjoy", "adore"),), obj="np", list_objects=True),
    Rule("loving", "likes", "assert", (_lower("loving"),), obj="np", list_objects=True),
    Rule("into", "likes", "assert",
         (_BE, _ADV, _opt("super", "really", "very", "totally", "big"), _lower("into")),
         obj="np", list_objects=True),
    Rule("obsessed", "likes", "assert",
         (_lower("obsessed", "passionate", "crazy"), _lower("with", "about")), obj="np"),
    Rule("fan_of", "likes", "assert", (_opt("big", "huge"), _lower("fan"), _lower("of")),
         obj="np"),
    Rule("not_into", "likes", "retract",
         (_lower("n't", "not"), _lower("into")), obj="np", allow_negation=True),
    Rule("hate", "dislikes", "assert", (_lemma("hate", "dislike", "detest", "loathe"),),
         obj="np", list_objects=True),
    Rule("cant_stand", "dislikes", "assert",
         (_lower("ca", "can", "cannot", "could"), _opt("n't", "not"), _lower("stand")),
         obj="np", allow_negation=True),
    # ---------------------------------------------------------------- owns
    Rule("own", "owns", "assert", (_lemma("own"),), obj="any", list_objects=True),
    Rule("buy", "owns", "assert", (_lemma("buy", "purchase"), _opt("back")), obj="any"),
    Rule("picked_up", "owns", "assert", (_lemma("pick"), _lower("up")), obj="any"),
    Rule("had_since", "owns", "assert", (_lower("had"),), obj="any"),
    Rule("have_vehicle", "owns", "assert",
         (_lemma("have"), _opt("a", "an", "two", "three")), obj="owned"),
    Rule("sell", "owns", "retract", (_lemma("sell"),), obj="any"),
    # ---------------------------------------------------------------- has_pet
    Rule("pet_named", "has_pet", "assert", (_lower("name"), _lower("is")), obj="pet_name"),
    Rule("my_pet", "has_pet", "assert",
         (_lower("my", "our", "his", "her", "their", "a", "an"), {"OP": "{0,4}", "IS_ALPHA": True,
                                                                 "POS": "ADJ"},
          {"LEMMA": {"IN": _PET_LEMMAS}}),
         obj="pet_name", subj="possessor", lower_names=True),  # "my cat pulla"
    # "we also have two budgies, Sun and Moon"
    Rule("have_pets", "has_pet", "assert",
         (_lemma("have", "adopt"), _ADV,
          {"LOWER": {"IN": ["two", "three", "four", "2", "3", "4", "a", "an", "some"]},
           "OP": "?"}, {"OP": "{0,2}", "POS": "ADJ"}, {"LEMMA": {"IN": _PET_LEMMAS}}),
         obj="pet_name", list_objects=True),
    Rule("lost_pet", "has_pet", "retract", (_lemma("lose", "rehome", "bury"),), obj="name"),
    Rule("pet_died", "has_pet", "retract", (_lemma("die", "pass"),), obj="before"),
    # ---------------------------------------------------------------- speaks
    Rule("speak", "speaks", "assert",
         (_lemma("speak"), _opt("fluent", "fluently", "some", "decent", "basic")),
         obj="language", list_objects=True),
    Rule("fluent_in", "speaks", "assert", (_lower("fluent"), _lower("in")), obj="language",
         list_objects=True),
    # ---------------------------------------------------------------- visited / attended
    Rule("visit", "visited", "assert", (_lemma("visit", "tour"),), obj="name"),
    Rule("went_to", "visited", "assert",
         (_lemma("go", "fly", "travel", "head", "drive", "walk", "ride", "cycle", "hike",
                 "sail"), _ADV, _lower("to")), obj="name"),
    # "Ola and I took the kids to Bodø for Easter": the ones who took them went too
    Rule("took_to", "visited", "assert",
         (_lemma("take", "bring"), {"OP": "{1,3}", "IS_ALPHA": True,
                                    "LOWER": {"NOT_IN": ["to", "and", "over"]}},
          _lower("to")), obj="name"),
    Rule("was_in", "visited", "assert",  # "I was home in Cebu City from Dec 18 to Jan 5"
         (_lower("was", "were", "been"), _ADV, _opt("home"), _lower("in")), obj="name"),
    Rule("trip_to", "visited", "assert", (_lower("trip", "holiday", "vacation", "visit"),
                                          _lower("to")), obj="name"),
    Rule("spent_in", "visited", "assert",
         (_lemma("spend"), {"OP": "{0,5}", "IS_PUNCT": False,
                            "LOWER": {"NOT_IN": ["in", "at", "and", "but"]}}, _lower("in")),
         obj="name"),
    Rule("back_from", "visited", "assert", (_lower("back"), _lower("from")), obj="name"),
    Rule("attend", "attended", "assert", (_lemma("attend"),), obj="name"),
    Rule("speak_at", "attended", "assert", (_lemma("speak", "present", "talk"), _lower("at")),
         obj="name"),
)



def other_language_data() -> dict[str, Any]:
    """``data/other_language_phrases.json``: relation phrasings in the languages English chat
    switches into, and the languages' own names for languages ("deutsch" → German)."""
    return data_json("other_language_phrases.json")


def _other_language_rules() -> tuple[Rule, ...]:
    data = other_language_data()
    determiners = {"LOWER": {"IN": list(data["determiners"])}, "OP": "?"}
    rules: list[Rule] = []
    english = {rule.id: rule for rule in RULES}
    for group in data["rules"]:
        for n, phrase in enumerate(group["phrases"]):
            words = phrase.split()
            pattern: list[dict[str, Any]] = [
                {"ORTH": w} if not any(c.isalnum() for c in w) else {"LOWER": w}
                for w in words]
            reader = group["object"]
            if reader in ("name", "any"):
                pattern.append(determiners)
            subj = "speaker" if group["subject"] == "speaker" else "name_before"
            rule_id = group.get("rule") or f"{group['id']}_{n}"
            if rule_id in english:
                subj = english[rule_id].subj  # read as the English rule is
            rules.append(Rule(rule_id, group["predicate"], group["kind"],
                              tuple(pattern), obj=reader, subj=subj,
                              list_objects=bool(group.get("list_objects")),
                              lower_names=reader in ("name", "before") and
                              group["predicate"] not in ("owns", "uses")))
    return tuple(rules)


RULES = RULES + _other_language_rules()

#: Other languages' names for languages, lower case → the English name ("deutsch": German).
OTHER_LANGUAGE_NAMES: dict[str, str] = {k.lower(): v for k, v in
                                        other_language_data()["languages"].items()}
