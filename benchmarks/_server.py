"""The songgate API plus a bare baseline route, for ``benchmarks.fetch``.

Configured like ``songgate api`` through ``SONGGATE_*`` variables, and served
the same way (uvicorn inside ``asyncio.run``, no lifespan, no server header).
``SONGGATE_BENCH_BASELINE_FILE`` names a JSON file
``{"account": name, "ids": {"<n>": [[n task ids], ...], ...}}``: at startup
the server renders the ``POST /suno/fetch`` answer for each list once, and
``POST /bench/baseline/{n}/{k}`` returns the bytes for list ``k`` of size ``n``
from memory, with no auth, body parsing or database.
``SONGGATE_BENCH_LOOP=uvloop`` serves on uvloop instead of the standard loop
that ``songgate api`` uses.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import orjson
import uvicorn
from fastapi import FastAPI
from starlette.responses import Response

from songgate.api.app import create_app
from songgate.config import load_settings
from songgate.logs import configure_logging
from songgate.wiring import Services, stores_of

BASELINE_FILE_ENV = "SONGGATE_BENCH_BASELINE_FILE"
LOOP_ENV = "SONGGATE_BENCH_LOOP"
BASELINE_PATH = "/bench/baseline/{n}/{k}"


async def render_baselines(services: Services, path: Path) -> dict[tuple[int, int], bytes]:
    """The exact ``/suno/fetch`` response body for each id list, keyed by (n, k)."""
    spec = orjson.loads(path.read_bytes())
    account = await stores_of(services).accounts.account_by_name(spec["account"])
    if account is None:
        raise SystemExit(f"no account named {spec['account']!r}")
    return {
        (int(n), k): await services.task_service.fetch_many(account, {"ids": ids})
        for n, id_lists in spec["ids"].items()
        for k, ids in enumerate(id_lists)
    }


def add_baseline_route(app: FastAPI, bodies: dict[tuple[int, int], bytes]) -> None:
    async def baseline(n: int, k: int) -> Response:
        body = bodies.get((n, k))
        if body is None:
            return Response(status_code=404)
        return Response(content=body, media_type="application/json")

    app.add_api_route(BASELINE_PATH, baseline, methods=["POST"], include_in_schema=False)


async def serve() -> None:
    settings = load_settings()
    configure_logging(settings.log_level, as_json=settings.log_json)
    services = Services.build(settings)
    try:
        await services.migrate()
        bodies = await render_baselines(services, Path(os.environ[BASELINE_FILE_ENV]))
        app = create_app(services)
        add_baseline_route(app, bodies)
        config = uvicorn.Config(
            app, host=settings.host, port=settings.port, log_config=None,
            access_log=False, lifespan="off", server_header=False,
        )
        await uvicorn.Server(config).serve()
    finally:
        await services.close()


def main() -> None:
    if os.environ.get(LOOP_ENV) == "uvloop":
        import uvloop

        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            runner.run(serve())
    else:
        asyncio.run(serve())


if __name__ == "__main__":
    main()
