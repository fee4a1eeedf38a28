"""Task ids that sort by submission time.

A task id is a UUID version 7: 48 bits of Unix milliseconds, then 74 random
bits. Clients see an ordinary UUID, but ids issued close together sit close
together in every index keyed by id, so new tasks are appended at the end of
the index instead of scattered across it, and a batch fetch of recent tasks
(what polling clients ask for) reads a few hot pages instead of one cold page
per id. 74 random bits keep ids unguessable; tasks are scoped to their account
in any case. Ids that name public media files (clips) stay fully random.
"""

from __future__ import annotations

import secrets
import uuid

RANDOM_BITS = 74
_MILLIS_MASK = (1 << 48) - 1
_LOW_RANDOM_BITS = 62
_LOW_MASK = (1 << _LOW_RANDOM_BITS) - 1
_VERSION = 7
_VARIANT = 0b10  # RFC 9562


def time_ordered_id(now: float, entropy: int | None = None) -> str:
    """A version-7 UUID for a task submitted at ``now`` (Unix seconds)."""
    millis = int(now * 1000) & _MILLIS_MASK
    random_part = secrets.randbits(RANDOM_BITS) if entropy is None else entropy
    if not 0 <= random_part < 1 << RANDOM_BITS:
        raise ValueError(f"entropy must fit in {RANDOM_BITS} bits")
    value = (
        millis << 80
        | _VERSION << 76
        | (random_part >> _LOW_RANDOM_BITS) << 64
        | _VARIANT << 62
        | random_part & _LOW_MASK
    )
    return str(uuid.UUID(int=value))

