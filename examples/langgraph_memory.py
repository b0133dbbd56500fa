"""A LangGraph agent that remembers a user across threads, with asof as its store.

Runs offline, with no language model: the agent's one node understands two kinds of message,
"remember that my <thing> is <value>" and "what is my <thing>?", and keeps what it learns in
the store under the user's namespace. Each conversation is a separate thread (its own
checkpointed state), so whatever the agent knows in a new thread came from the store.

    python examples/langgraph_memory.py [sqlite:///memory.db]

Needs ``pip install 'asof[langgraph]'``. Without a store URL it uses a temporary SQLite file.
"""

from __future__ import annotations

import re
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import TypedDict

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime

from asof.api.langgraph_store import AsofStore

REMEMBER = re.compile(r"remember that my (?P<thing>[\w ]+?) is (?P<value>.+?)\.?$", re.I)
QUESTION = re.compile(r"what is my (?P<thing>[\w ]+?)\??$", re.I)


class Turn(TypedDict):
    user_id: str
    message: str
    reply: str


def respond(state: Turn, runtime: Runtime[None]) -> dict[str, str]:
    """Store what the user asks to remember; answer from the store what they ask about."""
    store = runtime.store
    assert store is not None, "compile the graph with store=..."
    namespace = ("users", state["user_id"], "facts")
    if found := REMEMBER.match(state["message"].strip()):
        thing = found["thing"].lower()
        store.put(namespace, thing, {"value": found["value"]})
        return {"reply": f"Noted: your {thing} is {found['value']}."}
    if found := QUESTION.match(state["message"].strip()):
        thing = found["thing"].lower()
        item = store.get(namespace, thing)
        if item is None:
            return {"reply": f"I don't know your {thing} yet."}
        return {"reply": f"Your {thing} is {item.value['value']} "
                         f"(I noted it at {item.updated_at:%H:%M:%S} UTC)."}
    return {"reply": "Tell me 'remember that my X is Y' or ask 'what is my X?'."}


def build(store: AsofStore) -> object:
    graph = StateGraph(Turn)
    graph.add_node("respond", respond)
    graph.add_edge(START, "respond")
    graph.add_edge("respond", END)
    return graph.compile(checkpointer=InMemorySaver(), store=store)


def main(url: str) -> None:
    store = AsofStore.from_url(url, tenant="example")
    agent = build(store)

    def say(thread: str, message: str) -> str:
        result = agent.invoke(  # type: ignore[attr-defined]
            {"user_id": "priya", "message": message, "reply": ""},
            {"configurable": {"thread_id": thread}})
        print(f"[{thread}] user: {message}\n[{thread}] agent: {result['reply']}")
        return str(result["reply"])

    say("monday", "Remember that my favourite editor is Vim.")
    before_change = datetime.now(UTC)
    say("monday", "Remember that my home city is Porto.")
    # a new thread: no shared state, only the store
    say("tuesday", "What is my favourite editor?")
    say("tuesday", "Remember that my favourite editor is Helix.")
    say("wednesday", "What is my favourite editor?")
    # asof keeps every value: what did the store hold before the change?
    earlier = store.get(("users", "priya", "facts"), "favourite editor", as_of=before_change)
    print(f"as of {before_change:%H:%M:%S.%f} UTC the store held: "
          f"{earlier.value['value'] if earlier else None}")
    print(f"audit chain verifies: {store.graph_store.verify().ok}")
    store.close()


if __name__ == "__main__":
    if len(sys.argv) > 1:
        main(sys.argv[1])
    else:
        with tempfile.TemporaryDirectory() as tmp:
            main(f"sqlite:///{Path(tmp) / 'memory.db'}")
