"""Quality evaluations: gold conversations (`asof eval gold`) and LoCoMo (`asof eval locomo`)."""
