"""CORS for the origins the operator lists; asked by the edge only when there are some.

A preflight that the policy allows is answered at the edge (204). One it does not
allow goes on to the routes like any ``OPTIONS`` request (405, no CORS
headers), so the browser refuses the call.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import Scope

from songgate.domain.cors import CorsPolicy

_VARY = "Origin"


def cors_answer(policy: CorsPolicy, scope: Scope) -> tuple[list[tuple[bytes, bytes]] | None,
                                                           dict[str, str]]:
    """The head of the answer to an allowed preflight (else None), and the CORS headers
    that the answer of any other request gets."""
    request_headers = dict(scope["headers"])
    origin = request_headers.get(b"origin", b"").decode("latin-1")
    asked_method = request_headers.get(b"access-control-request-method")
    if origin and scope["method"] == "OPTIONS" and asked_method is not None:
        allowed = policy.preflight_headers(
            origin, asked_method.decode("latin-1"),
            request_headers.get(b"access-control-request-headers", b"").decode("latin-1"),
        )
        if allowed is not None:
            headers = MutableHeaders(raw=[])
            headers.update(allowed)
            headers.add_vary_header(_VARY)
            return headers.raw, {}
        return None, {}
    if origin:
        return None, policy.response_headers(origin)
    return None, {}


def with_cors(raw: list[tuple[bytes, bytes]], extra: dict[str, str]) -> list[tuple[bytes, bytes]]:
    """An answer's headers with ``Vary: Origin`` and ``extra`` set."""
    headers = MutableHeaders(raw=list(raw))
    headers.add_vary_header(_VARY)
    headers.update(extra)
    return headers.raw
