"""The routes clients call most, answered without the framework's layers.

Submitting and polling (``POST /suno/submit/{action}``, ``POST /suno/fetch``,
``GET /suno/fetch/{id}``) and ``GET /healthz`` are most of a server's requests. Through
FastAPI each passes about a dozen nested layers (error middlewares, routing, the
request object, dependency solving) that these routes never use. :class:`HotRoutes`
sits outside the app: a request for one of them goes through songgate's own edge
(:mod:`songgate.api.middleware`, the very layer the app installs: request id, log and
metrics, security headers, CORS, bounds, the bad-token guard) straight to a handler that
calls the same services and answers the same bytes, errors mapped by
:mod:`songgate.api.errors` as everywhere. A handler gives the body of its 200 and the
edge makes the head (:meth:`songgate.api.middleware.Edge.answer`). Anything else, and a
method a route does not have (a CORS preflight among them), goes to the full app.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import orjson
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Receive, Scope, Send

from songgate.api.body import read_body
from songgate.api.errors import error_response
from songgate.api.middleware import Edge
from songgate.api.protocol import ARRIVED_NS
from songgate.domain.accounts import Account, TokenRecord
from songgate.domain.dto import success_envelope
from songgate.domain.json_body import parse_json
from songgate.domain.status import Action
from songgate.domain.test_mode import HEADER as TEST_HEADER
from songgate.errors import ActionNotSupported, ServiceUnavailable, SonggateError
from songgate.wiring import Services

log = logging.getLogger("songgate.api")

Handler = Callable[[Scope, Receive, str], Awaitable[bytes]]
Wrap = Callable[[ASGIApp], Edge]


@dataclass(frozen=True, slots=True)
class HotRoute:
    """What the request log and metrics name the route by (the app's path template)."""

    path: str


FETCH = HotRoute("/suno/fetch")
FETCH_ONE = HotRoute("/suno/fetch/{task_id}")
SUBMIT = HotRoute("/suno/submit/{action}")
HEALTHZ = HotRoute("/healthz")
_FETCH_ONE_PREFIX = "/suno/fetch/"
_SUBMIT_PREFIX = "/suno/submit/"
_HEALTHY = success_envelope(orjson.dumps({"status": "ok"}))
_TEST_HEADER = TEST_HEADER.lower().encode()


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


class HotRoutes:
    """Serves the hot routes itself, inside ``edge`` (the app's own middlewares)."""

    def __init__(self, services: Services, edge: Wrap) -> None:
        self._services = services
        self._tasks = services.task_service
        self._authenticator = services.authenticator
        self._limiter = services.limiter
        self._limit = services.settings.max_body_bytes
        self._edge = edge(_no_app)

    async def serve(self, scope: Scope, receive: Receive, send: Send) -> bool:
        """Answer the request if it is for a hot route; False: it is not, nothing was sent."""
        if scope["type"] != "http":
            return False
        found = self._match(scope["method"], scope["path"])
        if found is None:
            return False
        scope["route"] = found[0]
        scope["songgate.hot"] = found
        await self._edge.answer(scope, receive, send, self._answer)
        return True

    def _match(self, method: str, path: str) -> tuple[HotRoute, Handler, str] | None:
        if method == "POST":
            if path == "/suno/fetch":
                return FETCH, self._fetch, ""
            if path.startswith(_SUBMIT_PREFIX):
                action = path[len(_SUBMIT_PREFIX):]
                if action and "/" not in action:
                    return SUBMIT, self._submit, action
        elif method == "GET":
            if path == "/healthz":
                return HEALTHZ, self._healthz, ""
            if path.startswith(_FETCH_ONE_PREFIX):
                task_id = path[len(_FETCH_ONE_PREFIX):]
                if task_id and "/" not in task_id:
                    return FETCH_ONE, self._fetch_one, task_id
        return None

    async def _answer(self, scope: Scope, receive: Receive) -> bytes | ASGIApp | None:
        """The body of the route's 200 (the edge makes its head), or the error's answer."""
        found: tuple[HotRoute, Handler, str] = scope["songgate.hot"]
        _, handler, parameter = found
        try:
            return await handler(scope, receive, parameter)
        except ClientDisconnect:
            return None
        except SonggateError as refused:
            if isinstance(refused, ServiceUnavailable):
                log.warning("database unavailable",
                            extra={"path": scope["path"],
                                   "error": type(refused.__cause__ or refused).__name__})
            return error_response(refused)
        except Exception:
            log.exception("unhandled error", extra={"path": scope["path"]})
            return error_response(SonggateError("internal error"))

    async def _caller(self, scope: Scope) -> tuple[TokenRecord, Account]:
        token, account = await self._authenticator.authenticate_token(
            _header(scope, b"authorization"))
        await self._limiter.count_request(token, account)
        return token, account

    async def _body(self, scope: Scope, receive: Receive) -> bytes:
        return await read_body(_header(scope, b"content-length"), receive, limit=self._limit)

    async def _fetch(self, scope: Scope, receive: Receive, _: str) -> bytes:
        account = (await self._caller(scope))[1]
        body = await self._body(scope, receive)
        return await self._tasks.fetch_body(account, body, asked_ns=scope.get(ARRIVED_NS))

    async def _fetch_one(self, scope: Scope, _: Receive, task_id: str) -> bytes:
        account = (await self._caller(scope))[1]
        return await self._tasks.fetch_one(account, task_id, asked_ns=scope.get(ARRIVED_NS))

    async def _submit(self, scope: Scope, receive: Receive, action: str) -> bytes:
        token, account = await self._caller(scope)
        parsed = Action.parse(action)
        if parsed is None:
            shown = action if len(action) <= 32 else action[:32] + "…"
            raise ActionNotSupported(
                f"unknown action {shown!r}; accepted actions: music, lyrics, concat")
        body = parse_json(await self._body(scope, receive))
        return success_envelope(orjson.dumps(await self._tasks.submit(
            account, parsed, body, token_id=token.id,
            in_flight_limit=await self._limiter.tasks_in_flight(account),
            test_header=_header(scope, _TEST_HEADER))))

    async def _healthz(self, scope: Scope, receive: Receive, _: str) -> bytes:
        return _HEALTHY


async def _no_app(scope: Scope, receive: Receive, send: Send) -> None:
    """What the hot routes' edge wraps: nothing, as :meth:`Edge.answer` serves them."""
    raise RuntimeError("the hot routes are answered through Edge.answer")
