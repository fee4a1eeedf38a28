"""songgate: a self-hosted, Suno-compatible music-generation task service."""

__version__ = "0.1.0"
