"""Accounts and API tokens. Tokens are shown once and kept only as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from enum import StrEnum

from songgate.domain.clips import Owner
from songgate.errors import InvalidRequest

TOKEN_PREFIX = "sk-"
_TOKEN_PATTERN = re.compile(r"sk-[A-Za-z0-9_-]{20,128}")
_ACCOUNT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


@dataclass(frozen=True, slots=True)
class Account:
    id: str
    name: str
    handle: str
    display_name: str
    disabled: bool
    created_at: float
    test_mode: bool = False  # tasks choose their outcome and make placeholder songs

    @property
    def owner(self) -> Owner:
        return Owner(user_id=self.id, handle=self.handle, display_name=self.display_name)


class TokenState(StrEnum):
    ACTIVE = "active"
    REVOKED = "revoked"
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class TokenRecord:
    id: str
    account_id: str
    name: str
    hint: str  # the first characters, to tell tokens apart in listings
    created_at: float
    expires_at: float | None
    revoked_at: float | None

    def state(self, now: float) -> TokenState:
        if self.revoked_at is not None:
            return TokenState.REVOKED
        if self.expires_at is not None and self.expires_at <= now:
            return TokenState.EXPIRED
        return TokenState.ACTIVE


def new_token_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(36)


def token_hint(secret: str) -> str:
    return secret[:10]


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def looks_like_token(text: str) -> bool:
    return _TOKEN_PATTERN.fullmatch(text) is not None


def check_account_name(name: str) -> str:
    if not _ACCOUNT_NAME.fullmatch(name):
        raise InvalidRequest(
            "account names are 1-64 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    return name


def handle_for(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower()) or "user"
