"""Webhooks as operators see them: an account's signing secret and a task's delivery log.

The CLI (``songgate accounts webhook-secret``, ``songgate webhooks``) and the admin API
call this; deliveries themselves are made by :mod:`songgate.worker.hooks`.
"""

from __future__ import annotations

from songgate.clock import Clock
from songgate.service.accounts import AccountService
from songgate.store.hooks import DeliveryLog, HookStore


class WebhookAdmin:
    def __init__(self, store: HookStore, accounts: AccountService, clock: Clock) -> None:
        self._store = store
        self._accounts = accounts
        self._clock = clock

    async def signing_secret(self, account_name: str, *, rotate: bool = False) -> str:
        """The secret the account's deliveries are signed with, made on first use;
        ``rotate`` replaces it. :class:`~songgate.errors.AccountNotFound` if no such account."""
        account = await self._accounts.require(account_name)
        return await self._store.secret(account.id, now=self._clock.now(), rotate=rotate)

    async def deliveries(self, task_id: str) -> list[DeliveryLog]:
        """Every notification of a task, oldest first, with each attempt."""
        return await self._store.log(task_id)
