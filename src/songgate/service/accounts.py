"""Accounts and their API tokens, as operators manage them (``songgate accounts|tokens``).

Creating an account with its first token is one operation here, whether an operator asks
for it (``tokens create --create-account``) or ``songgate serve`` bootstraps an empty
database; a token's secret leaves this module once, in :class:`IssuedToken`.
"""

from __future__ import annotations

from dataclasses import dataclass

from songgate.clock import Clock
from songgate.domain.accounts import Account, TokenRecord
from songgate.errors import AccountNotFound
from songgate.store.accounts import AccountStore

SECONDS_PER_DAY = 86400


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A new token, with the secret that is stored only as a hash: show it once."""

    record: TokenRecord
    account: Account
    secret: str


class AccountService:
    def __init__(self, store: AccountStore, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def create(self, name: str) -> Account:
        return await self._store.create_account(name, now=self._clock.now())

    async def all(self) -> list[Account]:
        return await self._store.list_accounts()

    async def find(self, name: str) -> Account | None:
        return await self._store.account_by_name(name)

    async def require(self, name: str) -> Account:
        """The account named ``name``, or :class:`AccountNotFound`."""
        account = await self._store.account_by_name(name)
        if account is None:
            raise AccountNotFound(f"no account named {name[:64]!r}")
        return account

    async def set_disabled(self, name: str, disabled: bool) -> bool:
        """False when no account has this name; a disabled account's tokens stop working."""
        return await self._store.set_account_disabled(name, disabled)

    async def set_test_mode(self, name: str, on: bool) -> bool:
        """False when no account has this name. Its tokens see the change once the
        authenticator's cache of them expires (``token_cache_seconds``)."""
        return await self._store.set_test_mode(name, on)

    async def issue_token(
        self, account_name: str, *, token_name: str, expires_in_days: float | None = None,
        create_account: bool = False,
    ) -> IssuedToken:
        """A new token for the named account, creating the account first if asked to."""
        now = self._clock.now()
        owner = await self._store.account_by_name(account_name)
        if owner is None:
            if not create_account:
                raise AccountNotFound(f"no account named {account_name[:64]!r}")
            owner = await self._store.create_account(account_name, now=now)
        expires = now + expires_in_days * SECONDS_PER_DAY if expires_in_days is not None else None
        record, secret = await self._store.create_token(
            owner, name=token_name, now=now, expires_at=expires
        )
        return IssuedToken(record, owner, secret)

    async def bootstrap(self, account_name: str, *, token_name: str) -> IssuedToken | None:
        """On a database with no account yet, the first account and its token; else None."""
        if await self._store.count_accounts() > 0:
            return None
        return await self.issue_token(account_name, token_name=token_name, create_account=True)

    async def tokens(self, account_name: str | None = None) -> list[tuple[TokenRecord, str]]:
        """Every token (or the named account's) with its account's name; never secrets."""
        owner = await self.require(account_name) if account_name is not None else None
        return await self._store.list_tokens(owner)

    async def revoke_token(self, token_id: str) -> bool:
        """False when no active token has this id."""
        return await self._store.revoke_token(token_id, now=self._clock.now())
