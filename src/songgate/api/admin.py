"""The admin API: accounts, balances, ledgers, topups and webhook logs, behind the admin token.

Absent (404 like any unknown route) unless ``SONGGATE_ADMIN_TOKEN`` is set.
"""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Request
from starlette.responses import Response

from songgate.api import openapi as docs
from songgate.api.body import read_json
from songgate.api.envelope import success
from songgate.errors import InvalidRequest
from songgate.service.credits import AdminToken
from songgate.wiring import Services


def admin_router(services: Services) -> APIRouter:
    router = APIRouter(prefix="/admin")
    token = AdminToken(services.settings.admin_token.get_secret_value())
    admin = services.credits
    limit = services.settings.max_body_bytes
    webhooks = services.webhooks

    @router.get("/accounts", **docs.admin_accounts())
    async def accounts(request: Request) -> Response:
        token.check(request.headers.get("authorization"))
        return success([asdict(view) for view in await admin.list()])

    @router.get("/accounts/{name}", **docs.admin_account())
    async def account(name: str, request: Request) -> Response:
        token.check(request.headers.get("authorization"))
        return success(await admin.show(name))

    @router.post("/accounts/{name}/topup", **docs.admin_topup())
    async def topup(name: str, request: Request) -> Response:
        token.check(request.headers.get("authorization"))
        body = await read_json(request, limit=limit)
        if not isinstance(body, dict):
            raise InvalidRequest('expected {"amount": <whole number>, "note": "..."}')
        balance = await admin.topup(name, body.get("amount"), body.get("note", ""))
        return success({"name": name, "balance": balance})

    @router.get("/tasks/{task_id}/deliveries", **docs.admin_deliveries())
    async def deliveries(task_id: str, request: Request) -> Response:
        token.check(request.headers.get("authorization"))
        return success([asdict(entry) for entry in await webhooks.deliveries(task_id[:64])])

    return router
