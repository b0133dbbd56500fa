"""Every Cypher statement: present, well-formed, parameterised, confined to a tenant."""

from __future__ import annotations

import re

import pytest

from asof import cypher
from asof.graph.neo4j import lucene_query

pytestmark = pytest.mark.unit

ALL = cypher.names()
NON_SCHEMA = [n for n in ALL if not n.startswith(f"{cypher.SCHEMA_AREA}/")]

_COMMENT = re.compile(r"//[^\n]*")
_STRING = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_NODE_LABEL = re.compile(r"\(\s*[A-Za-z_]\w*\s*:\s*`?([A-Za-z_]\w*)|\(\s*:\s*`?([A-Za-z_]\w*)")
_REL_TYPE = re.compile(r"\[\s*[A-Za-z_]?\w*\s*:\s*`?([A-Za-z_]\w*)")
#: the ways a statement filters on the tenant: a pattern property or a WHERE equality
_TENANT_FILTER = re.compile(r"\btenant\s*:\s*\$tenant\b|\.tenant\s*=\s*\$tenant\b")


def code(name: str) -> str:
    """The statement without comments and string literals."""
    return _STRING.sub("''", _COMMENT.sub("", cypher.load(name)))


def test_there_are_statements_in_every_area() -> None:
    areas = {n.split("/", 1)[0] for n in ALL}
    assert {"read", "write", "schema"} <= areas
    assert len(NON_SCHEMA) >= 30


@pytest.mark.parametrize("name", ALL)
def test_statement_is_well_formed(name: str) -> None:
    text = code(name)
    assert text.strip(), f"{name} is empty"
    pairs = {")": "(", "]": "[", "}": "{"}
    stack: list[str] = []
    for ch in text:
        if ch in "([{":
            stack.append(ch)
        elif ch in pairs:
            assert stack and stack[-1] == pairs[ch], f"{name}: unbalanced {ch!r}"
            stack.pop()
    assert not stack, f"{name}: unclosed {stack}"
    if name not in cypher.migrations():
        assert ";" not in text, f"{name}: one statement per file (migrations excepted)"


@pytest.mark.parametrize("name", NON_SCHEMA)
def test_non_schema_statement_mentions_and_filters_on_the_tenant(name: str) -> None:
    text = code(name)
    assert "$tenant" in text, f"{name} does not mention $tenant"
    assert _TENANT_FILTER.search(text), f"{name} does not filter on $tenant"


@pytest.mark.parametrize("name", NON_SCHEMA)
def test_every_matched_or_created_node_is_tenant_scoped(name: str) -> None:
    """Each labelled node pattern carries ``tenant: $tenant`` unless a WHERE pins it (full-text
    hits) or it is only reached through a relationship from a tenant-scoped node."""
    text = code(name)
    for match in re.finditer(r"\(\s*[A-Za-z_]\w*\s*:\s*[A-Za-z_]\w*\s*(\{[^}]*\})?", text):
        props = match.group(1) or ""
        var = match.group(0).split("(", 1)[1].split(":", 1)[0].strip()
        scoped = "tenant: $tenant" in props or re.search(
            rf"\b{re.escape(var)}\.tenant\s*=\s*\$tenant\b", text)
        reached = re.search(rf"\)\s*-\[[^\]]*\]-\s*>?\s*\(\s*{re.escape(var)}\b|"
                            rf"\(\s*{re.escape(var)}\s*:[^)]*\)\s*-\[", text)
        assert scoped or reached, f"{name}: node {match.group(0)!r} is not tenant-scoped"


@pytest.mark.parametrize("name", ALL)
def test_labels_and_relationship_types_come_from_the_closed_sets(name: str) -> None:
    text = code(name)
    labels = {a or b for a, b in _NODE_LABEL.findall(text)}
    assert labels <= cypher.LABELS, f"{name}: unknown labels {labels - cypher.LABELS}"
    types = set(_REL_TYPE.findall(text))
    assert types <= cypher.RELATIONSHIPS, (
        f"{name}: unknown relationship types {types - cypher.RELATIONSHIPS}")


@pytest.mark.parametrize("name", NON_SCHEMA)
def test_values_are_parameters_never_literals(name: str) -> None:
    """No quoted values except the empty/redaction literals, index names, the property a
    vector is written to and the closed set of embedding kinds (schema, like labels)."""
    literals = set(_STRING.findall(_COMMENT.sub("", cypher.load(name))))
    allowed = {"''", "'{}'", "'asof_fact_text'", "'asof_episode_text'",
               "'asof_embedding_vector'", "'vector'", "'episode'", "'fact'"}
    assert literals <= allowed, f"{name}: literal values {literals - allowed}"


def test_migrations_are_ordered_and_idempotent() -> None:
    migrations = cypher.migrations()
    assert migrations == sorted(migrations)
    assert [m.split("/")[1][:4] for m in migrations] == [
        f"{i:04d}" for i in range(1, len(migrations) + 1)]
    for name in migrations:
        statements = cypher.statements(name)
        assert statements
        for statement in statements:
            assert statement.upper().startswith("CREATE "), statement
            assert "IF NOT EXISTS" in statement.upper(), f"{name}: {statement[:60]}"


def test_loader_fails_loudly_on_unknown_names() -> None:
    for bad in ("read/no_such_statement", "nope", "../graph/store", "read/", ""):
        with pytest.raises(KeyError, match="unknown Cypher statement"):
            cypher.load(bad)


def test_loader_caches() -> None:
    assert cypher.load("read/versions_by_subject_predicate") is cypher.load(
        "read/versions_by_subject_predicate")


@pytest.mark.parametrize("text", [
    'Acme"', "*", "AND", "OR NOT", "~", "(", ")", "acme~2", "title:foo", "\\", "a\\\"b",
    "'; MATCH (n) DETACH DELETE n //", "${tenant}", "a && b || c", "+x -y", "[1 TO 9]",
])
def test_lucene_queries_quote_every_term(text: str) -> None:
    query = lucene_query("t-1", ("text",), text)
    if query is None:
        return
    assert query.startswith('+tenant:"t-1" +(text:(')
    terms = re.findall(r'"([^"]*)"', query.split("+(", 1)[1])
    assert terms and all(re.fullmatch(r"[^\W_]+", t) for t in terms)
    assert query.count('"') % 2 == 0 and "\\" not in query
