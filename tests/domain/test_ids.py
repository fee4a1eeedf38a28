"""Time-ordered task ids: valid version-7 UUIDs that sort by submission time."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from songgate.domain.ids import RANDOM_BITS, time_ordered_id

NOW = 1_790_000_000.123


def id_millis(task_id: str) -> int:
    """The Unix milliseconds a version-7 id carries (its top 48 bits)."""
    return uuid.UUID(task_id).int >> 80


def test_an_id_is_a_version_7_rfc_uuid_carrying_its_millisecond() -> None:
    parsed = uuid.UUID(time_ordered_id(NOW))
    assert parsed.version == 7
    assert parsed.variant == uuid.RFC_4122
    assert id_millis(str(parsed)) == 1_790_000_000_123


def test_ids_in_the_same_millisecond_differ() -> None:
    ids = {time_ordered_id(NOW) for _ in range(1000)}
    assert len(ids) == 1000


@given(
    st.floats(min_value=0, max_value=8_000_000_000),
    st.floats(min_value=0.001, max_value=1_000_000),
    st.integers(min_value=0, max_value=(1 << RANDOM_BITS) - 1),
    st.integers(min_value=0, max_value=(1 << RANDOM_BITS) - 1),
)
def test_a_later_millisecond_always_sorts_after_as_text(
    earlier: float, gap: float, first: int, second: int
) -> None:
    before, after = time_ordered_id(earlier, first), time_ordered_id(earlier + gap, second)
    if int(earlier * 1000) < int((earlier + gap) * 1000):
        assert before < after  # the text order is the index order on both backends


@given(st.integers(min_value=0, max_value=(1 << RANDOM_BITS) - 1))
def test_every_random_bit_survives(entropy: int) -> None:
    value = uuid.UUID(time_ordered_id(NOW, entropy)).int
    assert (value >> 64) & 0xFFF == entropy >> 62
    assert value & ((1 << 62) - 1) == entropy & ((1 << 62) - 1)


@pytest.mark.parametrize("entropy", [-1, 1 << RANDOM_BITS])
def test_entropy_out_of_range_is_refused(entropy: int) -> None:
    with pytest.raises(ValueError, match="74 bits"):
        time_ordered_id(NOW, entropy)
