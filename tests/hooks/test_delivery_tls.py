"""Webhook delivery over HTTPS to a pinned address: SNI and certificate for the host name.

The receiver is a real HTTPS server on 127.0.0.1 with a certificate from a CA made for
the test; the delivery URL names ``hooks.example.test`` (a reserved name no DNS answers),
which only the deliverer's resolver maps to the loopback address.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from songgate.clock import ManualClock
from songgate.config import Settings
from songgate.domain.accounts import Account
from songgate.store.hooks import Delivery
from songgate.wiring import Services, stores_of, webhook_settings
from songgate.worker.hooks import HookDeliverer
from tests.hooks.test_delivery import finished_task
from tests.support.hook_receiver import HookReceiver
from tests.support.tls_certs import ThrowawayCA

NAME = "hooks.example.test"


@pytest.fixture
def ca(tmp_path: Path) -> ThrowawayCA:
    return ThrowawayCA(tmp_path)


@pytest.fixture
def settings(tmp_path: Path, database_url: str, ca: ThrowawayCA) -> Settings:
    return Settings(
        data_dir=tmp_path, database_url=database_url, token_cache_seconds=0,
        webhook_allow_private=True, webhook_timeout_seconds=2, webhook_backoff_seconds=5,
        webhook_retry_seconds=600, webhook_ca_file=ca.ca_file,
        routes={"MUSIC": "local", "LYRICS": "local"},
    )


class PinningResolver:
    """Every name resolves to 127.0.0.1, where the receiver listens; lookups are counted."""

    def __init__(self) -> None:
        self.lookups: list[tuple[str, int]] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.lookups.append((host, port))
        return ["127.0.0.1"]


@pytest.fixture
def resolver() -> PinningResolver:
    return PinningResolver()


@pytest.fixture
async def deliverer(services: Services, clock: ManualClock,
                    resolver: PinningResolver) -> AsyncIterator[HookDeliverer]:
    made = HookDeliverer(stores_of(services).hooks, webhook_settings(services.settings), clock,
                         resolver=resolver)
    yield made
    await made.close()


def delivery(account: Account, clock: ManualClock, url: str) -> Delivery:
    return Delivery(id=str(uuid.uuid4()), task_id="t", account_id=account.id, url=url,
                    event="task.success", payload=b'{"code":"success"}', attempts=0,
                    created_at=clock.now())


async def test_https_delivery_goes_to_the_pinned_address_with_the_name_for_tls(
    account: Account, clock: ManualClock, ca: ThrowawayCA, deliverer: HookDeliverer,
    resolver: PinningResolver,
) -> None:
    with HookReceiver(tls=ca.issue(NAME).server_context()) as receiver:
        url = f"https://{NAME}:{receiver.port}/done?k=1"
        await deliverer.deliver(delivery(account, clock, url))
    [got] = receiver.received
    assert receiver.server_names[0] == NAME  # SNI carries the name, not the address
    assert got.local_address == "127.0.0.1"  # connected to the address that was checked
    assert got.headers["host"] == f"{NAME}:{receiver.port}"
    assert got.path == "/done?k=1"
    assert got.body == b'{"code":"success"}'
    assert resolver.lookups == [(NAME, receiver.port)]  # once: no second resolution to connect


async def test_a_finished_task_is_delivered_over_https_and_logged(
    services: Services, account: Account, clock: ManualClock, ca: ThrowawayCA,
    deliverer: HookDeliverer,
) -> None:
    with HookReceiver(tls=ca.issue(NAME).server_context()) as receiver:
        task_id = await finished_task(services, account, f"https://{NAME}:{receiver.port}/h")
        assert await deliverer.deliver_due() == 1
    [got] = receiver.received
    assert receiver.server_names == [NAME]
    assert got.headers["x-songgate-event"] == "task.success"
    [entry] = await stores_of(services).hooks.log(task_id)
    assert entry.state == "delivered"
    assert [(a.status_code, a.error) for a in entry.attempts] == [(200, "")]


async def test_a_certificate_for_another_name_is_refused_and_retried(
    services: Services, account: Account, clock: ManualClock, ca: ThrowawayCA,
    deliverer: HookDeliverer,
) -> None:
    wrong = ca.issue("other.example.test")  # trusted CA, wrong name
    with HookReceiver(tls=wrong.server_context()) as receiver:
        task_id = await finished_task(services, account, f"https://{NAME}:{receiver.port}/h")
        await deliverer.deliver_due()
        await deliverer.deliver_due()  # not due yet: backing off
        [entry] = await stores_of(services).hooks.log(task_id)
        assert entry.state == "pending" and len(entry.attempts) == 1
        for _ in range(40):  # until the retry period (600 s) is over
            clock.advance(60)
            await deliverer.deliver_due()
    assert receiver.count() == 0  # no request was ever sent over the refused connection
    assert set(receiver.server_names) == {NAME}
    [entry] = await stores_of(services).hooks.log(task_id)
    assert entry.state == "failed" and len(entry.attempts) >= 4
    reason = ("TLS certificate not accepted: "
              f"Hostname mismatch, certificate is not valid for '{NAME}'.")
    assert {(a.status_code, a.error) for a in entry.attempts} == {(None, reason)}


async def test_a_certificate_from_an_untrusted_ca_is_refused(
    services: Services, account: Account, clock: ManualClock, tmp_path: Path,
    resolver: PinningResolver,
) -> None:
    stranger = ThrowawayCA(tmp_path, name="not trusted")  # only the fixture's CA is trusted
    deliverer = HookDeliverer(stores_of(services).hooks, webhook_settings(services.settings),
                              clock, resolver=resolver)
    try:
        with HookReceiver(tls=stranger.issue(NAME).server_context()) as receiver:
            task_id = await finished_task(services, account, f"https://{NAME}:{receiver.port}/")
            await deliverer.deliver_due()
    finally:
        await deliverer.close()
    assert receiver.count() == 0
    [entry] = await stores_of(services).hooks.log(task_id)
    assert [a.error for a in entry.attempts] == [
        "TLS certificate not accepted: unable to get local issuer certificate"]


async def test_without_the_ca_setting_the_test_ca_is_not_trusted(
    services: Services, account: Account, clock: ManualClock, ca: ThrowawayCA,
    resolver: PinningResolver,
) -> None:
    public_only = Settings(**{**services.settings.model_dump(), "webhook_ca_file": None})
    deliverer = HookDeliverer(stores_of(services).hooks, webhook_settings(public_only), clock,
                              resolver=resolver)
    try:
        with HookReceiver(tls=ca.issue(NAME).server_context()) as receiver:
            task_id = await finished_task(services, account, f"https://{NAME}:{receiver.port}/")
            await deliverer.deliver_due()
    finally:
        await deliverer.close()
    assert receiver.count() == 0
    [entry] = await stores_of(services).hooks.log(task_id)
    assert [a.error for a in entry.attempts] == [
        "TLS certificate not accepted: unable to get local issuer certificate"]
