"""AccountStore: accounts and hashed tokens."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from songgate.domain.accounts import (
    Account,
    TokenRecord,
    check_account_name,
    handle_for,
    hash_token,
    new_token_secret,
    token_hint,
)
from songgate.errors import InvalidRequest
from songgate.store.database import Database
from songgate.store.tables import accounts, tokens


def _account(row: Any) -> Account:
    return Account(
        id=row.id,
        name=row.name,
        handle=row.handle,
        display_name=row.display_name,
        disabled=bool(row.disabled),
        created_at=row.created_at,
        test_mode=bool(row.test_mode),
    )


def _token(row: Any) -> TokenRecord:
    return TokenRecord(
        id=row.id,
        account_id=row.account_id,
        name=row.name,
        hint=row.hint,
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
    )


class AccountStore:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def create_account(self, name: str, *, now: float) -> Account:
        check_account_name(name)
        account = Account(
            id=str(uuid.uuid4()),
            name=name,
            handle=handle_for(name),
            display_name=name,
            disabled=False,
            created_at=now,
        )
        try:
            async with self._db.write() as conn:
                await conn.execute(
                    accounts.insert().values(
                        id=account.id,
                        name=account.name,
                        handle=account.handle,
                        display_name=account.display_name,
                        disabled=False,
                        created_at=now,
                    )
                )
        except IntegrityError:
            raise InvalidRequest(f"an account named {name!r} exists already") from None
        return account

    async def account_by_name(self, name: str) -> Account | None:
        async with self._db.read() as conn:
            row = (await conn.execute(select(accounts).where(accounts.c.name == name))).first()
        return _account(row) if row else None

    async def account_by_id(self, account_id: str) -> Account | None:
        async with self._db.read() as conn:
            row = (await conn.execute(select(accounts).where(accounts.c.id == account_id))).first()
        return _account(row) if row else None

    async def list_accounts(self) -> list[Account]:
        async with self._db.read() as conn:
            rows = await conn.execute(select(accounts).order_by(accounts.c.created_at))
        return [_account(row) for row in rows]

    async def count_accounts(self) -> int:
        async with self._db.read() as conn:
            result = await conn.execute(select(func.count()).select_from(accounts))
            return int(result.scalar_one())

    async def set_account_disabled(self, name: str, disabled: bool) -> bool:
        async with self._db.write() as conn:
            result = await conn.execute(
                update(accounts).where(accounts.c.name == name).values(disabled=disabled)
            )
        return result.rowcount == 1

    async def set_test_mode(self, name: str, on: bool) -> bool:
        """False when no account has this name."""
        async with self._db.write() as conn:
            result = await conn.execute(
                update(accounts).where(accounts.c.name == name).values(test_mode=on)
            )
        return result.rowcount == 1

    async def create_token(
        self, account: Account, *, name: str, now: float, expires_at: float | None = None
    ) -> tuple[TokenRecord, str]:
        """A new token and its secret; the secret is returned here and never stored."""
        secret = new_token_secret()
        record = TokenRecord(
            id=uuid.uuid4().hex[:12],
            account_id=account.id,
            name=name,
            hint=token_hint(secret),
            created_at=now,
            expires_at=expires_at,
            revoked_at=None,
        )
        async with self._db.write() as conn:
            await conn.execute(
                tokens.insert().values(
                    id=record.id,
                    account_id=record.account_id,
                    name=record.name,
                    token_hash=hash_token(secret),
                    hint=record.hint,
                    created_at=now,
                    expires_at=expires_at,
                    revoked_at=None,
                )
            )
        return record, secret

    async def list_tokens(self, account: Account | None = None) -> list[tuple[TokenRecord, str]]:
        """Tokens with the name of their account."""
        query = select(tokens, accounts.c.name.label("account_name")).join(accounts)
        if account is not None:
            query = query.where(tokens.c.account_id == account.id)
        async with self._db.read() as conn:
            rows = await conn.execute(query.order_by(tokens.c.created_at))
        return [(_token(row), row.account_name) for row in rows]

    async def revoke_token(self, token_id: str, *, now: float) -> bool:
        async with self._db.write() as conn:
            result = await conn.execute(
                update(tokens)
                .where(tokens.c.id == token_id, tokens.c.revoked_at.is_(None))
                .values(revoked_at=now)
            )
        return result.rowcount == 1

    async def find_by_token_hash(self, token_hash: str) -> tuple[TokenRecord, Account] | None:
        query = (
            select(tokens, *[c.label(f"acct_{c.name}") for c in accounts.c])
            .join(accounts)
            .where(tokens.c.token_hash == token_hash)
        )
        async with self._db.read() as conn:
            row = (await conn.execute(query)).first()
        if row is None:
            return None
        account = Account(
            id=row.account_id,
            name=row.acct_name,
            handle=row.acct_handle,
            display_name=row.acct_display_name,
            disabled=bool(row.acct_disabled),
            created_at=row.acct_created_at,
            test_mode=bool(row.acct_test_mode),
        )
        return _token(row), account
