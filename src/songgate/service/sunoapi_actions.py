"""sunoapi.org's MIDI and persona routes over songgate's clip actions and personas.

``/midi/generate`` is answered at once, as the dialect's WAV and MP4 are: the engine
publishes every clip's MIDI file beside its MP3, so the "task" id names the clip
(``midi-<clip id>``) and ``/midi/record-info`` reads that file's notes. Its ``taskId``
names the task whose clip is meant (the dialect's is a stem task; here any task of the
caller's that made clips), ``audioId`` the clip (absent: the task's first).
``/generate/generate-persona`` is ``POST /suno/persona/create/`` with the clip as root.
"""

from __future__ import annotations

import asyncio
from typing import Any

from songgate.domain.accounts import Account
from songgate.domain.fields import optional_string, require_object
from songgate.domain.personas import DESCRIPTION_MAX, NAME_MAX
from songgate.domain.sunoapi import requests as dialect
from songgate.domain.sunoapi.midi import MidiUnreadable, midi_data
from songgate.errors import ClipActionRefused, ClipNotExist, InvalidRequest, TaskNotExist
from songgate.media.base import MediaBackend
from songgate.media.names import names_for
from songgate.service.clip_actions import ClipActions
from songgate.service.personas import PersonaService
from songgate.service.sunoapi import SunoApiService
from songgate.store.tasks import TaskStore

MIDI_PREFIX = "midi-"


class SunoApiActions:
    def __init__(self, dialect_service: SunoApiService, store: TaskStore, clips: ClipActions,
                 personas: PersonaService, media: MediaBackend) -> None:
        self._dialect = dialect_service
        self._store = store
        self._clips = clips
        self._personas = personas
        self._media = media

    async def _clip(self, account: Account, raw: Any) -> str:
        """The clip a body names: ``audioId`` of ``taskId``, or that task's first clip."""
        body = require_object(raw)
        if body.get("audioId") not in (None, ""):
            if body.get("taskId") in (None, ""):
                dialect.task_id(None)  # taskId is required
            return await self._dialect.clip_of(account, body)
        task = await self._dialect.task(account, body.get("taskId"))
        if not task.clip_ids:
            raise ClipNotExist("this taskId has no clips: name one that made songs")
        return task.clip_ids[0]

    async def midi(self, account: Account, body: Any) -> dict[str, str]:
        """``/midi/generate``: the clip's MIDI, ready at once (charged here, ``ACT/midi``)."""
        clip_id = await self._clip(account, body)
        await self._clips.file_url(account, clip_id, "midi")
        return {"taskId": f"{MIDI_PREFIX}{clip_id}"}

    async def midi_record(self, account: Account, task_id: Any) -> dict[str, Any]:
        """``/midi/record-info`` of a ``midi-<clip id>`` task: the notes of each instrument."""
        name = dialect.task_id(task_id)
        if not name.startswith(MIDI_PREFIX):
            raise TaskNotExist("no midi task with this taskId exists for this account")
        clip_id = name[len(MIDI_PREFIX):]
        try:
            url = await self._clips.file_url(account, clip_id, "midi", charge=False)
        except ClipNotExist:
            raise TaskNotExist("no midi task with this taskId exists") from None
        notes = await self._notes(clip_id)
        task = await self._store.clip_task(account.id, clip_id)
        done = int(task.finish_time * 1000) if task is not None and task.finish_time else None
        return {
            "taskId": name, "recordTaskId": -1, "audioId": clip_id, "callbackUrl": "",
            "completeTime": done, "midiData": notes, "midiUrl": url, "successFlag": 1,
            "createTime": done, "errorCode": None, "errorMessage": None,
        }

    async def _notes(self, clip_id: str) -> dict[str, Any]:
        scratch = self._media.work_dir()
        try:
            path = await self._media.local_copy(names_for(clip_id).midi, scratch)
            if path is None:
                raise ClipActionRefused("the clip has no MIDI file")
            content = await asyncio.to_thread(path.read_bytes)
            try:
                return await asyncio.to_thread(midi_data, content)
            except MidiUnreadable as failure:
                raise ClipActionRefused(f"the clip's MIDI file cannot be read: {failure}") \
                    from None
        finally:
            self._media.discard(scratch)

    async def persona(self, account: Account, raw: Any) -> dict[str, Any]:
        """``/generate/generate-persona``: a persona singing like ``audioId`` of ``taskId``."""
        body = require_object(raw)
        dialect.task_id(body.get("taskId"))
        clip_id = await self._dialect.clip_of(account, body)
        name = optional_string(body, "name", max_length=NAME_MAX).strip()
        if not name:
            raise InvalidRequest("name is empty: give the persona a name")
        description = optional_string(body, "description", max_length=DESCRIPTION_MAX)
        made = await self._personas.create(account, {
            "root_clip_id": clip_id, "name": name, "description": description})
        return {"personaId": made["id"], "name": made["name"],
                "description": made["description"]}

