"""Test mode's outcomes: read from a header or tags, stored as text and read back the same."""

from __future__ import annotations

import pytest

from songgate.domain.test_mode import (
    End,
    TestOutcome,
    parse_outcome,
    select_outcome,
    submit_refusal,
)
from songgate.errors import InvalidRequest, RateLimited, UpstreamFailed


@pytest.mark.parametrize("text", [
    "success", "failure", "failure=lyrics rejected, sorry", "stall", "stall=2.5",
    "submit=429:9", "submit=503", "success;slow=1.5;hook-twice;hook-late=30",
])
def test_the_stored_text_reads_back_the_same(text: str) -> None:
    outcome = parse_outcome(text)
    assert parse_outcome(outcome.to_text()) == outcome


def test_the_header_wins_over_tags_and_tags_work_alone() -> None:
    tags = "pop, songgate-test:failure=from tags, songgate-test:slow=2"
    by_tags = select_outcome(test_mode=True, header=None, tags=tags)
    assert by_tags == TestOutcome(end=End.FAILURE, reason="from tags", stage_seconds=2)
    assert select_outcome(test_mode=True, header="stall=1", tags=tags) == \
        TestOutcome(end=End.STALL, stall_seconds=1)
    assert select_outcome(test_mode=True, header=None) == TestOutcome()


def test_outside_test_mode_tags_are_style_and_the_header_is_refused() -> None:
    assert select_outcome(test_mode=False, header=None, tags="songgate-test:failure") is None
    with pytest.raises(InvalidRequest, match="test mode is off"):
        select_outcome(test_mode=False, header="failure", tags="")


@pytest.mark.parametrize("text", [
    "explode", "failure;stall", "slow=-1", "slow=nan", "slow=601", "submit=404",
    "submit=503:5", "submit=429:0", "hook-twice=3", "failure=" + "x" * 301,
])
def test_what_is_not_an_outcome_is_refused(text: str) -> None:
    with pytest.raises(InvalidRequest):
        parse_outcome(text)


def test_submit_refusals_are_the_statuses_asked_for() -> None:
    limited = submit_refusal(parse_outcome("submit=429:7"))
    assert isinstance(limited, RateLimited) and limited.retry_after == 7
    failed = submit_refusal(parse_outcome("submit=504"))
    assert isinstance(failed, UpstreamFailed) and failed.status == 504
    assert submit_refusal(parse_outcome("failure")) is None


def test_a_stall_may_bring_the_deadline_closer_never_later() -> None:
    assert parse_outcome("stall=5").deadline_seconds(1800) == 5
    assert parse_outcome("stall=5000").deadline_seconds(1800) == 1800
    assert parse_outcome("stall").deadline_seconds(1800) == 1800
