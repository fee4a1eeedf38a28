"""Outbound HTTP to URLs a user or an upstream chose: only to addresses that were checked."""
