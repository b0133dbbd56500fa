SELECT id, text FROM episodes WHERE tenant = ? AND redacted = 0
