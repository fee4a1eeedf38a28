"""Accounts and tokens through AccountService, as the CLI and the first run use them."""

from __future__ import annotations

import pytest

from songgate.clock import ManualClock
from songgate.domain.accounts import TokenState
from songgate.errors import AccountNotFound
from songgate.wiring import Services


async def test_a_token_for_a_missing_account_is_refused_unless_it_may_be_created(
    services: Services, clock: ManualClock
) -> None:
    with pytest.raises(AccountNotFound, match="no account named 'zoe'"):
        await services.accounts.issue_token("zoe", token_name="laptop")
    assert await services.accounts.find("zoe") is None
    issued = await services.accounts.issue_token("zoe", token_name="laptop",
                                                 expires_in_days=2, create_account=True)
    assert issued.account.name == "zoe" and issued.record.name == "laptop"
    assert issued.record.expires_at == clock.now() + 2 * 86400
    found = await services.authenticator.authenticate(f"Bearer {issued.secret}")
    assert found.id == issued.account.id


async def test_bootstrap_makes_the_first_account_once(services: Services) -> None:
    first = await services.accounts.bootstrap("default", token_name="first")
    assert first is not None and first.account.name == "default"
    assert await services.accounts.bootstrap("default", token_name="first") is None
    [(record, owner)] = await services.accounts.tokens()
    assert (record.id, record.name, owner) == (first.record.id, "first", "default")


async def test_tokens_of_one_account_and_revoking(services: Services, clock: ManualClock) -> None:
    mine = await services.accounts.issue_token("amy", token_name="a", create_account=True)
    await services.accounts.issue_token("bob", token_name="b", create_account=True)
    assert [owner for _, owner in await services.accounts.tokens("amy")] == ["amy"]
    with pytest.raises(AccountNotFound):
        await services.accounts.tokens("nobody")
    assert await services.accounts.revoke_token(mine.record.id)
    assert not await services.accounts.revoke_token(mine.record.id)
    [(record, _)] = await services.accounts.tokens("amy")
    assert record.state(clock.now()) is TokenState.REVOKED


async def test_disabling_by_name(services: Services) -> None:
    await services.accounts.create("carl")
    assert await services.accounts.set_disabled("carl", True)
    assert not await services.accounts.set_disabled("nobody", True)
    assert [(a.name, a.disabled) for a in await services.accounts.all()] == [("carl", True)]
