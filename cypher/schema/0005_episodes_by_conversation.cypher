// 0005_episodes_by_conversation: the messages of a conversation in the order they were said,
// for read/episodes_around (hybrid retrieval reads the exchange around each hit: an answer is
// often a turn or two away from the words that name its topic).
CREATE INDEX asof_episode_by_conversation IF NOT EXISTS
FOR (e:Episode) ON (e.tenant, e.conversation_id, e.occurred_at);
