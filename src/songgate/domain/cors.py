"""Which browser pages may call the API (CORS), and the headers that tell them so.

Off unless the operator lists origins. Then a listed origin may call with
``GET``, ``HEAD`` and ``POST`` and send ``Authorization`` and ``Content-Type``,
never with credentials (cookies): songgate's tokens travel in a header the
page sets itself. Anything else gets no CORS headers, and the browser refuses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

ANY_ORIGIN = "*"
ALLOWED_METHODS = ("GET", "HEAD", "POST")
ALLOWED_HEADERS = ("authorization", "content-type")
EXPOSED_HEADERS = ("retry-after", "x-request-id")
PREFLIGHT_MAX_AGE_SECONDS = 600


@dataclass(frozen=True, slots=True)
class CorsPolicy:
    origins: frozenset[str]  # lower case; "*" allows every origin

    @classmethod
    def of(cls, origins: Iterable[str]) -> CorsPolicy:
        return cls(frozenset(origin.lower() for origin in origins))

    @property
    def enabled(self) -> bool:
        return bool(self.origins)

    def allows(self, origin: str) -> bool:
        return ANY_ORIGIN in self.origins or origin.lower() in self.origins

    def _allow_origin(self, origin: str) -> str:
        return ANY_ORIGIN if ANY_ORIGIN in self.origins else origin

    def response_headers(self, origin: str) -> dict[str, str]:
        """Headers for an answer to a page of ``origin``; none if it is not allowed."""
        if not self.allows(origin):
            return {}
        return {
            "access-control-allow-origin": self._allow_origin(origin),
            "access-control-expose-headers": ", ".join(EXPOSED_HEADERS),
        }

    def preflight_headers(
        self, origin: str, method: str, requested_headers: str
    ) -> dict[str, str] | None:
        """The answer's headers to a preflight, or None when it asks for more than allowed."""
        if not self.allows(origin) or method not in ALLOWED_METHODS:
            return None
        asked = {name.strip().lower() for name in requested_headers.split(",")} - {""}
        if not asked <= set(ALLOWED_HEADERS):
            return None
        return {
            "access-control-allow-origin": self._allow_origin(origin),
            "access-control-allow-methods": ", ".join(ALLOWED_METHODS),
            "access-control-allow-headers": ", ".join(ALLOWED_HEADERS),
            "access-control-max-age": str(PREFLIGHT_MAX_AGE_SECONDS),
        }
