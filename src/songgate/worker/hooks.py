"""Delivering webhook notifications from the outbox, signed, retried, never to forbidden hosts.

Runs in every worker process; deliverers share the outbox through ``SKIP LOCKED``
claims. Each delivery: resolve the host and refuse loopback, private, link-local and
other non-public addresses (unless the operator allows them), connect to one of the
addresses just checked (the URL pinned to it: the host name only in the Host header and
for TLS, as SNI and as the name the certificate must be valid for, so a DNS answer that
changes after the check is never followed), POST the task's envelope with
``X-Songgate-Timestamp`` and ``X-Songgate-Signature`` (and ``X-Songgate-Event-Id``, the
same on every delivery of one notification), and never follow a redirect. A 2xx answer
delivers it; anything else is tried again with exponential backoff and jitter until
``webhook_retry_seconds`` after the change, then it is marked failed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from songgate.clock import Clock
from songgate.domain.hooks import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    EVENT_ID_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    event_id,
    next_delay,
    signature,
)
from songgate.outbound.fetcher import FetchRefused, FetchRules, Resolver, SafeFetcher, resolve
from songgate.store.hooks import DELIVERED, FAILED, PENDING, Delivery, HookStore
from songgate.worker.hook_tls import delivery_ssl_context, tls_failure

log = logging.getLogger("songgate.worker.hooks")


@dataclass(frozen=True, slots=True)
class WebhookSettings:
    """How webhooks are sent and for how long a delivery is tried."""

    timeout_seconds: float  # per POST; a claimed delivery is held three times this
    poll_seconds: float  # with nothing due, the outbox is read again after this
    concurrency: int  # deliveries claimed and sent at once
    backoff_seconds: float  # the first retry comes after about this, then doubling
    retry_seconds: float  # after this long since the change, a delivery gives up
    allow_private: bool  # loopback and private addresses too (tests)
    ca_file: Path | None = None  # CAs trusted besides the public roots (private PKI, tests)


class HookDeliverer:
    def __init__(
        self, store: HookStore, settings: WebhookSettings, clock: Clock,
        resolver: Resolver = resolve,
    ) -> None:
        self._store = store
        self._settings = settings
        self._clock = clock
        self._http = SafeFetcher(
            FetchRules(timeout_seconds=settings.timeout_seconds,
                       allow_private=settings.allow_private),
            user_agent="songgate-webhooks", resolver=resolver,
            verify=delivery_ssl_context(settings.ca_file))
        self._secrets: dict[str, tuple[str, float]] = {}

    async def run(self, stop: asyncio.Event) -> None:
        try:
            while not stop.is_set():
                try:
                    sent = await self.deliver_due()
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("webhook delivery round failed")
                    sent = 0
                if not sent:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), self._settings.poll_seconds)
        finally:
            await self.close()

    async def deliver_due(self) -> int:
        settings = self._settings
        due = await self._store.claim_due(
            now=self._clock.now(), limit=settings.concurrency,
            hold_seconds=settings.timeout_seconds * 3,
        )
        await asyncio.gather(*(self.deliver(delivery) for delivery in due))
        return len(due)

    async def deliver(self, delivery: Delivery) -> None:
        started = time.monotonic()
        status: int | None = None
        try:
            status = await self._post(delivery)
            error = "" if 200 <= status < 300 else (
                "redirects are not followed" if 300 <= status < 400 else f"answered HTTP {status}")
        except FetchRefused as refused:
            error = refused.message
        except httpx.TimeoutException:
            error = "timed out"
        except httpx.HTTPError as failure:
            error = tls_failure(failure) or f"could not be sent: {type(failure).__name__}"
        now = self._clock.now()
        duration_ms = int((time.monotonic() - started) * 1000)
        context = {"task_id": delivery.task_id, "delivery": delivery.id, "event": delivery.event,
                   "attempt": delivery.attempts + 1}
        if not error:
            await self._store.record(delivery, at=now, status_code=status, error="",
                                     duration_ms=duration_ms, outcome=DELIVERED)
            log.info("webhook delivered", extra=context)
            return
        retry_at = now + next_delay(delivery.attempts + 1,
                                    base=self._settings.backoff_seconds)
        gives_up = retry_at - delivery.created_at > self._settings.retry_seconds
        await self._store.record(delivery, at=now, status_code=status, error=error,
                                 duration_ms=duration_ms, outcome=FAILED if gives_up else PENDING,
                                 next_at=retry_at)
        log.warning("webhook " + ("given up" if gives_up else "will be retried"),
                    extra={**context, "reason": error})

    async def _post(self, delivery: Delivery) -> int:
        """POST to an address of the hook's host just checked; redirects are answers."""
        secret = await self._secret(delivery.account_id)
        timestamp = int(self._clock.now())
        headers = {
            "Content-Type": "application/json",
            TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: signature(secret, timestamp, delivery.payload),
            DELIVERY_HEADER: delivery.id,
            EVENT_HEADER: delivery.event,
            EVENT_ID_HEADER: event_id(delivery.task_id, delivery.event, delivery.payload),
        }
        async with self._http.stream("POST", delivery.url, content=delivery.payload,
                                     headers=headers) as response:
            return response.status_code  # the body is not read

    async def _secret(self, account_id: str) -> str:
        cached = self._secrets.get(account_id)
        now = time.monotonic()
        if cached is not None and now - cached[1] < 60:
            return cached[0]
        secret = await self._store.secret(account_id, now=self._clock.now())
        self._secrets[account_id] = (secret, now)
        return secret

    async def close(self) -> None:
        await self._http.close()
