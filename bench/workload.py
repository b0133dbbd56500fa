"""A synthetic bitemporal workload with its ground truth, deterministic from a seed.

    from bench.workload import generate
    w = generate(versions=100_000, tenants=10, seed=1)
    for batch in w.batches: ...            # what to load, in arrival order
    w.truth(tenant, subject, predicate, valid_at, known_at)   # the right answer

The story. Each tenant has people who change jobs (``works_at``, a ``one`` predicate), move
(``lives_in``, ``one``) and start or stop using tools (``uses``, ``many``). Conversations happen
in rounds; in each round every tenant gets one message (an episode) that carries one statement
about each of ``batch`` distinct people, and the store records it shortly after the message
(transaction time = message time + 1 h + the tenant's index in seconds, so it is strictly
increasing per tenant). Statements are:

- ``job`` / ``move``: a new employer / city from a stated start shortly before the message;
- ``tool`` / ``drop_tool``: starts using a tool; stops using one ("no longer uses Slack");
- ``leave``: a retraction, "left Acme on <date>" (the job ends, nothing replaces it);
- ``fix_date``: a correction, "actually I joined Acme on <earlier date>";
- ``fix_employer``: a correction, "it was Initech, not Acme" (same start);
- ``late``: a late arrival, an employer or city from before everything known so far,
  sometimes with a stated end (leaving a gap).

Ground truth is computed from the statements alone, by the definition in
``docs/temporal-model.md`` (claims; the valid-time view instant by instant; corrections supersede
the claim they fix in transaction time) — independently of ``graph/rules.py`` and of the test
oracle. :meth:`Workload.truth` answers any (subject, predicate, valid_at, known_at); the same
claims are also materialised as **fact versions** (maximal intervals over which an object
holds, closed in transaction time when the view changes: the document's diff rule), which is
what gets loaded into systems that take pre-computed rows (Graphiti's bulk writer).

Corrections are generated only where they are unambiguous (the corrected object has exactly
one assertion claim for that person), so "which claim does a correction supersede" never
depends on an implementation detail.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

#: Valid-time origin of the generated histories and the span they cover.
EPOCH = datetime(2016, 1, 1, tzinfo=UTC)
SPAN = timedelta(days=365 * 8)
DAY = timedelta(days=1)

PREDICATES = ("works_at", "lives_in", "uses")
ONE = {"works_at": True, "lives_in": True, "uses": False}
OBJECT_TYPE = {"works_at": "organization", "lives_in": "location", "uses": "product"}
PHRASE = {"works_at": "works at", "lives_in": "lives in", "uses": "uses"}

#: statement kind -> weight (when the kind does not apply to a person yet, ``job`` is used)
MIX = {"job": 26, "move": 18, "tool": 15, "drop_tool": 7, "leave": 6, "fix_date": 8,
       "fix_employer": 5, "late": 15}

_FIRST = ("Priya Ana Ben Chen Dara Eli Fatima Gus Hana Ivan Jun Kofi Lena Mateo Nadia Omar Pia "
          "Quinn Ravi Sara Tomas Uma Vera Wen Xavier Yara Zane Aiko Bruno Carmen Dmitri Esme "
          "Farah Goran Hugo Ines Jonas Kira Luca Mira Nils Olga Pavel Rosa Sami Tara Ugo Vik "
          "Wanda Yusuf Zofia Amir Bea Cyrus Delia Emil Flora Gil Hedda Idris Jana").split()
_LAST = ("Raman Silva Okafor Novak Haddad Kim Berg Costa Ito Moreau Petrov Quispe Rossi Sato "
         "Tanaka Usman Varga Weber Xu Yilmaz Zhou Abe Bauer Chopra Diaz Eze Fischer Garcia Horvat "
         "Iqbal Jensen Kowal Lund Mendes Nagy Olsen Park Reyes Sousa Thorne Ueda Vogel Wolfe "
         "Young Zima Alvarez Brandt Cruz Dahl Engel Ferro Gray Holm Ivanov Jaffe Kato Lowe "
         "Marsh Nash Ortiz").split()
_ORG_A = ("Acme Globex Initech Umbrella Hooli Vandelay Stark Wayne Tyrell Cyberdyne Soylent "
          "Wonka Gringotts Oscorp Aperture Massive Dynamic Monarch Nakatomi Virtucon Pied "
          "Piper Dunder Prestige Sterling Bluth Kramerica Gekko Duff Krusty").split()
_ORG_B = ("Labs Systems Partners Analytics Foods Logistics Health Bank Media Robotics Energy "
          "Studio Works Capital Retail Motors Pharma Cloud Security Games").split()
_CITY = ("Lisbon Porto Madrid Berlin Hamburg Munich Vienna Prague Warsaw Krakow Oslo Bergen "
         "Stockholm Helsinki Tallinn Riga Vilnius Dublin Cork London Leeds Paris Lyon Nantes "
         "Milan Turin Naples Athens Sofia Zagreb Ljubljana Zurich Geneva Basel Brussels Ghent "
         "Amsterdam Utrecht Rotterdam Copenhagen Aarhus Toronto Montreal Boston Austin Denver "
         "Seattle Chicago Nairobi Lagos Accra Cairo Tunis Mumbai Pune Delhi Tokyo Osaka Seoul "
         "Busan Taipei Manila Jakarta Sydney Perth Auckland Lima Quito Bogota Santiago").split()
_TOOL = ("Slack Notion Jira Figma Linear GitHub GitLab Asana Trello Zoom Miro Airtable Obsidian "
         "Postgres Redis Kafka Docker Terraform Grafana Sentry Datadog Vercel Netlify Stripe "
         "Zapier HubSpot Salesforce Zendesk Intercom Tableau Looker Excel Sheets Vim Emacs "
         "VSCode PyCharm Xcode Blender").split()


def stable_hash(*parts: object, length: int = 32) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:length]


# ------------------------------------------------------------------------------ statements


@dataclass(frozen=True, slots=True)
class Statement:
    """One assertion, retraction or correction about (subject, predicate) in a message."""

    kind: str  #: assert | retract | correct
    subject: str
    predicate: str
    object: str
    valid_from: datetime
    valid_to: datetime | None = None
    corrects: str | None = None  #: correct: the wrong object (None: same object, new date)
    story: str = ""  #: which generator move produced it (job, move, late, fix_date, ...)


@dataclass(slots=True)
class Batch:
    """One message of one tenant: recorded at ``recorded_at`` (transaction time)."""

    tenant: str
    index: int
    occurred_at: datetime
    recorded_at: datetime
    statements: list[Statement]

    @property
    def text(self) -> str:
        return f"round {self.index} of {self.tenant}: {len(self.statements)} statements"


# ---------------------------------------------------------------------------------- claims


@dataclass(slots=True)
class Claim:
    object: str
    start: datetime | None  #: None = unbounded past
    end: datetime | None  #: stated end, None = open
    retraction: bool
    observed_at: datetime
    arrival: int
    recorded_at: datetime
    superseded_at: datetime | None = None

    def order(self) -> tuple[int, datetime, datetime, int]:
        if self.start is None:
            return (0, EPOCH, self.observed_at, self.arrival)
        return (1, self.start, self.observed_at, self.arrival)


def _le(start: datetime | None, t: datetime | None) -> bool:
    """``start <= t`` with None as -infinity on both sides (t None = the unbounded past)."""
    if start is None:
        return True
    return t is not None and start <= t


def _holds(claims: list[Claim], one: bool, t: datetime | None) -> set[str]:
    """The objects that hold at instant ``t`` (None = -infinity) under the document's rules."""
    asserted = [c for c in claims if not c.retraction]
    retracted = [c for c in claims if c.retraction]

    def retracted_since(obj: str, since: datetime | None) -> bool:
        for r in retracted:
            if r.object == obj and _le(r.start, t) and (since is None or (
                    r.start is not None and since < r.start)):
                return True
        return False

    if one:
        winner = None
        for c in asserted:  # sorted by order(): the last with start <= t wins
            if _le(c.start, t):
                winner = c
        if winner is None:
            return set()
        if winner.end is not None and (t is None or t >= winner.end):
            return set()
        if retracted_since(winner.object, winner.start):
            return set()
        return {winner.object}
    out = set()
    for c in asserted:
        if _le(c.start, t) and (c.end is None or (t is not None and t < c.end)) \
                and not retracted_since(c.object, c.start):
            out.add(c.object)
    return out


def view(claims: list[Claim], one: bool) -> set[tuple[str, datetime | None, datetime | None]]:
    """The valid-time view as maximal intervals ``(object, from, to)`` (None = open)."""
    claims = sorted(claims, key=Claim.order)
    points = sorted({p for c in claims for p in (c.start, c.end) if p is not None})
    samples: list[datetime | None] = [None, *points]
    out: set[tuple[str, datetime | None, datetime | None]] = set()
    open_since: dict[str, datetime | None] = {}
    for t in samples:
        now = _holds(claims, one, t)
        for obj in list(open_since):
            if obj not in now:
                out.add((obj, open_since.pop(obj), t))
        for obj in now:
            if obj not in open_since:
                open_since[obj] = t
    for obj, since in open_since.items():
        out.add((obj, since, None))
    return out


@dataclass(slots=True)
class Version:
    """A fact version: an interval of the view, on both time axes."""

    version_id: str
    tenant: str
    subject: str
    predicate: str
    object: str
    valid_from: datetime | None
    valid_to: datetime | None
    recorded_at: datetime
    superseded_at: datetime | None = None
    batch: int = 0  #: index of the batch that wrote it


@dataclass(slots=True)
class Group:
    """Everything known about one (tenant, subject, predicate)."""

    claims: list[Claim] = field(default_factory=list)
    versions: list[Version] = field(default_factory=list)

    def current_claims(self, known_at: datetime) -> list[Claim]:
        return [c for c in self.claims if c.recorded_at <= known_at
                and (c.superseded_at is None or known_at < c.superseded_at)]

    def live(self) -> list[Claim]:
        return [c for c in self.claims if c.superseded_at is None]


# ------------------------------------------------------------------------------- workload


@dataclass
class Tenant:
    name: str
    people: list[str]
    companies: list[str]
    cities: list[str]
    tools: list[str]


@dataclass
class Workload:
    seed: int
    tenants: list[Tenant]
    batches: list[Batch]
    groups: dict[tuple[str, str, str], Group]
    versions: list[Version]
    stories: dict[str, int]
    first_recorded: datetime
    last_recorded: datetime
    valid_start: datetime
    valid_end: datetime

    @property
    def statements(self) -> int:
        return sum(len(b.statements) for b in self.batches)

    def truth(self, tenant: str, subject: str, predicate: str, valid_at: datetime,
              known_at: datetime) -> set[str]:
        """Objects of (subject, predicate) true at ``valid_at`` as known at ``known_at``."""
        group = self.groups.get((tenant, subject, predicate))
        if group is None:
            return set()
        claims = sorted(group.current_claims(known_at), key=Claim.order)
        return _holds(claims, ONE[predicate], valid_at)

    def truth_from_versions(self, tenant: str, subject: str, predicate: str,
                            valid_at: datetime, known_at: datetime) -> set[str]:
        """The same answer read from the materialised versions (a self-check)."""
        group = self.groups.get((tenant, subject, predicate))
        if group is None:
            return set()
        return {v.object for v in group.versions
                if (v.valid_from is None or v.valid_from <= valid_at)
                and (v.valid_to is None or valid_at < v.valid_to)
                and v.recorded_at <= known_at
                and (v.superseded_at is None or known_at < v.superseded_at)}


class _Person:
    __slots__ = ("name", "jobs", "cities", "tools", "used_orgs", "used_cities", "left")

    def __init__(self, name: str) -> None:
        self.name = name
        self.used_orgs: set[str] = set()
        self.used_cities: set[str] = set()
        self.left = False  #: the latest job was retracted ("left")


def _names(rng: random.Random, pool_a: tuple[str, ...] | list[str],
           pool_b: tuple[str, ...] | list[str], n: int, sep: str = " ") -> list[str]:
    combos = [f"{a}{sep}{b}" for a in pool_a for b in pool_b]
    if n > len(combos):  # only for absurd sizes: add a numeric suffix
        combos += [f"{c} {i}" for i in range(2, n // len(combos) + 2) for c in combos]
    return rng.sample(combos, n)


def generate(versions: int, *, tenants: int = 10, seed: int = 1, batch: int = 200,
             run: str = "w") -> Workload:
    """Generate statements until the materialised history has at least ``versions`` fact
    versions. ``run`` prefixes tenant names (``<run>-t00``...)."""
    rng = random.Random(seed)
    # ~1.5 versions per statement and ~12 statements per person over the history
    people_per_tenant = max(8, round(versions / 1.45 / 12 / tenants))
    per_batch = max(2, min(batch, people_per_tenant // 4))
    statements_per_tenant = versions / 1.45 / tenants
    rounds_estimate = max(8, int(statements_per_tenant / per_batch) + 1)
    step = SPAN / rounds_estimate

    tenant_data: list[Tenant] = []
    people: dict[str, list[_Person]] = {}
    for t in range(tenants):
        name = f"{run}-t{t:02d}"
        tenant_data.append(Tenant(
            name=name,
            people=_names(rng, _FIRST, _LAST, people_per_tenant),
            companies=_names(rng, _ORG_A, _ORG_B, 60),
            cities=list(_CITY),
            tools=list(_TOOL)))
        people[name] = [_Person(p) for p in tenant_data[-1].people]

    groups: dict[tuple[str, str, str], Group] = {}
    all_versions: list[Version] = []
    batches: list[Batch] = []
    stories = dict.fromkeys(MIX, 0)
    kinds, weights = zip(*MIX.items(), strict=True)
    cursor = dict.fromkeys(people, 0)
    arrival = 0
    total_versions = 0
    rnd = 0
    valid_lo = EPOCH
    while total_versions < versions:
        occurred = EPOCH + step * (rnd + 1)
        for t_index, tenant in enumerate(tenant_data):
            if total_versions >= versions:
                break
            recorded = occurred + timedelta(hours=1, seconds=t_index)
            crowd = people[tenant.name]
            start = cursor[tenant.name]
            chosen = [crowd[(start + i) % len(crowd)] for i in range(per_batch)]
            cursor[tenant.name] = (start + per_batch) % len(crowd)
            stmts: list[Statement] = []
            touched: list[tuple[str, str, str]] = []
            for person in chosen:
                kind = rng.choices(kinds, weights)[0]
                made = _statement(rng, kind, person, tenant, groups, occurred, step)
                if made is None:
                    made = _statement(rng, "job", person, tenant, groups, occurred, step)
                assert made is not None
                stmts.append(made)
                stories[made.story] += 1
                key = (tenant.name, person.name, made.predicate)
                group = groups.setdefault(key, Group())
                arrival += 1
                _add_claims(group, made, occurred, recorded, arrival)
                touched.append(key)
                if made.valid_from < valid_lo:
                    valid_lo = made.valid_from
            b = Batch(tenant=tenant.name, index=len(batches), occurred_at=occurred,
                      recorded_at=recorded, statements=stmts)
            for key in touched:
                total_versions += _rematerialise(groups[key], key, recorded, b.index,
                                                 all_versions)
            batches.append(b)
        rnd += 1
    return Workload(seed=seed, tenants=tenant_data, batches=batches, groups=groups,
                    versions=all_versions, stories=stories,
                    first_recorded=batches[0].recorded_at,
                    last_recorded=batches[-1].recorded_at,
                    valid_start=valid_lo, valid_end=EPOCH + step * (rnd + 1))


def _jitter(rng: random.Random, occurred: datetime, step: timedelta) -> datetime:
    """A stated start shortly before the message (minute precision, distinct)."""
    back = rng.uniform(0.05, 0.9) * min(step, 20 * DAY)
    return (occurred - back).replace(second=0, microsecond=0) + timedelta(
        seconds=rng.randrange(60))


def _statement(rng: random.Random, kind: str, person: _Person, tenant: Tenant,
               groups: dict[tuple[str, str, str], Group], occurred: datetime,
               step: timedelta) -> Statement | None:
    key_job = (tenant.name, person.name, "works_at")
    jobs = [c for c in groups[key_job].live() if not c.retraction] if key_job in groups else []
    jobs.sort(key=Claim.order)
    if kind == "job":
        free = [c for c in tenant.companies if c not in person.used_orgs]
        if not free:
            return None
        org = rng.choice(free)
        person.used_orgs.add(org)
        start = _jitter(rng, occurred, step)
        if jobs and jobs[-1].start is not None and start <= jobs[-1].start:
            start = jobs[-1].start + DAY
        person.left = False
        return Statement("assert", person.name, "works_at", org, start, story="job")
    if kind == "move":
        key = (tenant.name, person.name, "lives_in")
        homes = sorted((c for c in groups[key].live() if not c.retraction),
                       key=Claim.order) if key in groups else []
        free = [c for c in tenant.cities if c not in person.used_cities]
        if not free:
            return None
        city = rng.choice(free)
        person.used_cities.add(city)
        start = _jitter(rng, occurred, step)
        if homes and homes[-1].start is not None and start <= homes[-1].start:
            start = homes[-1].start + DAY
        return Statement("assert", person.name, "lives_in", city, start, story="move")
    if kind in ("tool", "drop_tool"):
        key = (tenant.name, person.name, "uses")
        group = groups.get(key)
        now_using = _holds(sorted(group.live(), key=Claim.order), False, occurred) \
            if group else set()
        if kind == "tool":
            free = [t for t in tenant.tools if t not in now_using]
            tool = rng.choice(free)
            return Statement("assert", person.name, "uses", tool,
                             _jitter(rng, occurred, step), story="tool")
        if not now_using:
            return None
        assert group is not None
        tool = rng.choice(sorted(now_using))
        latest = max((c for c in group.live() if not c.retraction and c.object == tool),
                     key=Claim.order)
        at = _jitter(rng, occurred, step)
        if latest.start is not None and at <= latest.start:
            at = latest.start + timedelta(hours=1)
        return Statement("retract", person.name, "uses", tool, at, story="drop_tool")
    if kind == "leave":
        if not jobs or person.left:
            return None
        latest = jobs[-1]
        at = _jitter(rng, occurred, step)
        if latest.start is not None and at <= latest.start:
            at = latest.start + timedelta(hours=1)
        person.left = True
        return Statement("retract", person.name, "works_at", latest.object, at, story="leave")
    if kind == "fix_date":
        if not jobs or jobs[-1].start is None:
            return None
        latest = jobs[-1]
        floor = jobs[-2].start + DAY if len(jobs) > 1 and jobs[-2].start else None
        new = latest.start - timedelta(days=rng.randint(1, 30), minutes=rng.randrange(1440))
        if floor is not None and new <= floor:
            return None
        return Statement("correct", person.name, "works_at", latest.object, new,
                         story="fix_date")
    if kind == "fix_employer":
        if not jobs or jobs[-1].start is None or person.left:
            return None
        free = [c for c in tenant.companies if c not in person.used_orgs]
        if not free:
            return None
        latest = jobs[-1]
        org = rng.choice(free)
        person.used_orgs.add(org)
        return Statement("correct", person.name, "works_at", org, latest.start,
                         corrects=latest.object, story="fix_employer")
    if kind == "late":
        predicate = rng.choice(("works_at", "lives_in"))
        key = (tenant.name, person.name, predicate)
        known = sorted((c for c in groups[key].live() if not c.retraction),
                       key=Claim.order) if key in groups else []
        if not known or known[0].start is None:
            return None
        pool, used = ((tenant.companies, person.used_orgs) if predicate == "works_at"
                      else (tenant.cities, person.used_cities))
        free = [c for c in pool if c not in used]
        if not free:
            return None
        obj = rng.choice(free)
        used.add(obj)
        first = known[0].start
        start = first - timedelta(days=rng.randint(60, 700), minutes=rng.randrange(1440))
        end = None
        if rng.random() < 0.5:
            end = first - timedelta(days=rng.randint(5, 50))
            if end <= start:
                end = None
        return Statement("assert", person.name, predicate, obj, start, end, story="late")
    raise ValueError(kind)


def _add_claims(group: Group, s: Statement, observed: datetime, recorded: datetime,
                arrival: int) -> None:
    if s.kind == "correct":
        wrong = s.corrects or s.object
        for c in group.claims:
            if c.superseded_at is None and not c.retraction and c.object == wrong:
                c.superseded_at = recorded
    group.claims.append(Claim(
        object=s.object, start=s.valid_from, end=s.valid_to, retraction=s.kind == "retract",
        observed_at=observed, arrival=arrival, recorded_at=recorded))


def _rematerialise(group: Group, key: tuple[str, str, str], now: datetime, batch: int,
                   out: list[Version]) -> int:
    """The document's diff rule: versions no longer in the view are closed at ``now``; view
    intervals without a version get a new one recorded at ``now``."""
    tenant, subject, predicate = key
    wanted = view(group.live(), ONE[predicate])
    current = {(v.object, v.valid_from, v.valid_to): v for v in group.versions
               if v.superseded_at is None}
    for interval, v in current.items():
        if interval not in wanted:
            v.superseded_at = now
    written = 0
    for obj, lo, hi in sorted(wanted - current.keys(), key=_interval_order):
        v = Version(version_id=stable_hash("version", tenant, subject, predicate, obj, lo, hi,
                                           now, length=24),
                    tenant=tenant, subject=subject, predicate=predicate, object=obj,
                    valid_from=lo, valid_to=hi, recorded_at=now, batch=batch)
        group.versions.append(v)
        out.append(v)
        written += 1
    return written


def _interval_order(i: tuple[str, datetime | None, datetime | None]) -> tuple[str, datetime]:
    return (i[0], i[1] or EPOCH)


# ------------------------------------------------------------------------------- queries


@dataclass(frozen=True, slots=True)
class Query:
    tenant: str
    subject: str
    predicate: str
    valid_at: datetime
    known_at: datetime
    expected: frozenset[str]
    #: the answer differs from what is believed now about the same valid time: only a
    #: transaction-time (known_at) filter gets it right
    needs_known_at: bool


def sample_queries(w: Workload, n: int, seed: int) -> list[Query]:
    """``n`` as-of queries over groups that exist: valid_at uniform over the group's valid
    span (±90 days), known_at uniform between the group's first record and the end."""
    rng = random.Random(seed)
    keys = sorted(w.groups)
    out = []
    for _ in range(n):
        tenant, subject, predicate = rng.choice(keys)
        group = w.groups[(tenant, subject, predicate)]
        starts = [c.start for c in group.claims if c.start is not None]
        lo = min(starts) - 90 * DAY
        hi = max(max(starts) + 90 * DAY, w.last_recorded)
        valid_at = _instant(rng, lo, hi)
        known_at = _instant(rng, min(c.recorded_at for c in group.claims), w.last_recorded
                            + DAY)
        expected = w.truth(tenant, subject, predicate, valid_at, known_at)
        latest = w.truth(tenant, subject, predicate, valid_at, w.last_recorded + DAY)
        out.append(Query(tenant, subject, predicate, valid_at, known_at,
                         frozenset(expected), expected != latest))
    return out


def current_queries(w: Workload, n: int, seed: int, now: datetime) -> list[Query]:
    rng = random.Random(seed)
    keys = sorted(w.groups)
    out = []
    for _ in range(n):
        tenant, subject, predicate = rng.choice(keys)
        expected = w.truth(tenant, subject, predicate, now, now)
        out.append(Query(tenant, subject, predicate, now, now, frozenset(expected), False))
    return out


def _instant(rng: random.Random, lo: datetime, hi: datetime) -> datetime:
    span = (hi - lo).total_seconds()
    return (lo + timedelta(seconds=rng.uniform(0, span))).replace(microsecond=0)


def iter_version_rows(w: Workload) -> Iterator[Version]:
    yield from w.versions


def self_check(w: Workload, n: int = 2000, seed: int = 99) -> int:
    """Claims-based truth == versions-based truth on ``n`` random queries (returns mismatches)."""
    bad = 0
    for q in sample_queries(w, n, seed):
        if set(q.expected) != w.truth_from_versions(q.tenant, q.subject, q.predicate,
                                                    q.valid_at, q.known_at):
            bad += 1
    return bad


__all__ = ["Batch", "Query", "Statement", "Version", "Workload", "current_queries",
           "generate", "sample_queries", "self_check", "stable_hash"]

