"""Providers produce a task's result: the offline engine, upstream relays, test doubles."""
