"""Uploads: a URL fetched, or a file sent in, made into a clip of the caller's account.

The URL goes through the safe fetcher (public addresses only, unless the operator allows
a private network with ``SONGGATE_UPLOAD_ALLOWED_NETWORKS``), bounded in bytes and time.
A file upload is begun by its account, which is answered an id and a URL on songgate
itself; the bytes sent there (bounded) are checked and made into the clip at once, and
``upload-finish`` answers it. Whatever is refused is answered 400 naming the problem,
and leaves nothing stored: the audio is published before its task is committed (a task
never names a file that is not there), and taken back if the task is refused (no credits).

A file upload's clip id is chosen when the upload begins, so the clip is found by it:
should songgate stop between committing the clip and marking the upload done,
``upload-finish`` (or a resent file) finds the clip and marks it then.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from songgate.clock import Clock
from songgate.domain.accounts import Account
from songgate.domain.addresses import IPNetwork
from songgate.domain.credits import Prices
from songgate.domain.fetch import all_plain_ids
from songgate.domain.ids import time_ordered_id
from songgate.domain.results import ClipOutput
from songgate.domain.status import Action
from songgate.domain.uploads import (
    MAX_SECONDS,
    UPLOAD_SECONDS,
    UPLOADED,
    WAITING,
    PendingUpload,
    UploadSpec,
    new_upload_task,
    parse_extension,
    parse_url_upload,
    title_from_url,
    upload_clip,
)
from songgate.errors import UploadNotExist, UploadRefused
from songgate.media.base import MediaBackend
from songgate.media.names import names_for
from songgate.outbound.fetcher import FetchRefused, FetchRules, Resolver, SafeFetcher, resolve
from songgate.store.accounts import AccountStore
from songgate.store.tasks import TaskStore
from songgate.store.uploads import UploadStore
from songgate.uploads.decode import decode_upload

DEFAULT_TITLE = "Upload"
log = logging.getLogger("songgate.uploads")


@dataclass(frozen=True, slots=True)
class UploadSettings:
    max_bytes: int  # the largest file taken, fetched or sent
    fetch_seconds: float  # fetching a URL, redirects included
    decode_seconds: float  # each ffmpeg run
    allowed_networks: tuple[IPNetwork, ...]  # private networks a URL may name
    public_url: str  # where clients reach songgate (the file upload's target)


class UploadService:
    def __init__(
        self, tasks: TaskStore, uploads: UploadStore, accounts: AccountStore,
        media: MediaBackend, prices: Prices, clock: Clock, settings: UploadSettings,
        resolver: Resolver = resolve,
    ) -> None:
        self._tasks = tasks
        self._uploads = uploads
        self._accounts = accounts
        self._media = media
        self._prices = prices
        self._clock = clock
        self.settings = settings
        self._fetcher = SafeFetcher(
            FetchRules(timeout_seconds=settings.fetch_seconds, max_bytes=settings.max_bytes,
                       allowed_networks=settings.allowed_networks),
            user_agent="songgate-uploads", resolver=resolver)

    async def from_url(self, account: Account, body: Any) -> dict[str, Any]:
        """``POST /suno/uploads/audio-url``: the clip made from the file at ``url``."""
        url = parse_url_upload(body)
        work = self._media.work_dir()
        try:
            source = work / "source"
            try:
                await self._fetcher.download(url, source)
            except FetchRefused as refused:
                raise UploadRefused(_fetch_problem(refused, self.settings.max_bytes)) from None
            return await self._make(account, source, work,
                                    UploadSpec(source="url", url=url),
                                    title_from_url(url) or DEFAULT_TITLE)
        finally:
            self._media.discard(work)

    async def begin(self, account: Account, body: Any) -> dict[str, Any]:
        """``POST /suno/uploads/audio``: an upload id and where its bytes go."""
        extension = parse_extension(body)
        now = self._clock.now()
        upload = PendingUpload(id=str(uuid.uuid4()), account_id=account.id,
                               extension=extension, state=WAITING, task_id=None,
                               clip_id=str(uuid.uuid4()),
                               created_at=now, expires_at=now + UPLOAD_SECONDS)
        await self._uploads.insert(upload)
        return {"id": upload.id, "url": self.target_url(upload.id), "method": "PUT",
                "fields": {}, "max_bytes": self.settings.max_bytes,
                "expires_at": int(upload.expires_at)}

    def target_url(self, upload_id: str) -> str:
        return f"{self.settings.public_url}/suno/uploads/audio/{upload_id}/file"

    async def receive(self, upload_id: str, chunks: AsyncIterator[bytes]) -> dict[str, Any]:
        """The bytes of a begun upload (its id is the key), made into the clip at once."""
        upload = (await self._uploads.claim(upload_id, now=self._clock.now())
                  if all_plain_ids([upload_id]) else None)
        if upload is None:
            raise UploadNotExist("no upload is waiting for its file under this id (unknown, "
                                 "expired, or its file was sent already)")
        uploaded = False
        try:
            made = await self.make_clip(upload, chunks)
            await self._uploads.mark_uploaded(upload_id, task_id=made["task_id"],
                                              clip_id=made["clip_id"])
            uploaded = True
            return {"id": upload_id, "status": UPLOADED}
        finally:
            if not uploaded:
                await self._uploads.release(upload_id)

    async def make_clip(self, upload: PendingUpload,
                        chunks: AsyncIterator[bytes]) -> dict[str, Any]:
        """The clip of a claimed upload, committed with its task (found, if it already was);
        the upload itself is left as it is."""
        account = await self._accounts.account_by_id(upload.account_id)
        if account is None or account.disabled:
            raise UploadNotExist("the account of this upload is disabled")
        clip_id = upload.clip_id or str(uuid.uuid4())
        found = await self._tasks.clip_task(account.id, clip_id)
        if found is not None:
            return _made(found.id, clip_id)
        work = self._media.work_dir()
        try:
            source = work / f"source.{upload.extension}"
            await _write_bounded(chunks, source, self.settings.max_bytes)
            return await self._make(account, source, work,
                                    UploadSpec(source="file", extension=upload.extension),
                                    DEFAULT_TITLE, clip_id=clip_id)
        finally:
            self._media.discard(work)

    async def finish(self, account: Account, upload_id: str) -> dict[str, Any]:
        """``POST /suno/uploads/audio/{id}/upload-finish``: the upload's clip."""
        upload = await self._uploads.get(upload_id) if all_plain_ids([upload_id]) else None
        if upload is None or upload.account_id != account.id:
            raise UploadNotExist("no upload of this account has this id")
        task_id = upload.task_id if upload.state == UPLOADED else None
        if task_id is None and upload.clip_id is not None:  # made, but not marked done
            found = await self._tasks.clip_task(account.id, upload.clip_id)
            if found is not None:
                task_id = found.id
                await self._uploads.mark_uploaded(upload_id, task_id=task_id,
                                                  clip_id=upload.clip_id)
        if task_id is None or upload.clip_id is None:
            raise UploadRefused("the file has not been uploaded yet: send its bytes to the "
                                "upload's url first")
        return {"id": upload.clip_id, "clip_id": upload.clip_id, "task_id": task_id,
                "upload_id": upload.id, "status": "complete"}

    async def _make(self, account: Account, source: Path, work: Path, spec: UploadSpec,
                    title: str, *, clip_id: str | None = None) -> dict[str, Any]:
        decoded = await decode_upload(source, work, max_seconds=MAX_SECONDS,
                                      timeout=self.settings.decode_seconds)
        clip_id = clip_id or str(uuid.uuid4())
        names = names_for(clip_id)
        published: list[str] = []
        committed = False
        try:
            published.append(names.wav)
            await self._media.publish(decoded.wav, names.wav)
            published.append(names.audio)
            audio_url = await self._media.publish(decoded.mp3, names.audio)  # last, as always
            now = self._clock.now()
            output = ClipOutput(id=clip_id, audio_url=audio_url, image_url="",
                                image_large_url="", video_url="", duration=decoded.duration,
                                title=title)
            task = new_upload_task(task_id=time_ordered_id(now), account_id=account.id,
                                   clip=upload_clip(clip_id, account.owner, output, now),
                                   spec=spec, now=now)
            await self._tasks.insert(task, charge=self._prices.price(Action.UPLOAD))
            committed = True
        finally:
            if not committed:  # refused (no credits) or failed: no file left unreferenced
                await self._unpublish(published)
        return {**_made(task.id, clip_id), "duration": round(decoded.duration, 2)}

    async def _unpublish(self, names: list[str]) -> None:
        """Take files back; a failure here is logged, never answered in the refusal's place."""
        for name in names:
            try:
                await self._media.remove(name)
            except Exception:
                log.exception("could not take back the unreferenced media file %s", name)

    async def close(self) -> None:
        await self._fetcher.close()


def _made(task_id: str, clip_id: str) -> dict[str, Any]:
    return {"id": clip_id, "clip_id": clip_id, "task_id": task_id, "status": "complete"}


async def _write_bounded(chunks: AsyncIterator[bytes], target: Path, limit: int) -> None:
    size = 0
    with target.open("wb") as out:
        async for chunk in chunks:
            size += len(chunk)
            if size > limit:
                raise UploadRefused(f"the file is too big: more than {limit} bytes")
            out.write(chunk)


def _fetch_problem(refused: FetchRefused, limit: int) -> str:
    """The refusal as the uploader reads it: what was wrong with the URL or the file."""
    if refused.kind == "too_big":
        return f"the file is too big: more than {limit} bytes"
    if refused.kind in ("address", "url", "redirect"):
        return f"url cannot be fetched: {refused.message}"
    return f"url could not be fetched: {refused.message}"
