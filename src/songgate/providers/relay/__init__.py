"""Relaying tasks to upstream Suno-compatible services (channels)."""
