"""Listing an account's tasks, newest first, one page at a time."""

from __future__ import annotations

from collections.abc import Iterable

from songgate.domain.accounts import Account
from songgate.domain.listing import page_envelope, parse_list_query
from songgate.store.listing import ListingStore


class TaskListing:
    def __init__(self, store: ListingStore) -> None:
        self._store = store

    async def page(self, account: Account, params: Iterable[tuple[str, str]]) -> bytes:
        """The whole success envelope of one page, spliced from stored TaskDtos.

        Only the caller's account is ever read: the account comes from the
        token, never from the parameters.
        """
        query = parse_list_query(params)
        return page_envelope(await self._store.page(account.id, query), query.limit)
