"""How a task remembers that its hook speaks sunoapi.org's dialect, and its events' names."""

from __future__ import annotations

from songgate.domain.sunoapi.names import Stage

SUNOAPI = "sunoapi"  # MusicSpec.callback_dialect of tasks made through /api/v1


def event_name(stage: Stage) -> str:
    """The outbox event (``X-Songgate-Event``) of a stage callback: ``sunoapi.first``."""
    return f"{SUNOAPI}.{stage.value}"
