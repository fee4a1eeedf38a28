"""Settings for a songgate under test: a fresh data dir and database, the scripted provider."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from songgate.config import Settings
from tests.support.server import SCRIPTED


def scripted_settings(data_dir: Path, database_url: str, **overrides: Any) -> Settings:
    """Every task on the scripted provider, tokens checked on every request; ``overrides``
    set what a test is about."""
    values: dict[str, Any] = {
        "data_dir": data_dir, "database_url": database_url, "token_cache_seconds": 0,
        "providers": dict([SCRIPTED.split("=", 1)]),
        "routes": {"MUSIC": "scripted", "LYRICS": "scripted"},
    }
    return Settings(**{**values, **overrides})
