"""Whole answers to repeated polls: kept for one database version, per account, bounded."""

from __future__ import annotations

from songgate.service.poll_answers import MAX_ANSWER_BYTES, PollAnswers


def test_an_answer_is_given_again_only_at_its_version_and_to_its_account() -> None:
    answers = PollAnswers()
    answers.keep(7, "alice", b'{"ids":["a"]}', b"answer")
    assert answers.get(7, "alice", b'{"ids":["a"]}') == b"answer"
    assert answers.get(7, "bob", b'{"ids":["a"]}') is None
    assert answers.get(7, "alice", b'{"ids": ["a"]}') is None  # another body
    assert answers.get(8, "alice", b'{"ids":["a"]}') is None
    answers.keep(8, "alice", b'{"ids":["b"]}', b"newer")
    assert len(answers) == 1  # the older version's answers are gone
    assert answers.get(7, "alice", b'{"ids":["a"]}') is None


def test_memory_is_bounded() -> None:
    answers = PollAnswers(max_answers=3, max_total_bytes=100)
    for k in range(5):
        answers.keep(1, "alice", b"%d" % k, b"x" * 10)
        assert len(answers) <= 3
    answers.keep(1, "alice", b"big", b"x" * 200)
    assert answers.get(1, "alice", b"big") is None
    roomy = PollAnswers()
    roomy.keep(1, "alice", b"huge", b"x" * (MAX_ANSWER_BYTES + 1))
    assert roomy.get(1, "alice", b"huge") is None  # built each time


def test_none_are_kept_when_the_operator_gives_them_no_memory() -> None:
    answers = PollAnswers(max_total_bytes=0)
    answers.keep(1, "alice", b"{}", b"answer")
    assert len(answers) == 0
    assert answers.get(1, "alice", b"{}") is None
