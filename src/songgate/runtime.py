"""Running songgate processes: the API, workers, or both, with SIGTERM draining cleanly.

With both (``songgate serve``) the worker runs on its own thread and event loop
(:mod:`songgate.worker_thread`), so requests never hold up its database writes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Iterator
from pathlib import Path

import uvicorn
from prometheus_client import start_http_server

from songgate.api.app import create_app
from songgate.api.protocol import bounded_protocol
from songgate.config import Settings
from songgate.errors import ServiceUnavailable
from songgate.wiring import Services
from songgate.worker_thread import WorkerThread

log = logging.getLogger("songgate")

DEFAULT_ACCOUNT = "default"


class _Server(uvicorn.Server):
    """uvicorn without its own signal handling: the runtime owns SIGINT and SIGTERM."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


async def bootstrap_first_account(services: Services) -> str | None:
    """On an empty database, create an account and a token; returns the token, shown once."""
    issued = await services.accounts.bootstrap(DEFAULT_ACCOUNT, token_name="first")
    return issued.secret if issued else None


async def run(
    settings: Settings, *, api: bool, worker: bool, bootstrap: bool = False,
    metrics_port: int | None = None,
) -> int:
    services = Services.build(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    exit_code = 0
    try:
        if not await _migrate_when_reachable(services, stop):
            return 0
        if settings.channels_file is not None:
            await _load_channels(services, settings.channels_file)
        if bootstrap:
            secret = await bootstrap_first_account(services)
            if secret:
                print(
                    f"songgate: created account '{DEFAULT_ACCOUNT}' with token {secret}\n"
                    "songgate: keep this token now; it is stored only as a hash",
                    flush=True,
                )
        jobs: list[asyncio.Task[object]] = []
        if worker and api:  # a busy API must not starve the worker: it gets its own thread
            side = WorkerThread(settings, services, work)
            jobs.append(asyncio.create_task(side.run(stop)))
        elif worker:
            jobs.append(asyncio.create_task(work(services, stop)))
        if metrics_port is not None:  # a worker alone has no API to show its metrics
            jobs.append(asyncio.create_task(_serve_metrics(services, metrics_port, stop)))
        if api:
            jobs.append(asyncio.create_task(_serve_api(services, stop)))
        await asyncio.wait(jobs, return_when=asyncio.FIRST_COMPLETED)
        if not stop.is_set():  # something ended on its own: stop the rest
            exit_code = 1
            stop.set()
        results = await asyncio.gather(*jobs, return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                log.error("process part failed", exc_info=result)
                exit_code = 1
    finally:
        await services.close()
    return exit_code


async def _load_channels(services: Services, path: Path) -> None:
    loaded = await services.channels.load_file(path)
    log.info("channels loaded", extra={"file": str(path), "channels": [n for n, _ in loaded]})


async def _migrate_when_reachable(services: Services, stop: asyncio.Event) -> bool:
    """Migrate, waiting for a database that is down or starting; False if stopped meanwhile."""
    delay = 0.5
    while True:
        try:
            await services.migrate()
            return True
        except ServiceUnavailable as error:
            log.warning("waiting for the database",
                        extra={"error": type(error.__cause__ or error).__name__,
                               "retry_in": delay})
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), delay)
        if stop.is_set():
            return False
        delay = min(delay * 2, 10.0)


async def work(services: Services, stop: asyncio.Event) -> None:
    """The worker side of a process: claims, the relay poller and webhook deliveries."""
    relay = services.relay_context()
    registry = services.provider_registry(relay)
    worker = services.worker(registry)
    poller = services.relay_poller(relay, holder=worker.id)
    deliverer = services.hook_deliverer()
    try:
        await asyncio.gather(worker.run(stop), poller.run(stop), deliverer.run(stop))
    finally:
        await registry.close()
        await relay.close()


async def _serve_metrics(services: Services, port: int, stop: asyncio.Event) -> None:
    """``GET /metrics`` of this process's registry, on loopback-or-configured host."""
    server, thread = start_http_server(
        port, addr=services.settings.host, registry=services.metrics.registry
    )
    try:
        await stop.wait()
    finally:
        server.shutdown()
        thread.join(timeout=5)


async def _serve_api(services: Services, stop: asyncio.Event) -> None:
    settings = services.settings
    config = uvicorn.Config(
        create_app(services), host=settings.host, port=settings.port,
        log_config=None, access_log=False, lifespan="off",
        http=bounded_protocol(settings.max_header_bytes), ws="none",
        server_header=False,  # no "Server: uvicorn" on any answer
        proxy_headers=False,  # X-Forwarded-For is read only from trusted_proxies
    )
    server = _Server(config)
    watcher = asyncio.create_task(stop.wait())
    serving = asyncio.create_task(server.serve())
    await asyncio.wait([watcher, serving], return_when=asyncio.FIRST_COMPLETED)
    server.should_exit = True
    try:
        await serving
    except SystemExit as exit_:  # uvicorn exits when it cannot bind
        raise RuntimeError(f"the API could not start (port {settings.port})") from exit_
    finally:
        watcher.cancel()
