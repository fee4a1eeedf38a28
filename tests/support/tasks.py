"""Tasks put straight into a store, at a chosen submit time and in a chosen end state."""

from __future__ import annotations

import uuid

from songgate.domain import task as rules
from songgate.domain.accounts import Account
from songgate.domain.results import ClipOutput, LyricsResult, MusicResult, TaskResult
from songgate.domain.status import Action
from songgate.domain.submit import parse_lyrics, parse_music
from songgate.wiring import Services, stores_of


async def add_task(
    services: Services, account: Account, *, at: float, action: Action = Action.MUSIC,
    outcome: str = "", task_id: str = "",
) -> str:
    """A committed task submitted at ``at``; ``outcome`` "success" or "failure" finishes it.

    Each task gets a provider name of its own, so claiming it takes exactly this task.
    """
    task_id = task_id or str(uuid.uuid4())
    provider = f"p-{task_id[:8]}"
    if action is Action.MUSIC:
        task = rules.new_music_task(
            task_id=task_id, account_id=account.id, owner=account.owner,
            spec=parse_music({"prompt": "la", "title": f"song {at:g}"}),
            clip_ids=[str(uuid.uuid4()) for _ in "ab"], provider=provider, now=at,
            max_attempts=1, timeout_seconds=10**9,
        )
    else:
        task = rules.new_lyrics_task(
            task_id=task_id, lyrics_id=str(uuid.uuid4()), account_id=account.id,
            spec=parse_lyrics({"prompt": "rain"}), provider=provider, now=at, max_attempts=1,
            timeout_seconds=10**9,
        )
    await stores_of(services).tasks.insert(task)
    if outcome:
        [held] = await stores_of(services).tasks.claim(now=at, lease_seconds=60, limit=1,
                                            providers=[provider])
        lease = held.lease_token or ""
        if outcome == "failure":
            await stores_of(services).tasks.fail(task_id, lease, "the prompt was refused", now=at)
        else:
            result: TaskResult = (
                MusicResult(tuple(ClipOutput(c, "https://m/a.mp3", "https://m/i.jpeg",
                                             "https://m/il.jpeg", "", 3.0)
                                  for c in held.clip_ids))
                if action is Action.MUSIC else LyricsResult(title="Rain", text="[Verse]\nrain")
            )
            await stores_of(services).tasks.succeed(task_id, lease, result, now=at)
    return task_id
