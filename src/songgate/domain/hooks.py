"""Webhooks: which URLs may be called, how a delivery is signed, when it is tried again.

Pure rules; the outbox lives in :mod:`songgate.store.hooks` and deliveries are made by
:mod:`songgate.worker.hooks`. A receiver verifies a delivery by recomputing
``HMAC-SHA256(secret, f"{timestamp}.{body}")`` (hex) and comparing it with the
``X-Songgate-Signature: sha256=<hex>`` header, and by refusing old timestamps.
"""

from __future__ import annotations

import hashlib
import hmac
import random
from urllib.parse import urlsplit

from songgate.domain.addresses import (  # noqa: F401 - the webhook rules are these
    PinnedUrl,
    is_forbidden_address,
    is_forbidden_name,
    numeric_host,
    pin_url,
)
from songgate.errors import InvalidNotifyHook

SIGNATURE_HEADER = "X-Songgate-Signature"
TIMESTAMP_HEADER = "X-Songgate-Timestamp"
DELIVERY_HEADER = "X-Songgate-Delivery"
EVENT_HEADER = "X-Songgate-Event"
EVENT_ID_HEADER = "X-Songgate-Event-Id"

MAX_BACKOFF_SECONDS = 3600.0


def event_id(task_id: str, event: str, payload: bytes) -> str:
    """One notification's id (``X-Songgate-Event-Id``): the same on every delivery of it.

    Retries, and the second copy a test-mode ``hook-twice`` task asks for, carry the same
    id (unlike ``X-Songgate-Delivery``, one per queued delivery), so a receiver that keeps
    the ids it has handled can drop a repeat. It names the task, the event and the body.
    """
    digest = hashlib.sha256(b"\0".join((task_id.encode(), event.encode(), payload)))
    return "evt_" + digest.hexdigest()[:32]


def check_hook_url(url: str, *, allow_private: bool) -> str:
    """The hook URL if songgate may call it, else :class:`InvalidNotifyHook` saying why.

    Names are checked again after resolution, at every delivery.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise InvalidNotifyHook("notify_hook must be an http or https URL")
    host = parts.hostname or ""
    if not host or parts.username is not None or parts.password is not None:
        raise InvalidNotifyHook("notify_hook must name a host and carry no credentials")
    try:
        _ = parts.port
    except ValueError:
        raise InvalidNotifyHook("notify_hook has an invalid port") from None
    if allow_private:
        return url
    if is_forbidden_name(host):
        raise InvalidNotifyHook("notify_hook may not point at this machine")
    address = numeric_host(host)
    if address is None:
        return url  # a name: checked when it is resolved
    if is_forbidden_address(address):
        raise InvalidNotifyHook(
            "notify_hook may not point at a loopback, private, link-local or reserved address"
        )
    return url


def signature(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, header: str) -> bool:
    """What a receiver does (and what the docs show): recompute and compare in constant time."""
    try:
        expected = signature(secret, int(timestamp), body)
    except ValueError:
        return False
    return hmac.compare_digest(expected, header)


def next_delay(attempts: int, *, base: float, rng: random.Random | None = None) -> float:
    """Exponential backoff with jitter (0.5..1.5 of the step), capped at an hour."""
    step = min(base * 2 ** max(0, attempts - 1), MAX_BACKOFF_SECONDS)
    factor = rng.uniform(0.5, 1.5) if rng is not None else random.uniform(0.5, 1.5)
    return float(step * factor)
