-- 0006_episodes_by_conversation: the messages of a conversation in the order they were said,
-- for `episodes_around` (hybrid retrieval reads the exchange around each hit: an answer is
-- often a turn or two away from the words that name its topic).
CREATE INDEX IF NOT EXISTS episodes_by_conversation
    ON episodes (tenant, conversation_id, occurred_at, id);
