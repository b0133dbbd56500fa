"""Conversation-level resolution: the candidates of each message become
:class:`~asof.graph.models.FactAssertion` s.

The spaCy components work on one message at a time. What needs the conversation lives here,
one stage per module, each a layer of :class:`Assembler` that may use the layers below it:

- ``state``: what the conversation has established (entities, aliases, records so far);
- ``records``: records and the message's output (merging, type checks, implied facts);
- ``people``: who is named, who "she", "they" and "we" are, introductions;
- ``subjects``: the subject(s) of each candidate, and whether the clause asserts anything;
- ``routing``: which predicate a candidate's object really belongs to;
- ``anchoring``: the times each fact takes, and one record per fact;
- ``situations``: offers, hires, switches, plans, roles, pets, events;
- ``corrections``: "sorry, it was May", "not Flutterwave, Paystack";
- ``phrases``: facts said in set phrases the dependency rules do not see;
- ``candidates``: a clause's candidates before assembly (the tagger's under the rules');
- ``quotes``: whose first-person words a quoted passage holds;
- ``assembler``: the entry point, message by message.

One :class:`ConversationState` per conversation (and so per tenant): nothing is ever merged
across conversations or tenants.
"""

from asof.extraction.assembly.assembler import Assembler
from asof.extraction.assembly.records import EXTRACTOR
from asof.extraction.assembly.state import ConversationState, Record

__all__ = ["EXTRACTOR", "Assembler", "ConversationState", "Record"]
