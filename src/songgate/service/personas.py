"""Creating personas from an account's clips, and finding the one a submit names."""

from __future__ import annotations

import uuid

from songgate.clock import Clock
from songgate.domain.accounts import Account
from songgate.domain.credits import Prices
from songgate.domain.fields import JsonObject
from songgate.domain.personas import Persona, PersonaVoice, parse_create
from songgate.domain.status import TaskStatus
from songgate.domain.submit import ID_MAX_LENGTH
from songgate.errors import ClipNotExist, InvalidRequest, PersonaNotExist
from songgate.media.base import MediaBackend
from songgate.store.credits import CreditStore
from songgate.store.personas import PersonaStore
from songgate.store.tasks import TaskStore


class PersonaService:
    def __init__(self, tasks: TaskStore, personas: PersonaStore, media: MediaBackend,
                 clock: Clock, credits: CreditStore | None = None,
                 prices: Prices | None = None) -> None:
        self._credits = credits
        self._prices = prices or Prices({})
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
        price = self._prices.act_price("persona")
        if self._credits is not None and price:  # nothing is charged for a refused create
            await self._credits.charge_answer(account.id, price, f"persona {persona.id}",
                                              now=persona.created_at)
        await self._personas.insert(persona)
        return persona.to_dto()

    async def get(self, account: Account, persona_id: str) -> JsonObject:
        """The persona: the account's own or a public one."""
        return (await self.usable(account, persona_id[:ID_MAX_LENGTH])).to_dto()

    async def of_account(self, account: Account, limit: int) -> list[JsonObject]:
        """The account's own personas, newest first."""
        return [p.to_dto() for p in await self._personas.of_account(account.id, limit)]

    async def usable(self, account: Account, persona_id: str) -> Persona:
        """The persona a submit names: the account's own or a public one."""
        found = await self._personas.usable(account.id, persona_id)
        if found is None:
            raise PersonaNotExist("persona_id names no persona of this account (nor a public one)")
        return found
