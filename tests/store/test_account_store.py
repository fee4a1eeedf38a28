from __future__ import annotations

import pytest
from sqlalchemy import select

from songgate.clock import ManualClock
from songgate.domain.accounts import TokenState, hash_token
from songgate.errors import InvalidRequest
from songgate.store.tables import tokens
from songgate.wiring import Services, stores_of


async def test_tokens_are_stored_only_as_hashes(services: Services, clock: ManualClock) -> None:
    account = await stores_of(services).accounts.create_account("carol", now=clock.now())
    record, secret = await stores_of(services).accounts.create_token(account, name="ci",
                                                                     now=clock.now())
    assert secret.startswith("sk-") and len(secret) > 40
    async with stores_of(services).database.read() as conn:
        row = (await conn.execute(select(tokens))).one()
    assert secret not in [str(value) for value in row]
    assert row.token_hash == hash_token(secret)
    found = await stores_of(services).accounts.find_by_token_hash(hash_token(secret))
    assert found is not None and found[1].name == "carol" and found[0].id == record.id


async def test_revoke_and_expiry(services: Services, clock: ManualClock) -> None:
    account = await stores_of(services).accounts.create_account("dave", now=clock.now())
    record, secret = await stores_of(services).accounts.create_token(
        account, name="short", now=clock.now(), expires_at=clock.now() + 60)
    assert record.state(clock.now()) is TokenState.ACTIVE
    assert record.state(clock.now() + 61) is TokenState.EXPIRED
    assert await stores_of(services).accounts.revoke_token(record.id, now=clock.now())
    assert not await stores_of(services).accounts.revoke_token(record.id, now=clock.now())
    found = await stores_of(services).accounts.find_by_token_hash(hash_token(secret))
    assert found is not None and found[0].state(clock.now()) is TokenState.REVOKED


async def test_account_names_are_unique_and_checked(
    services: Services, clock: ManualClock
) -> None:
    await stores_of(services).accounts.create_account("erin", now=clock.now())
    with pytest.raises(InvalidRequest, match="exists already"):
        await stores_of(services).accounts.create_account("erin", now=clock.now())
    with pytest.raises(InvalidRequest, match="account names"):
        await stores_of(services).accounts.create_account("bad name!", now=clock.now())
