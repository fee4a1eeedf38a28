"""Creating personas from an account's clips, and finding the one a submit names."""

from __future__ import annotations

import uuid

from songgate.clock import Clock
from songgate.domain.accounts import Account
from songgate.domain.fields import JsonObject
from songgate.domain.personas import Persona, PersonaVoice, parse_create
from songgate.domain.status import TaskStatus
from songgate.errors import ClipNotExist, InvalidRequest, PersonaNotExist
from songgate.media.base import MediaBackend
from songgate.store.personas import PersonaStore
from songgate.store.tasks import TaskStore


class PersonaService:
    def __init__(self, tasks: TaskStore, personas: PersonaStore, media: MediaBackend,
                 clock: Clock) -> None:
        self._tasks = tasks
        self._personas = personas
        self._media = media
        self._clock = clock

    async def create(self, account: Account, body: object) -> JsonObject:
        """Record how the root clip was made; answered at once (no task)."""
        request = parse_create(body)
        for clip_id in request.clips:
            task = await self._tasks.clip_task(account.id, clip_id)
            if task is None:
                raise ClipNotExist(f"no clip {clip_id[:64]!r} exists for this account")
            if task.status is not TaskStatus.SUCCESS:
                raise InvalidRequest(f"clip {clip_id!r} is not complete yet")
        meta = await self._media.read_meta(request.root_clip_id)
        voice = PersonaVoice.from_meta(meta) if meta is not None else None
        if voice is None:
            raise InvalidRequest("root_clip_id names a clip this server's engine did not make: "
                                 "a persona keeps the singer and style the engine sang it with")
        persona = Persona(
            id=str(uuid.uuid4()), account_id=account.id, name=request.name,
            description=request.description, root_clip_id=request.root_clip_id,
            clips=request.clips, is_public=request.is_public, created_at=self._clock.now(),
            voice=voice,
        )
        await self._personas.insert(persona)
        return persona.to_dto()

    async def usable(self, account: Account, persona_id: str) -> Persona:
        """The persona a submit names: the account's own or a public one."""
        found = await self._personas.usable(account.id, persona_id)
        if found is None:
            raise PersonaNotExist("persona_id names no persona of this account (nor a public one)")
        return found
