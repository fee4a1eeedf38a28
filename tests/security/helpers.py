"""Helpers of the security checks: the real app over HTTP, as a chosen client address."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

DEFAULT_PEER = "203.0.113.7"  # a documentation address: any client on the internet


def http(app: FastAPI, token: str | None = None, *, peer: str = DEFAULT_PEER,
         ) -> httpx.AsyncClient:
    """A client of ``app`` connecting from ``peer``, sending ``token`` when given."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=(peer, 40000)),
        base_url="http://songgate.test", headers=headers,
    )
