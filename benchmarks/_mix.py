"""A realistic traffic mix for ``benchmarks.load`` and ``benchmarks.soak``.

Each client loops over one keep-alive connection, choosing its next request
by weight: submit a song, submit lyrics, poll a batch of up to 100 of the
tasks submitted so far (the newest, as polling clients do), or fetch one.
Every answer is checked (status 200 and a success envelope; a submit's task
id is remembered); anything else counts as an error of its route, by status.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import orjson

from benchmarks._common import HttpConnection, Percentiles, encode_request
from benchmarks.submit import SUBMIT_BODY

SUBMIT_MUSIC = "POST /suno/submit/music"
SUBMIT_LYRICS = "POST /suno/submit/lyrics"
FETCH_BATCH = "POST /suno/fetch (100 ids)"
FETCH_ONE = "GET /suno/fetch/{id}"
ROUTES = (SUBMIT_MUSIC, SUBMIT_LYRICS, FETCH_BATCH, FETCH_ONE)
WEIGHTS = {SUBMIT_MUSIC: 15, SUBMIT_LYRICS: 10, FETCH_BATCH: 60, FETCH_ONE: 15}
BATCH_IDS = 100
POLLED = 2_000  # batches are drawn from this many newest acknowledged tasks
LYRICS_BODY = {"prompt": "a song about the sea at night"}
SUCCESS = b'{"code":"success"'
CONNECTION_ERROR = 0  # the "status" of a request that got no answer


@dataclass
class RouteFigures(Percentiles):
    latencies: list[float] = field(default_factory=list)
    errors: Counter[int] = field(default_factory=Counter)

    @property
    def requests(self) -> int:
        return len(self.latencies) + sum(self.errors.values())


@dataclass
class MixResult:
    seconds: float
    routes: dict[str, RouteFigures] = field(
        default_factory=lambda: {route: RouteFigures() for route in ROUTES})
    acknowledged: list[str] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(sum(figures.errors.values()) for figures in self.routes.values())

    @property
    def requests(self) -> int:
        return sum(figures.requests for figures in self.routes.values())


class Traffic:
    """The requests of the mix, built for one server and token."""

    def __init__(self, port: int, token: str) -> None:
        self._port = port
        self._auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self._music = self._post("/suno/submit/music", SUBMIT_BODY)
        self._lyrics = self._post("/suno/submit/lyrics", LYRICS_BODY)

    def _post(self, path: str, body: object) -> bytes:
        return encode_request("POST", path, self._port, body=orjson.dumps(body),
                              headers=self._auth)

    def request(self, route: str, known: Sequence[str], rng: random.Random) -> bytes:
        if route == SUBMIT_MUSIC or not known:
            return self._music
        if route == SUBMIT_LYRICS:
            return self._lyrics
        newest = known[-POLLED:]
        if route == FETCH_BATCH:
            ids = rng.sample(newest, min(BATCH_IDS, len(newest)))
            return self._post("/suno/fetch", {"ids": ids})
        return encode_request("GET", f"/suno/fetch/{rng.choice(newest)}", self._port,
                              headers=self._auth)


def _route_of(route: str, known: Sequence[str]) -> str:
    """What is really sent: nothing can be fetched before the first acknowledged submit."""
    return route if known or route in (SUBMIT_MUSIC, SUBMIT_LYRICS) else SUBMIT_MUSIC


async def _client(
    traffic: Traffic, port: int, result: MixResult, stop_at: float, seed: int,
    weights: Mapping[str, int],
) -> None:
    rng = random.Random(seed)
    routes, chances = list(weights), list(weights.values())
    connection: HttpConnection | None = None
    try:
        while time.perf_counter() < stop_at:
            route = _route_of(rng.choices(routes, chances)[0], result.acknowledged)
            request = traffic.request(route, result.acknowledged, rng)
            started = time.perf_counter()
            try:
                if connection is None:
                    connection = await HttpConnection.open(port)
                status, body = await connection.send(request)
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                status, body = CONNECTION_ERROR, b""
                if connection is not None:
                    await connection.close()
                connection = None
            figures = result.routes[route]
            if status == 200 and body.startswith(SUCCESS):
                figures.latencies.append(time.perf_counter() - started)
                if route in (SUBMIT_MUSIC, SUBMIT_LYRICS):
                    result.acknowledged.append(orjson.loads(body)["data"])
            else:
                figures.errors[status] += 1
                if status == CONNECTION_ERROR:
                    await asyncio.sleep(0.05)  # the server is down: do not spin
    finally:
        if connection is not None:
            await connection.close()


async def run_mix(
    port: int, token: str, *, clients: int, seconds: float, seed: int = 0,
    weights: Mapping[str, int] = WEIGHTS,
) -> MixResult:
    """``clients`` clients sending the mix for ``seconds``; the figures of every request."""
    traffic = Traffic(port, token)
    result = MixResult(seconds=seconds)
    stop_at = time.perf_counter() + seconds
    async with asyncio.timeout(seconds + 120):
        await asyncio.gather(*(
            _client(traffic, port, result, stop_at, seed * 1000 + index, weights)
            for index in range(clients)
        ))
    return result
