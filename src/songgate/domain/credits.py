"""Credits: what each action and model costs, and the ledger every change of a balance is.

Prices come from configuration (``MUSIC=10,LYRICS=1,MUSIC/chirp-auk=15``); with no
prices, charging is off. A balance is the sum of its account's ledger entries; the
store keeps it beside the ledger only so a submit can check it in one statement.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from songgate.domain.status import Action, action_key, parse_action_key
from songgate.errors import ConfigError, InvalidRequest

MAX_AMOUNT = 1_000_000_000


class Reason(StrEnum):
    CHARGE = "charge"  # a submit, negative; at most one per task
    REFUND = "refund"  # a task that failed, positive; at most one per task
    TOPUP = "topup"  # an operator's grant (or a correction, when negative)


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    id: str
    account_id: str
    task_id: str | None
    amount: int
    reason: Reason
    note: str
    created_at: float


# What can be asked of a finished clip, each with a price key ``ACT/<name>`` ("persona":
# a persona created from it).
CLIP_ACTIONS = ("timing", "wav", "mp4", "midi", "persona")
ACT_PREFIX = "ACT/"


def _price_key(key: str) -> str:
    """``ACT/timing`` (any case) or an action key such as ``MUSIC/chirp-auk``."""
    if key.upper().startswith(ACT_PREFIX):
        name = key[len(ACT_PREFIX):].lower()
        if name not in CLIP_ACTIONS:
            raise ValueError(f"price {key!r}: a clip action is one of "
                             f"{', '.join(ACT_PREFIX + n for n in CLIP_ACTIONS)}")
        return ACT_PREFIX + name
    return parse_action_key(key, "price")


class Prices:
    """Credits per task by ``MUSIC``, ``LYRICS`` or ``MUSIC/<mv>`` (the most specific wins),
    and per answer of a clip action by ``ACT/timing``, ``ACT/wav``, ``ACT/mp4``, ``ACT/midi``
    and ``ACT/persona``."""

    def __init__(self, table: Mapping[str, str]) -> None:
        self._table: dict[str, int] = {}
        for key, text in table.items():
            try:
                canonical = _price_key(key)
            except ValueError as error:
                raise ConfigError(str(error)) from None
            try:
                amount = int(text)
            except ValueError:
                raise ConfigError(f"price {key!r}: {text!r} is not a whole number") from None
            if not 0 <= amount <= MAX_AMOUNT:
                raise ConfigError(f"price {key!r}: must be 0..{MAX_AMOUNT}")
            self._table[canonical] = amount

    def price(self, action: Action, mv: str = "") -> int:
        return self._table.get(action_key(action, mv), self._table.get(action_key(action), 0))

    def act_price(self, name: str) -> int:
        """Credits for one answer of the clip action ``name`` (0 when none is set)."""
        return self._table.get(ACT_PREFIX + name, 0)


def check_topup(amount: object) -> int:
    """A topup amount, or :class:`InvalidRequest` saying what it must be."""
    if not isinstance(amount, int) or isinstance(amount, bool) or amount == 0 \
            or abs(amount) > MAX_AMOUNT:
        raise InvalidRequest(f"amount must be a whole number other than 0, "
                             f"at most {MAX_AMOUNT} either way")
    return amount
