"""SongClient: the blocking client (httpx)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

from songgate.client import protocol
from songgate.client.add_parts import ADD_INSTRUMENTAL, ADD_VOCALS, part_body
from songgate.client.cover import cover_body
from songgate.client.files import file_path, is_url, url_of
from songgate.client.models import Clip, TaskDto
from songgate.client.personas import (
    PERSONA_PATH,
    Persona,
    list_path,
    persona_body,
    persona_path,
    personas_of,
)
from songgate.client.protocol import BytesCallback, ProgressCallback
from songgate.client.spans import extension_fields, span_fields
from songgate.client.stems import Stems, stem_body, stems_path
from songgate.client.timing import Timing
from songgate.client.uploads import (
    BEGIN_PATH,
    URL_PATH,
    Target,
    Upload,
    extension_of,
    finish_path,
    send_request,
)


class SongClient:
    def __init__(self, base_url: str, token: str, *, timeout: float = 30.0,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(base_url=self.base_url, headers=protocol.headers(token),
                                  timeout=timeout, transport=transport)

    def __enter__(self) -> SongClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def _call(self, method: str, path: str, body: Any = None,
              headers: dict[str, str] | None = None) -> Any:
        try:
            response = self._http.request(method, path, json=body, headers=headers)
        except httpx.HTTPError as error:
            raise protocol.connection_failed(self.base_url, error) from None
        return protocol.data_of(response)

    def submit_music(self, **fields: Any) -> str:
        """Submit a MUSIC task (``prompt``, ``tags``, ``title``, ``mv``, ...); returns its id.

        ``test_outcome``: the outcome an account in test mode asks for (``failure=why``).
        """
        test = protocol.test_headers(fields.pop("test_outcome", None))
        return str(self._call("POST", "/suno/submit/music", protocol.music_body(fields), test))

    def extend(self, clip_id: str, continue_at: float, **fields: Any) -> str:
        """Continue a clip (the engine's, or an upload: heard, joined at a bar line) at
        ``continue_at`` s with ``prompt``, ``tags``, ...; returns the MUSIC task's id."""
        return self.submit_music(**extension_fields(clip_id, continue_at, fields))

    def replace_span(self, clip_id: str, start_s: float, end_s: float,
                     **fields: Any) -> str:
        """Recompose ``start_s``..``end_s`` of a clip with ``prompt`` (6 to 60 s, at most
        half the clip); the task's clips are the whole song with the span replaced."""
        return self.submit_music(**span_fields(clip_id, start_s, end_s, fields))

    def create_persona(self, root_clip_id: str, name: str, *, description: str = "",
                       clips: Sequence[str] = (), is_public: bool = False) -> Persona:
        """Keep a clip's singer and style; pass its ``id`` as ``persona_id`` to submit_music."""
        body = persona_body(root_clip_id, name, description, clips, is_public)
        return Persona.from_json(self._call("POST", PERSONA_PATH, body))

    def submit_concat(self, clip_id: str, *, is_infill: bool = False) -> str:
        """Join the extension chain ending at ``clip_id`` into one clip; returns the task id."""
        body = {"clip_id": clip_id, "is_infill": is_infill}
        return str(self._call("POST", "/suno/submit/concat", body))

    def upload_url(self, url: str) -> Upload:
        """The clip the service makes of the audio file at ``url``."""
        return Upload.from_json(self._call("POST", URL_PATH, {"url": url}))

    def upload_file(self, path: str | Path) -> Upload:
        """Upload a local audio file (begin, send its bytes, finish); the clip it became."""
        source = Path(path)
        target = Target.from_json(self._call("POST", BEGIN_PATH,
                                             {"extension": extension_of(source)}))
        try:
            sent = self._http.send(send_request(self._http, target, source.read_bytes(),
                                                source.name))
        except httpx.HTTPError as error:
            raise protocol.connection_failed(target.url, error) from None
        if sent.headers.get("content-type", "").startswith("application/json"):
            protocol.data_of(sent)
        else:
            sent.raise_for_status()
        return Upload.from_json(self._call("POST", finish_path(target.id)))

    def submit_lyrics(self, prompt: str, *, notify_hook: str | None = None) -> str:
        body = {"prompt": prompt, **({"notify_hook": notify_hook} if notify_hook else {})}
        return str(self._call("POST", "/suno/submit/lyrics", body))

    def fetch(self, ids: Sequence[str], action: str | None = None) -> list[TaskDto]:
        """Tasks among ``ids``, in the order given (unknown ids are left out)."""
        found: list[TaskDto] = []
        for chunk in protocol.chunks(ids):
            body: dict[str, Any] = {"ids": chunk, **({"action": action} if action else {})}
            found += protocol.tasks_of(self._call("POST", "/suno/fetch", body))
        return found

    def clip_file_url(self, clip_id: str, kind: str) -> str:
        """The URL of a finished clip's ``wav``, ``mp4`` or ``midi`` file, or the id of
        the FILE task that makes it (see :meth:`clip_file`)."""
        return str(self._call("GET", file_path(clip_id, kind)))

    def clip_file(self, clip_id: str, kind: str, *, timeout: float = 600.0,
                  interval: float = 1.0) -> str:
        """The URL of a clip's ``wav``, ``mp4`` or ``midi`` file, waiting for the FILE
        task that makes it when the clip has none yet; :class:`FileNotMade` if it fails."""
        answer = self.clip_file_url(clip_id, kind)
        if is_url(answer):
            return answer
        [task] = self.wait([answer], timeout=timeout, interval=interval)
        return url_of(task, kind)

    def persona(self, persona_id: str) -> Persona:
        """One persona: the account's own, or a public one (else :class:`NotFound`)."""
        return Persona.from_json(self._call("GET", persona_path(persona_id)))

    def personas(self, *, limit: int | None = None) -> list[Persona]:
        """The account's own personas, newest first (at most ``limit``)."""
        return personas_of(self._call("GET", list_path(limit)))

    def add_vocals(self, clip_id: str, prompt: str, **fields: Any) -> str:
        """Sing ``prompt`` over the uploaded instrumental ``clip_id`` (``task: add_vocals``;
        ``tags``, ``title``, ``vocal_gender`` ... as for a song); returns the task id."""
        body = part_body(ADD_VOCALS, clip_id, {"prompt": prompt, **fields})
        return str(self._call("POST", "/suno/submit/music", body))

    def add_instrumental(self, clip_id: str, **fields: Any) -> str:
        """A band in the style of ``tags`` under the uploaded vocal ``clip_id``
        (``task: add_instrumental``); returns the task id."""
        body = part_body(ADD_INSTRUMENTAL, clip_id, fields)
        return str(self._call("POST", "/suno/submit/music", body))

    def cover(self, clip_id: str, **fields: Any) -> str:
        """A cover of a finished clip (a song or an upload): the same song in ``tags``,
        singing ``prompt`` or else its own words; returns the MUSIC task's id."""
        test = protocol.test_headers(fields.pop("test_outcome", None))
        body = cover_body(clip_id, fields)
        return str(self._call("POST", "/suno/submit/music", body, test))

    def submit_stems(self, clip_id: str, *, twelve: bool = False,
                     notify_hook: str | None = None) -> str:
        """A STEM task (``task: gen_stem``) for a finished clip; returns the task id."""
        body = stem_body(clip_id, twelve, notify_hook)
        return str(self._call("POST", "/suno/submit/music", body))

    def stems(self, clip_id: str, *, twelve: bool = False) -> Stems:
        """A clip's stem clips (``Two``: vocals and instrumental; ``twelve``: every part),
        or the id of the task that makes them when they were not asked for before."""
        return Stems.from_json(self._call("GET", stems_path(clip_id, twelve)))

    def timing(self, clip_id: str) -> Timing:
        """A finished clip's sung words with their start and end, and its waveform."""
        return Timing.from_json(self._call("GET", f"/suno/act/timing/{clip_id}"))

    def get(self, task_id: str) -> TaskDto:
        data = self._call("GET", f"/suno/fetch/{task_id}")
        return TaskDto.from_json(data if isinstance(data, dict) else {})

    def wait(self, ids: Sequence[str], *, timeout: float = 600.0,
             on_progress: ProgressCallback | None = None, interval: float = 1.0,
             max_interval: float = 10.0) -> list[TaskDto]:
        """Poll in batches until every task has ended; returns them in the order given."""
        state = protocol.WaitState(ids, timeout=timeout, interval=interval,
                                   max_interval=max_interval)
        while True:
            current = state.update(self.fetch(state.waiting()))
            if on_progress is not None:
                on_progress(current)
            if state.done(current):
                return current
            time.sleep(state.next_sleep(current))

    def download(self, clip: Clip, directory: str | Path, *, what: str = "audio",
                 on_bytes: BytesCallback | None = None) -> Path:
        """Download a clip's file (``audio``, ``image``, ``image_large`` or ``video``).

        Bytes go to ``<name>.part``, resumed with a range request if one is left from
        an interrupted download, and renamed only when whole.
        """
        job = protocol.Download(clip, directory, what, on_bytes)
        try:
            with httpx.stream("GET", job.url, headers=job.headers, timeout=60,
                              follow_redirects=True) as response:
                out = job.open(response.status_code, response.headers)
                if out is not None:
                    with out:
                        for chunk in response.iter_bytes():
                            out.write(chunk)
                            job.wrote(len(chunk))
        except httpx.HTTPError as error:
            raise job.interrupted(error) from None
        return job.finish()
