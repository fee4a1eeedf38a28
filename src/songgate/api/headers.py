"""Headers every answer carries, and one it never does.

``X-Content-Type-Options: nosniff`` makes browsers keep to the declared type
(an envelope stays JSON, a cover stays an image). No ``Server`` header names
the software behind the service; the server is told not to add one, and any
that a component sets is dropped here. The edge (:mod:`songgate.api.middleware`)
passes every answer's head through :func:`secured`.
"""

from __future__ import annotations

from collections.abc import Iterable

NOSNIFF = (b"x-content-type-options", b"nosniff")
_REMOVED = frozenset({b"server", b"x-powered-by", NOSNIFF[0]})


def secured(
    headers: Iterable[tuple[bytes, bytes]], *last: tuple[bytes, bytes]
) -> list[tuple[bytes, bytes]]:
    """``headers`` without those never sent, then ``nosniff``, then ``last``."""
    kept = [(name, value) for name, value in headers if name.lower() not in _REMOVED]
    kept.append(NOSNIFF)
    kept.extend(last)
    return kept
