"""Credits as operators see them: balances by account name, the ledger, topups.

The CLI (``songgate accounts show|topup``) and the admin API call this; both name
accounts by their name and get the same answers.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import asdict, dataclass
from typing import Any

from songgate.clock import Clock
from songgate.domain.accounts import Account
from songgate.domain.credits import check_topup
from songgate.errors import AccountNotFound, InvalidRequest, Unauthorized
from songgate.store.accounts import AccountStore
from songgate.store.credits import CreditStore

MAX_NOTE = 200


@dataclass(frozen=True, slots=True)
class AccountView:
    name: str
    id: str
    disabled: bool
    balance: int


class CreditAdmin:
    def __init__(self, accounts: AccountStore, credits: CreditStore, clock: Clock) -> None:
        self._accounts = accounts
        self._credits = credits
        self._clock = clock

    async def _account(self, name: str) -> Account:
        account = await self._accounts.account_by_name(name)
        if account is None:
            raise AccountNotFound(f"no account named {name[:64]!r}")
        return account

    async def list(self) -> list[AccountView]:
        balances = await self._credits.balances()
        return [AccountView(a.name, a.id, a.disabled, balances.get(a.id, 0))
                for a in await self._accounts.list_accounts()]

    async def balances(self) -> dict[str, int]:
        """Every account's balance by account id (accounts never credited are absent)."""
        return await self._credits.balances()

    async def show(self, name: str, *, entries: int = 50) -> dict[str, Any]:
        account = await self._account(name)
        ledger = await self._credits.entries(account.id, limit=entries)
        return {
            **asdict(AccountView(account.name, account.id, account.disabled,
                                 await self._credits.balance(account.id))),
            "ledger": [{"task_id": e.task_id, "amount": e.amount, "reason": e.reason.value,
                        "note": e.note, "created_at": e.created_at} for e in ledger],
        }

    async def topup(self, name: str, amount: object, note: object = "") -> int:
        """Add credits (a negative amount takes them away); returns the new balance."""
        checked = check_topup(amount)
        if not isinstance(note, str) or len(note) > MAX_NOTE:
            raise InvalidRequest(f"note must be text of at most {MAX_NOTE} characters")
        account = await self._account(name)
        return await self._credits.topup(account.id, checked, note, now=self._clock.now())


class AdminToken:
    """The operator's admin token, held as a hash and compared in constant time."""

    def __init__(self, secret: str) -> None:
        self._digest = hashlib.sha256(secret.encode()).digest() if secret else b""

    @property
    def enabled(self) -> bool:
        return bool(self._digest)

    def check(self, header: str | None) -> None:
        scheme, _, given = (header or "").partition(" ")
        offered = hashlib.sha256(given.strip().encode()).digest()
        if not (self._digest and scheme.lower() == "bearer"
                and hmac.compare_digest(offered, self._digest)):
            raise Unauthorized("a valid admin token is required")
