"""Token lookups: cached for a while, and one lookup shared by the requests that arrive
while a token's entry is being looked up again."""

from __future__ import annotations

import asyncio

import pytest

from songgate.clock import ManualClock
from songgate.domain.accounts import Account, TokenRecord
from songgate.errors import TokenRevoked
from songgate.service.auth import Authenticator
from songgate.store.accounts import AccountStore
from songgate.wiring import Services, stores_of

CACHE_SECONDS = 5.0


class CountingAccounts(AccountStore):
    """The real store, counting the token lookups that reach the database."""

    lookups = 0

    async def find_by_token_hash(self, token_hash: str) -> tuple[TokenRecord, Account] | None:
        self.lookups += 1
        return await super().find_by_token_hash(token_hash)


@pytest.fixture
def accounts(services: Services) -> CountingAccounts:
    return CountingAccounts(stores_of(services).database)


async def test_requests_that_arrive_together_share_one_lookup(
    accounts: CountingAccounts, token: str, account: Account, clock: ManualClock
) -> None:
    authenticator = Authenticator(accounts, clock, cache_seconds=CACHE_SECONDS)
    header = f"Bearer {token}"
    found = await asyncio.gather(*(authenticator.authenticate(header) for _ in range(20)))
    assert {a.id for a in found} == {account.id}
    assert accounts.lookups == 1
    await authenticator.authenticate(header)
    assert accounts.lookups == 1  # cached
    clock.advance(CACHE_SECONDS)
    found = await asyncio.gather(*(authenticator.authenticate(header) for _ in range(20)))
    assert {a.id for a in found} == {account.id}
    assert accounts.lookups == 2


async def test_a_request_that_leaves_does_not_cancel_the_others_lookup(
    accounts: CountingAccounts, token: str, account: Account, clock: ManualClock
) -> None:
    authenticator = Authenticator(accounts, clock, cache_seconds=CACHE_SECONDS)
    header = f"Bearer {token}"
    leaving = asyncio.ensure_future(authenticator.authenticate(header))
    staying = asyncio.ensure_future(authenticator.authenticate(header))
    await asyncio.sleep(0)
    leaving.cancel()
    assert (await staying).id == account.id
    assert accounts.lookups == 1
    with pytest.raises(asyncio.CancelledError):
        await leaving


async def test_a_revoked_token_stops_working_once_its_entry_runs_out(
    services: Services, accounts: CountingAccounts, token: str, account: Account,
    clock: ManualClock,
) -> None:
    authenticator = Authenticator(accounts, clock, cache_seconds=CACHE_SECONDS)
    header = f"Bearer {token}"
    await authenticator.authenticate(header)
    [(record, _)] = await stores_of(services).accounts.list_tokens(account)
    await stores_of(services).accounts.revoke_token(record.id, now=clock.now())
    await authenticator.authenticate(header)  # still the cached entry
    clock.advance(CACHE_SECONDS)
    with pytest.raises(TokenRevoked):
        await asyncio.gather(*(authenticator.authenticate(header) for _ in range(3)))
    assert accounts.lookups == 2
