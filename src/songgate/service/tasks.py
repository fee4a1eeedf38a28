"""Submitting and fetching tasks on behalf of an account."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, replace
from typing import Any

from songgate.clock import Clock
from songgate.domain import task as task_rules
from songgate.domain.accounts import Account
from songgate.domain.add_parts import asks_for_part, parse_add_part
from songgate.domain.concat import concat_clip, parse_concat
from songgate.domain.credits import Prices
from songgate.domain.dto import success_array_envelope, success_envelope
from songgate.domain.fetch import all_plain_ids, parse_fetch
from songgate.domain.hooks import check_hook_url
from songgate.domain.ids import time_ordered_id
from songgate.domain.infill import check_span_of
from songgate.domain.json_body import parse_json
from songgate.domain.personas import sung_as
from songgate.domain.source_actions import source_clip
from songgate.domain.status import Action, TaskStatus
from songgate.domain.stems import asks_for_stems, parse_stems
from songgate.domain.submit import MusicSpec, parse_lyrics, parse_music
from songgate.domain.test_mode import TestOutcome, select_outcome, submit_refusal
from songgate.errors import (
    ActionNotSupported,
    InvalidRequest,
    NoAvailableChannel,
    TaskNotExist,
)
from songgate.providers.registry import CHANNELS, TEST_MODE, Router
from songgate.providers.relay.catalog import ChannelCatalog
from songgate.service.add_parts import check_part_source
from songgate.service.concat import ConcatPlanner
from songgate.service.cover import CoverPlanner
from songgate.service.personas import PersonaService
from songgate.service.poll_answers import PollAnswers
from songgate.service.relayed_sources import RelayedSources
from songgate.service.stems import StemPlanner
from songgate.store.tasks import TaskStore


@dataclass(frozen=True, slots=True)
class TaskRules:
    """The settings submitting and fetching obey: how long and how often a task may run,
    which webhook hosts are accepted, how many ids one fetch may ask for."""

    max_attempts: int
    timeout_seconds: float
    allow_private_hooks: bool  # loopback and private webhook addresses too (tests)
    fetch_max_ids: int


def _deadline(outcome: TestOutcome | None, timeout_seconds: float) -> float:
    return outcome.deadline_seconds(timeout_seconds) if outcome is not None else timeout_seconds


class TaskService:
    def __init__(
        self, tasks: TaskStore, router: Router, rules: TaskRules, clock: Clock,
        catalog: ChannelCatalog, prices: Prices | None = None,
        personas: PersonaService | None = None, concat: ConcatPlanner | None = None,
        stems: StemPlanner | None = None, cover: CoverPlanner | None = None,
        relayed: RelayedSources | None = None, answers: PollAnswers | None = None,
    ) -> None:
        self._relayed = relayed
        self._stems = stems
        self._cover = cover
        self._personas = personas
        self._concat = concat
        self._tasks = tasks
        self._prices = prices or Prices({})
        self._catalog = catalog
        self._router = router
        self._rules = rules
        self._clock = clock
        self._answers = answers if answers is not None else PollAnswers()

    async def submit(
        self, account: Account, action: Action, body: Any, *, token_id: str | None = None,
        in_flight_limit: int = 0, callback_dialect: str = "", test_header: str | None = None,
    ) -> str:
        """Validate, route and commit a new task; returns its id once it is durable.

        ``callback_dialect``: the dialect its ``notify_hook`` is told in ("": songgate's).
        ``test_header``: the request's ``X-Songgate-Test-Outcome`` (domain/test_mode.py); an
        account in test mode has its MUSIC and LYRICS tasks made by the test provider.
        """
        rules = self._rules
        now = self._clock.now()
        if action is Action.UPLOAD:
            raise ActionNotSupported("uploads are not submitted: POST /suno/uploads/audio-url "
                                     "or /suno/uploads/audio makes the clip")
        if action is Action.FILE:
            raise ActionNotSupported("a FILE task is started by GET /suno/act/wav|mp4|midi/"
                                     "{clip_id} of a clip without the file")
        if action is Action.MUSIC and asks_for_stems(body):
            action = Action.STEM
        if action is Action.STEM:
            if self._stems is None:
                raise InvalidRequest("this server does not split clips into stems")
            split, stem_clips = await self._stems.plan(account, parse_stems(body), now)
            split = replace(split, callback_dialect=callback_dialect)
            self._check_hook(split.notify_hook)
            task = task_rules.new_stem_task(
                task_id=time_ordered_id(now), account_id=account.id, stems=stem_clips,
                spec=split, provider=(CHANNELS if split.channel  # its channel splits it
                                      else self._engine_provider(Action.STEM)), now=now,
                max_attempts=rules.max_attempts, timeout_seconds=rules.timeout_seconds,
            )
        elif action is Action.MUSIC:
            parsed = parse_add_part(body) if asks_for_part(body) else parse_music(body)
            spec = (parsed if parsed.callback_dialect == callback_dialect
                    else replace(parsed, callback_dialect=callback_dialect))
            outcome = self._test_outcome(account, test_header, spec.tags)
            self._check_hook(spec.notify_hook)
            # a clip an upstream made is worked on by its channel (service/relayed_sources.py)
            maker = await self._relayed.channel_for(account, spec) if self._relayed else ""
            if spec.continue_clip_id:
                await self._check_continuation(account, spec)
            if spec.part_clip_id:
                await check_part_source(self._tasks, account, spec, relayed=bool(maker))
            if spec.cover_clip_id:
                if self._cover is None:
                    raise InvalidRequest("this server does not make covers")
                spec = await self._cover.plan(account, spec)
            if spec.persona_id:
                if self._personas is None:
                    raise InvalidRequest("persona_id: this server keeps no personas")
                spec = sung_as(spec, await self._personas.usable(account, spec.persona_id))
            if outcome is not None:
                spec = replace(spec, test_outcome=outcome.to_text())
            task = task_rules.new_music_task(
                task_id=time_ordered_id(now),
                account_id=account.id,
                owner=account.owner,
                spec=spec,
                clip_ids=[str(uuid.uuid4()) for _ in range(task_rules.MUSIC_CLIPS_PER_TASK)],
                provider=(TEST_MODE if outcome is not None else CHANNELS if maker
                          else self._router.route(Action.MUSIC, spec.mv)),
                now=now,
                max_attempts=rules.max_attempts,
                timeout_seconds=_deadline(outcome, rules.timeout_seconds),
            )
        elif action is Action.CONCAT:
            if self._concat is None:
                raise InvalidRequest("this server does not join extension chains")
            joined, last = await self._concat.plan(account, parse_concat(body))
            self._check_hook(joined.notify_hook)
            task = task_rules.new_concat_task(
                task_id=time_ordered_id(now), account_id=account.id,
                clip=concat_clip(str(uuid.uuid4()), account.owner, last, joined, now),
                spec=joined, provider=self._engine_provider(Action.CONCAT), now=now,
                max_attempts=rules.max_attempts, timeout_seconds=rules.timeout_seconds,
            )
        else:
            lyrics = replace(parse_lyrics(body), callback_dialect=callback_dialect)
            lyrics_outcome = self._test_outcome(account, test_header, "")
            self._check_hook(lyrics.notify_hook)
            if lyrics_outcome is not None:
                lyrics = replace(lyrics, test_outcome=lyrics_outcome.to_text())
            task = task_rules.new_lyrics_task(
                task_id=time_ordered_id(now),
                lyrics_id=str(uuid.uuid4()),
                account_id=account.id,
                spec=lyrics,
                provider=(TEST_MODE if lyrics_outcome is not None
                          else self._router.route(Action.LYRICS)),
                now=now,
                max_attempts=rules.max_attempts,
                timeout_seconds=_deadline(lyrics_outcome, rules.timeout_seconds),
            )
        if (task.provider == CHANNELS and task.action in (Action.MUSIC, Action.LYRICS)
                and not (task.action is Action.MUSIC and source_clip(task.music_spec()))):
            # the engine joins and splits, and works on its own clips; the channel that
            # made a clip works on it
            await self._catalog.require(task.action, task.mv)
        await self._tasks.insert(task, charge=self._prices.price(task.action, task.mv),
                                 token_id=token_id, in_flight_limit=in_flight_limit)
        if task.action is Action.STEM and self._stems is not None:
            await self._stems.remember(task.stem_spec(), task.id)
        return task.id

    @staticmethod
    def _test_outcome(account: Account, header: str | None, tags: str) -> TestOutcome | None:
        """The test outcome of a submit (None: a real task); a ``submit=`` one is raised."""
        outcome = select_outcome(test_mode=account.test_mode, header=header, tags=tags)
        refusal = submit_refusal(outcome) if outcome is not None else None
        if refusal is not None:
            raise refusal
        return outcome

    def _engine_provider(self, action: Action) -> str:
        """The provider named for CONCAT or STEM, else MUSIC's (the channels send both to
        the engine)."""
        try:
            return self._router.route(action)
        except NoAvailableChannel:
            return self._router.route(Action.MUSIC)

    def _check_hook(self, url: str) -> None:
        if url:
            check_hook_url(url, allow_private=self._rules.allow_private_hooks)

    async def _check_continuation(self, account: Account, spec: MusicSpec) -> None:
        source = await self._tasks.clip_task(account.id, spec.continue_clip_id)
        if source is None:
            raise InvalidRequest("continue_clip_id does not name a clip of this account")
        if source.status is not TaskStatus.SUCCESS:
            raise InvalidRequest("continue_clip_id names a clip that is not complete yet")
        clip = next(c for c in source.data if c["id"] == spec.continue_clip_id)
        duration = clip["metadata"].get("duration") or 0
        check_span_of(spec.infill_start_s, spec.infill_end_s, duration)
        if spec.continue_at is not None and spec.continue_at > duration:
            raise InvalidRequest(
                f"continue_at is {spec.continue_at:g} s but the clip lasts {duration:g} s"
            )

    async def fetch_body(self, account: Account, body: bytes, *,
                         asked_ns: int | None = None) -> bytes:
        """:meth:`fetch_many` of a request body as it came; ``asked_ns``: when the request
        arrived (``time.monotonic_ns()``), else this call is when it was asked.

        On SQLite the same body from the same account gets the answer given before while
        nothing has been committed since (:mod:`songgate.service.poll_answers`)."""
        if asked_ns is None:
            asked_ns = time.monotonic_ns()
        version = self._tasks.version(asked_ns)
        if version is not None:
            kept = self._answers.get(version, account.id, body)
            if kept is not None:
                return kept
        answer = await self.fetch_many(account, parse_json(body), asked_ns=asked_ns)
        if version is not None:
            self._answers.keep(version, account.id, body, answer)
        return answer

    async def fetch_many(self, account: Account, body: Any, *,
                         asked_ns: int | None = None) -> bytes:
        """The whole success envelope for a batch fetch, spliced from stored TaskDtos."""
        query = parse_fetch(body, max_ids=self._rules.fetch_max_ids)
        return success_array_envelope(await self._tasks.dtos_in_order(
            account.id, query.ids, query.action, asked_ns=asked_ns))

    async def fetch_one(self, account: Account, task_id: str, *,
                        asked_ns: int | None = None) -> bytes:
        # an id that breaks the fetch rules names no task: answer without asking the store
        found = (await self._tasks.dtos_in_order(account.id, [task_id], asked_ns=asked_ns)
                 if all_plain_ids([task_id]) else [])
        if not found:
            raise TaskNotExist("no task with this id exists for this account")
        return success_envelope(found[0])
