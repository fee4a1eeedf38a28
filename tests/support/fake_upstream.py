"""A fake upstream music API on loopback, with fault switches, for relay tests and benchmarks.

The relay's HTTP client is part of what these tests exercise (timeouts, connection reuse,
content types, ``Retry-After``, oversized and broken bodies), so the fake is a real HTTP
server rather than a mock transport. It speaks one of two protocols:

- ``suno-task``: the task API songgate itself serves (``/suno/submit/*``, ``/suno/fetch``);
- ``sunoapi-v1``: hosted providers' style (``/api/v1/generate``, ``.../record-info``).

Both split a clip they made into stems (``gen_stem`` music tasks; ``/api/v1/vocal-removal``):
the fake's songs have the parts ``STEM_PARTS`` names. Both work on a clip they made: a
music submit's ``task`` (cover, upload_extend, infill, add_vocals, add_instrumental) must
name one of its clips; sunoapi-v1's ``upload-cover``, ``upload-extend``, ``add-vocals`` and
``add-instrumental`` take only its own audio URLs as ``uploadUrl``, and its
``replace-section`` a task id and clip id of its own. Anything else is refused (400).

It runs uvicorn in a background thread with its own event loop, so sync and async tests
can both use it, and a handler that hangs (``asyncio.sleep``) never blocks the others.
``python -m tests.support.fake_upstream --protocol suno-task --port 0`` runs it as a
separate process (benchmarks), prints ``READY <port>`` and serves until SIGTERM; the
``/_control/*`` routes then stand in for the Python methods.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import json
import signal
import socket
import sys
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import FrameType, TracebackType
from typing import Any, Literal, get_args

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

Protocol = Literal["suno-task", "sunoapi-v1"]
PROTOCOLS: tuple[Protocol, ...] = get_args(Protocol)
Action = Literal["MUSIC", "LYRICS", "STEM"]
Answer = tuple[int, Any]
Handler = Callable[[Request], Awaitable[Answer]]
Endpoint = Callable[[Request], Awaitable[Response]]

HOST = "127.0.0.1"
CLIPS_PER_TASK = 2
DURATION = 120.5
LYRICS_TEXT = "[Verse]\nla la la, a fake song\n\n[Chorus]\nla la"
MALFORMED_BODY = b'{"code": "succ'
BUSY_PAGE = b"<html>busy</html>"
_TERMINAL = ("SUCCESS", "FAILURE")
# The stems the fake makes of any of its clips, by group; Brass is a part songgate's
# engine never plays, so only a relayed clip's stems have it.
STEM_PARTS: dict[str, tuple[str, ...]] = {"Two": ("Vocals", "Instrumental"),
                                          "Twelve": ("Vocals", "Drums", "Bass", "Brass")}
_STEM_FIELDS = {"Vocals": "vocalUrl", "Instrumental": "instrumentalUrl", "Drums": "drumsUrl",
                "Bass": "bassUrl", "Brass": "brassUrl"}
_STEM_TYPES = {"separate_vocal": "Two", "split_stem": "Twelve"}
# A music submit's tasks on one of the fake's clips, and the field naming the clip.
CLIP_TASKS = {"cover": "cover_clip_id", "upload_extend": "continue_clip_id",
              "infill": "continue_clip_id", "add_vocals": "continue_clip_id",
              "add_instrumental": "continue_clip_id"}
BY_URL_ROUTES = ("upload-cover", "upload-extend", "add-vocals", "add-instrumental")
# content type and the bytes a real file of that kind starts with
_FILES: dict[str, tuple[str, bytes]] = {
    "mp3": ("audio/mpeg", b"ID3\x04\x00\x00\x00\x00\x00\x00"),
    "jpeg": ("image/jpeg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"),
    "mp4": ("video/mp4", b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00"),
}


@dataclass
class Switches:
    """Faults the server injects; all off by default. Tests flip them between requests.

    Unless noted they apply to API routes only, never to ``/_control`` or ``/files``.
    """

    status_500: int = 0  # the next N API requests answer 500
    always_500: bool = False
    rate_limit: int = 0  # the next N API requests answer 429 with Retry-After
    retry_after: int = 2
    hang_seconds: float = 0.0  # sleep this long before answering (the work is done first)
    hang_submits_only: bool = False
    malformed_json: bool = False  # 200, application/json, a truncated body
    wrong_content_type: bool = False  # 200, text/html
    huge_body_bytes: int = 0  # pad status answers to at least this many bytes
    drop_ids: set[str] = field(default_factory=set)  # status answers omit these ids
    duplicate_ids: bool = False  # batch fetch lists every task twice, the copy stale
    null_when_none_known: bool = False  # batch fetch answers data: null, not [] (new-api)
    missing_id_on_submit: bool = False  # submit succeeds (task created) but names no id
    never_finish: set[str] = field(default_factory=set)
    never_finish_all: bool = False
    file_status: int = 200  # /files routes answer this status instead
    file_bytes: int = 4096  # /files body size

    def merge(self, changes: Mapping[str, Any]) -> None:
        """Apply a JSON object of changes (the control route); lists become sets.

        Everything is checked before anything changes, so a bad request changes nothing.
        """
        checked: dict[str, Any] = {}
        for name, value in changes.items():
            if name not in _SWITCH_NAMES:
                raise ValueError(f"unknown switch {name!r}")
            current = getattr(self, name)
            if isinstance(current, set):
                if not isinstance(value, list | set) or not all(isinstance(v, str) for v in value):
                    raise ValueError(f"{name} takes a list of task ids")
                value = set(value)
            elif isinstance(current, bool):
                if not isinstance(value, bool):
                    raise ValueError(f"{name} takes true or false")
            elif isinstance(current, int):
                if isinstance(value, bool) or not isinstance(value, int):
                    raise ValueError(f"{name} takes an integer")
            elif isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"{name} takes a number")
            checked[name] = value
        for name, value in checked.items():
            setattr(self, name, value)

    def as_json(self) -> dict[str, Any]:
        return {
            name: sorted(value) if isinstance(value, set) else value
            for name, value in dataclasses.asdict(self).items()
        }


_SWITCH_NAMES = frozenset(f.name for f in dataclasses.fields(Switches))


@dataclass
class _Task:
    id: str
    action: Action
    path: str
    body: dict[str, Any]
    clip_ids: tuple[str, ...]
    submitted_at: float
    state: str = "SUBMITTED"  # SUBMITTED, IN_PROGRESS, SUCCESS, FAILURE
    fetches: int = 0  # status requests that advanced it
    started_at: float = 0.0
    finished_at: float = 0.0
    fail_reason: str = ""
    forgotten: bool = False
    parts: tuple[str, ...] = ()  # a stem task's parts, one clip each
    source_title: str = ""  # a stem task's: the title of the clip it splits


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _json_response(
    status: int, payload: Any, *, pad_to: int = 0, headers: Mapping[str, str] | None = None
) -> Response:
    """Compact JSON; padded with an extra key to at least ``pad_to`` bytes when asked."""
    content = json.dumps(payload, separators=(",", ":")).encode()
    if pad_to > len(content) and isinstance(payload, dict):
        padded = {**payload, "padding": "x" * (pad_to - len(content))}
        content = json.dumps(padded, separators=(",", ":")).encode()
    return Response(content, status_code=status, media_type="application/json", headers=headers)


async def _json_object(request: Request) -> dict[str, Any] | None:
    """The request body as a JSON object; None when it is not one."""
    try:
        body = await request.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


class FakeUpstream:
    """One fake upstream on a free loopback port; see the module docstring.

    State is touched by the server thread and read (or steered) by the test thread, so
    every access goes through one lock, held only for bookkeeping, never across an await.
    """

    def __init__(
        self, protocol: Protocol, *, key: str = "up-key", steps: int = 2, port: int = 0
    ) -> None:
        if protocol not in PROTOCOLS:
            raise ValueError(f"protocol must be one of {PROTOCOLS}, not {protocol!r}")
        if steps < 0:
            raise ValueError("steps must be >= 0")
        self.protocol: Protocol = protocol
        self.key = key
        self.steps = steps
        self.port = port
        self.url = ""
        self.switches = Switches()
        self._lock = threading.Lock()
        self._tasks: dict[str, _Task] = {}
        self._clips: dict[str, str] = {}  # clip id -> task id
        self._submissions: list[dict[str, Any]] = []
        self._fetched_ids: list[int] = []
        self._requests = 0
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.app = Starlette(routes=self._routes())

    # -- lifecycle -------------------------------------------------------------------

    def start(self, timeout: float = 10) -> FakeUpstream:
        """Serve on 127.0.0.1 (a free port unless one was given); return once it answers.

        The socket is bound here, not by uvicorn, so the port is known (and ours) before
        the server thread starts: no window for another process to take it.
        """
        if self._thread is not None:
            return self
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, self.port))
        except OSError:
            sock.close()
            raise
        self.port = int(sock.getsockname()[1])
        self.url = f"http://{HOST}:{self.port}"
        config = uvicorn.Config(
            self.app, log_level="warning", access_log=False, lifespan="off",
            timeout_graceful_shutdown=1,
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, daemon=True,
            name=f"fake-upstream-{self.port}",
        )
        self._server, self._thread = server, thread
        thread.start()
        deadline = time.monotonic() + timeout
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                sock.close()
                raise RuntimeError(f"fake upstream did not start on port {self.port}")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        """Stop at once: requests still hanging are cancelled, not waited for."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        server.should_exit = True
        server.force_exit = True
        thread.join(10)
        self._server = self._thread = None

    def __enter__(self) -> FakeUpstream:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # -- counters and steering (any thread) --------------------------------------------

    @property
    def submissions(self) -> list[dict[str, Any]]:
        """Every accepted submission in order: ``{"path", "json", "task_id"}``."""
        with self._lock:
            return [dict(item) for item in self._submissions]

    @property
    def fetch_requests(self) -> int:
        """Status requests served (batch or single), not counting faulted ones."""
        with self._lock:
            return len(self._fetched_ids)

    @property
    def fetched_ids(self) -> list[int]:
        """How many ids each served status request asked for, in order."""
        with self._lock:
            return list(self._fetched_ids)

    @property
    def requests(self) -> int:
        """Every API and file request, faulted or not; control requests are not counted."""
        with self._lock:
            return self._requests

    def task_ids(self) -> list[str]:
        """Every task created, in order (forgotten ones too)."""
        with self._lock:
            return list(self._tasks)

    def complete(self, task_ids: Iterable[str] | None = None) -> dict[str, float]:
        """Finish tasks with SUCCESS now; ``time.time()`` of each completion.

        None means every task not finished yet. A named task that already succeeded keeps
        (and reports) its first completion time; a failed one is turned into a success.
        Completion overrides ``never_finish`` and ``steps=0``. Unknown ids: KeyError.
        """
        with self._lock:
            if task_ids is None:
                chosen = [t for t in self._tasks.values() if t.state not in _TERMINAL]
            else:
                wanted = list(task_ids)
                unknown = [tid for tid in wanted if tid not in self._tasks]
                if unknown:
                    raise KeyError(f"unknown task ids: {unknown}")
                chosen = [self._tasks[tid] for tid in wanted]
            done: dict[str, float] = {}
            for task in chosen:
                if task.state != "SUCCESS":
                    self._finish(task, "SUCCESS")
                done[task.id] = task.finished_at
            return done

    def fail(self, task_id: str, reason: str) -> None:
        """Finish a task with FAILURE and this reason (KeyError when unknown)."""
        with self._lock:
            task = self._tasks[task_id]
            self._finish(task, "FAILURE")
            task.fail_reason = reason

    def forget(self, task_id: str) -> None:
        """Answer as if this task never existed from now on (KeyError when unknown)."""
        with self._lock:
            self._tasks[task_id].forgotten = True

    def stats(self) -> dict[str, Any]:
        with self._lock:
            return {
                "submissions": len(self._submissions), "fetch_requests": len(self._fetched_ids),
                "fetched_ids": list(self._fetched_ids), "requests": self._requests,
                "tasks": len(self._tasks),
            }

    # -- task state (lock held) ----------------------------------------------------------

    def _create(self, path: str, action: Action, body: dict[str, Any],
                parts: tuple[str, ...] = (), source_title: str = "") -> _Task:
        clips = len(parts) if parts else CLIPS_PER_TASK if action == "MUSIC" else 1
        task = _Task(
            id=uuid.uuid4().hex, action=action, path=path, body=body,
            clip_ids=tuple(str(uuid.uuid4()) for _ in range(clips)), submitted_at=time.time(),
            parts=parts, source_title=source_title,
        )
        self._tasks[task.id] = task
        for clip_id in task.clip_ids:
            self._clips[clip_id] = task.id
        self._submissions.append({"path": path, "json": body, "task_id": task.id})
        return task

    def _finish(self, task: _Task, state: str) -> None:
        now = time.time()
        task.state = state
        task.started_at = task.started_at or now
        task.finished_at = now
        task.fail_reason = ""

    def _visible(self, task_id: str) -> _Task | None:
        task = self._tasks.get(task_id)
        if task is None or task.forgotten or task_id in self.switches.drop_ids:
            return None
        return task

    def _advance(self, task: _Task) -> None:
        """One status request saw this task: take it one step further."""
        if task.state in _TERMINAL:
            return
        task.fetches += 1
        task.started_at = task.started_at or time.time()
        stuck = self.switches.never_finish_all or task.id in self.switches.never_finish
        if not stuck and self.steps > 0 and task.fetches >= self.steps:
            self._finish(task, "SUCCESS")
        else:
            task.state = "IN_PROGRESS"

    def _progress(self, task: _Task) -> int:
        if task.state == "SUCCESS":
            return 100
        if task.fetches == 0:
            return 0
        if self.steps == 0:
            return 50
        return min(99, task.fetches * 100 // self.steps)

    def _file_url(self, clip_id: str, ext: str) -> str:
        return f"{self.url}/files/{clip_id}.{ext}"

    # -- rendering: suno-task -------------------------------------------------------------

    def _task_dto(self, task: _Task) -> dict[str, Any]:
        data: Any
        if task.action == "MUSIC":
            data = [self._clip_dto(task, clip_id) for clip_id in task.clip_ids]
        else:
            done = task.state == "SUCCESS"
            data = {
                "id": task.clip_ids[0], "title": "Fake lyrics" if done else "",
                "text": LYRICS_TEXT if done else "",
                "status": {"SUBMITTED": "submitted", "IN_PROGRESS": "running",
                           "SUCCESS": "complete", "FAILURE": "error"}[task.state],
            }
        return {
            "task_id": task.id, "action": task.action, "status": task.state,
            "fail_reason": task.fail_reason, "submit_time": int(task.submitted_at),
            "start_time": int(task.started_at), "finish_time": int(task.finished_at),
            "progress": f"{self._progress(task)}%", "data": data,
        }

    def _clip_dto(self, task: _Task, clip_id: str) -> dict[str, Any]:
        done = task.state == "SUCCESS"
        status = {"SUBMITTED": "submitted", "IN_PROGRESS": "streaming", "SUCCESS": "complete",
                  "FAILURE": "error"}[task.state]
        body = task.body
        title = _text(body.get("title")) or "Fake song"
        stem: dict[str, Any] = {}
        if task.parts:
            part = task.parts[task.clip_ids.index(clip_id)]
            title, stem = f"{task.source_title} - {part}", {"type": "stem", "stem_type": part}
        return {
            "id": clip_id, "title": title, "status": status,
            "audio_url": self._file_url(clip_id, "mp3") if done else "",
            "image_url": self._file_url(clip_id, "jpeg") if done else "",
            "image_large_url": self._file_url(clip_id, "jpeg") if done else "",
            "video_url": self._file_url(clip_id, "mp4") if done else "",
            "metadata": {
                "duration": DURATION if done else None, "tags": _text(body.get("tags")),
                "prompt": _text(body.get("prompt")) or _text(body.get("gpt_description_prompt")),
                **stem,
            },
        }

    def _source_title(self, clip_id: str) -> str | None:
        """The title of one of the fake's clips (lock held); None when it made no such clip."""
        task = self._tasks.get(self._clips.get(clip_id, ""))
        if task is None:
            return None
        return task.source_title if task.parts else _text(task.body.get("title")) or "Fake song"

    def _knows_clip_of(self, body: dict[str, Any]) -> bool:
        """Whether a music submit's ``task`` names one of the fake's song clips (lock held),
        with the span an infill needs."""
        clip_id = _text(body.get(CLIP_TASKS[_text(body["task"])]))
        task = self._tasks.get(self._clips.get(clip_id, ""))
        if task is None or task.parts:
            return False
        if body["task"] == "infill":
            return all(isinstance(body.get(f), int | float)
                       for f in ("infill_start_s", "infill_end_s"))
        return True

    def _own_audio(self, url: str) -> bool:
        """Whether ``url`` is the audio of a song clip the fake made (lock held)."""
        prefix = f"{self.url}/files/"
        name = url.removeprefix(prefix) if url.startswith(prefix) else ""
        task = self._tasks.get(self._clips.get(name.removesuffix(".mp3"), ""))
        return name.endswith(".mp3") and task is not None and not task.parts

    def _stem_record(self, task: _Task) -> dict[str, Any]:
        """``data`` of the vocal removal's record-info: every part's URL once made."""
        flag = {"SUCCESS": "SUCCESS", "FAILURE": "GENERATE_AUDIO_FAILED"}.get(task.state,
                                                                              "PENDING")
        response: dict[str, Any] = {"originUrl": None}
        for part, clip_id in zip(task.parts, task.clip_ids, strict=True):
            done = task.state == "SUCCESS"
            response[_STEM_FIELDS[part]] = self._file_url(clip_id, "mp3") if done else None
        return {"taskId": task.id, "musicId": _text(task.body.get("audioId")),
                "successFlag": flag, "response": response,
                "errorMessage": task.fail_reason if task.state == "FAILURE" else None}

    # -- rendering: sunoapi-v1 ------------------------------------------------------------

    def _record(self, task: _Task) -> dict[str, Any]:
        """``data`` of record-info: PENDING, TEXT_SUCCESS, FIRST_SUCCESS, SUCCESS or failed."""
        if task.state == "SUCCESS":
            status, finished_clips = "SUCCESS", len(task.clip_ids)
        elif task.state == "FAILURE":
            status = "GENERATE_AUDIO_FAILED" if task.action == "MUSIC" else "GENERATE_LYRICS_FAILED"
            finished_clips = 0
        elif task.state == "SUBMITTED" or task.action == "LYRICS":
            status, finished_clips = "PENDING", 0  # lyrics have no partial stages
        elif task.fetches <= 1:
            status, finished_clips = "TEXT_SUCCESS", 0
        else:
            status, finished_clips = "FIRST_SUCCESS", 1
        response: dict[str, Any] = {"taskId": task.id}
        if task.action == "MUSIC":
            streaming = task.state in ("IN_PROGRESS", "SUCCESS")
            response["sunoData"] = [
                self._suno_clip(task, clip_id, done=n < finished_clips, streaming=streaming)
                for n, clip_id in enumerate(task.clip_ids)
            ]
        else:
            response["data"] = (
                [{"text": LYRICS_TEXT, "title": "Fake lyrics", "status": "complete"}]
                if task.state == "SUCCESS" else []
            )
        return {
            "taskId": task.id, "status": status, "response": response,
            "errorMessage": task.fail_reason if task.state == "FAILURE" else None,
        }

    def _suno_clip(
        self, task: _Task, clip_id: str, *, done: bool, streaming: bool
    ) -> dict[str, Any]:
        body = task.body
        return {
            "id": clip_id, "audioUrl": self._file_url(clip_id, "mp3") if done else "",
            "streamAudioUrl": self._file_url(clip_id, "mp3") if streaming else "",
            "imageUrl": self._file_url(clip_id, "jpeg") if done else "",
            "prompt": _text(body.get("prompt")), "modelName": _text(body.get("model")) or "V4",
            "title": _text(body.get("title")) or "Fake song",
            "tags": _text(body.get("style")) or _text(body.get("tags")),
            "createTime": int(task.submitted_at * 1000), "duration": DURATION if done else None,
        }

    # -- HTTP -------------------------------------------------------------------------------

    def _routes(self) -> list[Route]:
        api = self._api
        if self.protocol == "suno-task":
            routes = [
                Route("/suno/submit/music", api(self._suno_submit_music, submit=True),
                      methods=["POST"]),
                Route("/suno/submit/lyrics", api(self._suno_submit_lyrics, submit=True),
                      methods=["POST"]),
                Route("/suno/fetch", api(self._suno_fetch, fetch=True), methods=["POST"]),
                Route("/suno/fetch/{task_id}", api(self._suno_fetch_one, fetch=True),
                      methods=["GET"]),
            ]
        else:
            routes = [
                Route("/api/v1/generate", api(self._v1_generate, submit=True), methods=["POST"]),
                Route("/api/v1/generate/extend", api(self._v1_generate, submit=True),
                      methods=["POST"]),
                Route("/api/v1/lyrics", api(self._v1_lyrics, submit=True), methods=["POST"]),
                Route("/api/v1/generate/record-info", api(self._v1_music_record, fetch=True),
                      methods=["GET"]),
                Route("/api/v1/lyrics/record-info", api(self._v1_lyrics_record, fetch=True),
                      methods=["GET"]),
                Route("/api/v1/vocal-removal/generate", api(self._v1_stems, submit=True),
                      methods=["POST"]),
                *(Route(f"/api/v1/generate/{name}", api(self._v1_by_url, submit=True),
                        methods=["POST"]) for name in BY_URL_ROUTES),
                Route("/api/v1/generate/replace-section",
                      api(self._v1_replace_section, submit=True), methods=["POST"]),
                Route("/api/v1/vocal-removal/record-info",
                      api(self._v1_stem_record, fetch=True), methods=["GET"]),
            ]
        return [
            *routes,
            Route("/files/{name}", self._file, methods=["GET"]),
            Route("/_control/switches", self._control_switches, methods=["POST"]),
            Route("/_control/complete", self._control_complete, methods=["POST"]),
            Route("/_control/fail", self._control_fail, methods=["POST"]),
            Route("/_control/forget", self._control_forget, methods=["POST"]),
            Route("/_control/stats", self._control_stats, methods=["GET"]),
        ]

    def _error(self, status: int, code: str, message: str) -> Answer:
        """An error in the protocol's envelope; sunoapi-v1 puts the status in ``code``."""
        if self.protocol == "suno-task":
            return status, {"code": code, "message": message, "data": None}
        return status, {"code": status, "msg": message, "data": None}

    def _api(self, handler: Handler, *, submit: bool = False, fetch: bool = False) -> Endpoint:
        """An API route: count it, check the key, apply the switches, then the handler.

        A hang sleeps after the handler ran, so a submission the client gave up on
        still created its task, as a slow real upstream would have.
        """

        async def endpoint(request: Request) -> Response:
            with self._lock:
                self._requests += 1
            response = await self._answer(request, handler, fetch=fetch)
            switches = self.switches
            if switches.hang_seconds > 0 and (submit or not switches.hang_submits_only):
                await asyncio.sleep(switches.hang_seconds)
            return response

        return endpoint

    async def _answer(self, request: Request, handler: Handler, *, fetch: bool) -> Response:
        switches = self.switches
        if request.headers.get("authorization") != f"Bearer {self.key}":
            return _json_response(*self._error(401, "unauthorized", "invalid or missing key"))
        with self._lock:
            if switches.always_500 or switches.status_500 > 0:
                switches.status_500 = max(0, switches.status_500 - 1)
                return _json_response(500, {"code": "internal"})
            if switches.rate_limit > 0:
                switches.rate_limit -= 1
                status, body = self._error(429, "rate_limited", "too many requests")
                return _json_response(
                    status, body, headers={"Retry-After": str(switches.retry_after)}
                )
        if switches.malformed_json:
            return Response(MALFORMED_BODY, media_type="application/json")
        if switches.wrong_content_type:
            return Response(BUSY_PAGE, media_type="text/html")
        status, body = await handler(request)
        return _json_response(status, body, pad_to=switches.huge_body_bytes if fetch else 0)

    # suno-task

    async def _suno_submit_music(self, request: Request) -> Answer:
        return await self._suno_submit(request, "MUSIC")

    async def _suno_submit_lyrics(self, request: Request) -> Answer:
        return await self._suno_submit(request, "LYRICS")

    async def _suno_submit(self, request: Request, action: Action) -> Answer:
        body = await _json_object(request)
        if body is None:
            return self._error(400, "invalid_request", "body must be a JSON object")
        if body.get("prompt") == "REFUSE":
            return self._error(400, "invalid_request", "prompt refused")
        with self._lock:
            if body.get("task") == "gen_stem":
                source = self._source_title(_text(body.get("continue_clip_id")))
                group = _text(body.get("stem_type_group_name")) or "Two"
                if source is None or group not in STEM_PARTS:
                    return self._error(400, "invalid_request", "no such clip or group")
                task = self._create(request.url.path, action, body, STEM_PARTS[group], source)
            elif _text(body.get("task")) in CLIP_TASKS and not self._knows_clip_of(body):
                return self._error(400, "invalid_request", "no such clip for this task")
            else:
                task = self._create(request.url.path, action, body)
        data = None if self.switches.missing_id_on_submit else task.id
        return 200, {"code": "success", "message": "", "data": data}

    async def _suno_fetch(self, request: Request) -> Answer:
        body = await _json_object(request)
        ids = body.get("ids") if body is not None else None
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            return self._error(400, "invalid_request", "ids must be a list of task ids")
        items: list[dict[str, Any]] = []
        with self._lock:
            self._fetched_ids.append(len(ids))
            advanced: set[str] = set()
            for task_id in ids:
                task = self._visible(task_id)
                if task is None:
                    continue
                if task_id not in advanced:
                    self._advance(task)
                    advanced.add(task_id)
                dto = self._task_dto(task)
                items.append(dto)
                if self.switches.duplicate_ids:
                    items.append({**dto, "status": "IN_PROGRESS", "progress": "50%",
                                  "finish_time": 0})
        if not items and self.switches.null_when_none_known:
            return 200, {"code": "success", "message": "", "data": None}
        return 200, {"code": "success", "message": "", "data": items}

    async def _suno_fetch_one(self, request: Request) -> Answer:
        task_id = request.path_params["task_id"]
        with self._lock:
            self._fetched_ids.append(1)
            task = self._visible(task_id)
            if task is None:
                return self._error(404, "task_not_exist", "task not found")
            self._advance(task)
            dto = self._task_dto(task)
        return 200, {"code": "success", "message": "", "data": dto}

    # sunoapi-v1

    async def _v1_generate(self, request: Request) -> Answer:
        return await self._v1_submit(request, "MUSIC")

    async def _v1_lyrics(self, request: Request) -> Answer:
        return await self._v1_submit(request, "LYRICS")

    async def _v1_submit(self, request: Request, action: Action) -> Answer:
        body = await _json_object(request)
        if body is None:
            return 200, {"code": 400, "msg": "body must be a JSON object", "data": None}
        if body.get("prompt") == "REFUSE":
            return 200, {"code": 400, "msg": "prompt refused", "data": None}
        with self._lock:
            task = self._create(request.url.path, action, body)
        data = {} if self.switches.missing_id_on_submit else {"taskId": task.id}
        return 200, {"code": 200, "msg": "success", "data": data}

    async def _v1_stems(self, request: Request) -> Answer:
        body = await _json_object(request) or {}
        clip_id, kind = _text(body.get("audioId")), _text(body.get("type"))
        with self._lock:
            source = self._source_title(clip_id)
            if (source is None or self._clips.get(clip_id) != body.get("taskId")
                    or kind not in _STEM_TYPES):
                return 200, {"code": 400, "msg": "taskId, audioId or type unknown", "data": None}
            task = self._create(request.url.path, "STEM", body,
                                STEM_PARTS[_STEM_TYPES[kind]], source)
        return 200, {"code": 200, "msg": "success", "data": {"taskId": task.id}}

    async def _v1_by_url(self, request: Request) -> Answer:
        """upload-cover, upload-extend, add-vocals, add-instrumental: audio by URL."""
        body = await _json_object(request) or {}
        if body.get("prompt") == "REFUSE":
            return 200, {"code": 400, "msg": "prompt refused", "data": None}
        with self._lock:
            if not self._own_audio(_text(body.get("uploadUrl"))):
                return 200, {"code": 400, "msg": "uploadUrl cannot be fetched", "data": None}
            task = self._create(request.url.path, "MUSIC", body)
        return 200, {"code": 200, "msg": "success", "data": {"taskId": task.id}}

    async def _v1_replace_section(self, request: Request) -> Answer:
        body = await _json_object(request) or {}
        span = [body.get("infillStartS"), body.get("infillEndS")]
        with self._lock:
            clip_id = _text(body.get("audioId"))
            known = (self._source_title(clip_id) is not None
                     and self._clips.get(clip_id) == body.get("taskId"))
            if not known or not all(isinstance(s, int | float) for s in span):
                return 200, {"code": 400, "msg": "taskId, audioId or span unknown", "data": None}
            task = self._create(request.url.path, "MUSIC", body)
        return 200, {"code": 200, "msg": "success", "data": {"taskId": task.id}}

    async def _v1_stem_record(self, request: Request) -> Answer:
        return self._v1_record(request, "STEM")

    async def _v1_music_record(self, request: Request) -> Answer:
        return self._v1_record(request, "MUSIC")

    async def _v1_lyrics_record(self, request: Request) -> Answer:
        return self._v1_record(request, "LYRICS")

    def _v1_record(self, request: Request, action: Action) -> Answer:
        """One task per request; the other action's record-info does not know it."""
        task_id = request.query_params.get("taskId", "")
        with self._lock:
            self._fetched_ids.append(1 if task_id else 0)
            task = self._visible(task_id)
            if task is None or task.action != action:
                return 200, {"code": 404, "msg": "task not found", "data": None}
            self._advance(task)
            data = self._stem_record(task) if action == "STEM" else self._record(task)
        return 200, {"code": 200, "msg": "success", "data": data}

    # files and control

    async def _file(self, request: Request) -> Response:
        """A clip's audio, cover or video: the right magic bytes, zero-filled to size."""
        with self._lock:
            self._requests += 1
        clip_id, _, ext = str(request.path_params["name"]).rpartition(".")
        with self._lock:
            known = clip_id in self._clips
        if not known or ext not in _FILES:
            return Response(b"not found", status_code=404, media_type="text/plain")
        switches = self.switches
        if switches.file_status != 200:
            return Response(b"file fault", status_code=switches.file_status,
                            media_type="text/plain")
        media_type, head = _FILES[ext]
        size = max(switches.file_bytes, len(head))
        return Response(head + bytes(size - len(head)), media_type=media_type)

    async def _control_switches(self, request: Request) -> Response:
        body = await _json_object(request)
        if body is None:
            return _json_response(400, {"error": "body must be a JSON object"})
        with self._lock:
            try:
                self.switches.merge(body)
            except ValueError as exc:
                return _json_response(400, {"error": str(exc)})
            return _json_response(200, self.switches.as_json())

    async def _control_complete(self, request: Request) -> Response:
        body = await _json_object(request)
        ids = body.get("ids") if body is not None else None
        if ids is not None and not (isinstance(ids, list) and all(isinstance(i, str) for i in ids)):
            return _json_response(400, {"error": "ids must be a list of task ids or null"})
        try:
            completed = self.complete(ids)
        except KeyError as exc:
            return _json_response(404, {"error": str(exc.args[0])})
        return _json_response(200, {"completed": completed})

    async def _control_fail(self, request: Request) -> Response:
        body = await _json_object(request) or {}
        task_id, reason = body.get("id"), body.get("reason", "failed")
        if not isinstance(task_id, str) or not isinstance(reason, str):
            return _json_response(400, {"error": "needs id and reason strings"})
        try:
            self.fail(task_id, reason)
        except KeyError:
            return _json_response(404, {"error": f"unknown task id {task_id!r}"})
        return _json_response(200, {"failed": task_id})

    async def _control_forget(self, request: Request) -> Response:
        body = await _json_object(request) or {}
        task_id = body.get("id")
        if not isinstance(task_id, str):
            return _json_response(400, {"error": "needs an id string"})
        try:
            self.forget(task_id)
        except KeyError:
            return _json_response(404, {"error": f"unknown task id {task_id!r}"})
        return _json_response(200, {"forgotten": task_id})

    async def _control_stats(self, request: Request) -> Response:
        return _json_response(200, self.stats())


def main(argv: Sequence[str] | None = None) -> int:
    """Serve in this process until SIGTERM or SIGINT; ``READY <port>`` once listening."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--protocol", choices=PROTOCOLS, required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--key", default="up-key")
    parser.add_argument("--steps", type=int, default=2)
    args = parser.parse_args(argv)
    stopping = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    upstream = FakeUpstream(args.protocol, key=args.key, steps=args.steps, port=args.port)
    with upstream.start():
        print(f"READY {upstream.port}", flush=True)
        while not stopping.wait(0.2):
            pass
    with contextlib.suppress(BrokenPipeError):
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
