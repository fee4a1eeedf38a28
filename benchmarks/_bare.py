"""A bare uvicorn ASGI app that answers fixed bytes from memory: the ceiling of a route.

    SONGGATE_BENCH_BODIES=/path/bodies.json python -m benchmarks._bare PORT

``bodies.json`` maps a request path to a file whose bytes are the answer's body (as
``application/json``); any other path answers 404. Served like ``songgate api``
(uvicorn with httptools, no lifespan, no access log, no Server header, on the loop
uvicorn picks: uvloop where installed, as songgate's own processes since
:mod:`songgate.event_loop`; before, songgate served on the standard loop against this
same ceiling), so the only difference from songgate is the work songgate does per request.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import orjson
import uvicorn
from starlette.types import Receive, Scope, Send

BODIES_ENV = "SONGGATE_BENCH_BODIES"


def bare_app(bodies: dict[str, bytes]) -> object:
    answers = {
        path: (
            {"type": "http.response.start", "status": 200, "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ]},
            {"type": "http.response.body", "body": body},
        )
        for path, body in bodies.items()
    }
    missing = ({"type": "http.response.start", "status": 404,
                "headers": [(b"content-length", b"0")]},
               {"type": "http.response.body", "body": b""})

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        more = True
        while more:  # read the request body, as songgate does
            message = await receive()
            more = message.get("more_body", False)
        start, body = answers.get(scope["path"], missing)
        await send(start)
        await send(body)

    return app


def main() -> None:
    spec = orjson.loads(Path(os.environ[BODIES_ENV]).read_bytes())
    bodies = {path: Path(file).read_bytes() for path, file in spec.items()}
    uvicorn.run(bare_app(bodies), host="127.0.0.1", port=int(sys.argv[1]), log_config=None,  # type: ignore[arg-type]
                access_log=False, lifespan="off", server_header=False, http="httptools",
                loop="auto")


if __name__ == "__main__":
    main()
