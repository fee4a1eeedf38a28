"""Test mode: what a client developer asks a task to do, so their error handling is tried.

An account in test mode (an operator's switch, off by default) chooses each task's
outcome with the ``X-Songgate-Test-Outcome`` header, or with ``songgate-test:`` tags.
The outcome is one of

- ``success`` (the default): placeholder songs, made at once;
- ``failure`` or ``failure=<reason>``: the task fails with that reason;
- ``stall`` or ``stall=<seconds>``: the task never ends, and the stuck-task rescue fails
  it at its deadline (the server's, or ``seconds`` after submission when given);
- ``submit=<status>``: the submit itself is refused the way an upstream refuses, with
  429 (``submit=429`` or ``submit=429:<retry after>``) or a 5xx (500, 502, 503, 504);

and any of these changes how it gets there:

- ``slow=<seconds>``: each of the three stages (text, first clip, complete) waits this long;
- ``hook-twice``: the webhook notification of the task's end is delivered twice;
- ``hook-late=<seconds>``: that notification is sent this long after the end.

The header holds terms separated by ``;`` (a reason may hold commas); in tags each term is
a tag of its own (``pop, songgate-test:failure=quota exceeded``). The header wins over
tags. Nothing here is random: the same request always ends the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from songgate.errors import InvalidRequest, RateLimited, SonggateError, UpstreamFailed

HEADER = "X-Songgate-Test-Outcome"
TAG_PREFIX = "songgate-test:"
DEFAULT_REASON = "test mode: the failure this task asked for"
STAGES = ("text", "first", "complete")  # what a test task goes through, in order

MAX_REASON = 300
MAX_STAGE_SECONDS = 600.0
MAX_HOOK_DELAY = 3600.0
MAX_RETRY_AFTER = 3600
MAX_TEXT = 512
SUBMIT_STATUSES = (429, 500, 502, 503, 504)
DEFAULT_RETRY_AFTER = 5


class End(StrEnum):
    SUCCESS = "success"
    FAILURE = "failure"
    STALL = "stall"


@dataclass(frozen=True, slots=True)
class TestOutcome:
    """How one test task ends, and how it gets there."""

    __test__ = False  # not a pytest test class, whatever its name

    end: End = End.SUCCESS
    reason: str = ""  # FAILURE's reason
    stall_seconds: float | None = None  # STALL: the deadline this long after submission
    stage_seconds: float = 0.0
    submit_status: int = 0  # refuse the submit with this status (0: accept it)
    retry_after: int = DEFAULT_RETRY_AFTER  # with submit=429
    hook_twice: bool = False
    hook_late_seconds: float = 0.0

    @property
    def fail_reason(self) -> str:
        return self.reason or DEFAULT_REASON

    def deadline_seconds(self, server_timeout: float) -> float:
        """Seconds from submission to the task's deadline: a stall may bring it closer."""
        if self.end is End.STALL and self.stall_seconds is not None:
            return min(self.stall_seconds, server_timeout)
        return server_timeout

    def to_text(self) -> str:
        """The canonical header form; :func:`parse_outcome` reads it back to an equal value."""
        terms: list[str] = []
        if self.submit_status:
            terms.append(f"submit={self.submit_status}"
                         + (f":{self.retry_after}" if self.submit_status == 429 else ""))
        elif self.end is End.FAILURE:
            terms.append(f"failure={self.reason}" if self.reason else "failure")
        elif self.end is End.STALL:
            terms.append("stall" if self.stall_seconds is None
                         else f"stall={_number(self.stall_seconds)}")
        else:
            terms.append("success")
        if self.stage_seconds:
            terms.append(f"slow={_number(self.stage_seconds)}")
        if self.hook_twice:
            terms.append("hook-twice")
        if self.hook_late_seconds:
            terms.append(f"hook-late={_number(self.hook_late_seconds)}")
        return ";".join(terms)


def _number(value: float) -> str:
    return f"{value:g}"


def _seconds(term: str, value: str, most: float) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise InvalidRequest(f"{HEADER}: {term} takes seconds, not {value[:32]!r}") from None
    if not 0 <= seconds <= most:  # also refuses nan
        raise InvalidRequest(f"{HEADER}: {term} is {_number(seconds)} s; "
                             f"give 0 to {_number(most)}")
    return seconds


def _submit(value: str) -> tuple[int, int]:
    status_text, _, retry_text = value.partition(":")
    try:
        status = int(status_text)
        retry_after = int(retry_text) if retry_text else DEFAULT_RETRY_AFTER
    except ValueError:
        raise InvalidRequest(f"{HEADER}: submit takes a status such as 429 or 503") from None
    if status not in SUBMIT_STATUSES:
        raise InvalidRequest(f"{HEADER}: submit={status} is not one of "
                             + ", ".join(str(s) for s in SUBMIT_STATUSES))
    if retry_text and status != 429:
        raise InvalidRequest(f"{HEADER}: only submit=429 takes a retry after")
    if not 1 <= retry_after <= MAX_RETRY_AFTER:
        raise InvalidRequest(f"{HEADER}: submit=429's retry after is 1 to {MAX_RETRY_AFTER} s")
    return status, retry_after


def parse_terms(terms: list[str]) -> TestOutcome:
    """An outcome from its terms; every term that is not understood is refused by name."""
    end, reason, stall = End.SUCCESS, "", None
    ends = 0
    stage = late = 0.0
    twice = False
    status, retry_after = 0, DEFAULT_RETRY_AFTER
    for raw in terms:
        name, has_value, value = raw.strip().partition("=")
        name, value = name.strip().lower(), value.strip()
        if not name:
            continue
        if name in ("success", "failure", "stall", "submit"):
            ends += 1
        if name == "success" and not has_value:
            end = End.SUCCESS
        elif name == "failure":
            end, reason = End.FAILURE, value
            if len(reason) > MAX_REASON:
                raise InvalidRequest(f"{HEADER}: a failure's reason is at most "
                                     f"{MAX_REASON} characters")
        elif name == "stall":
            end = End.STALL
            stall = _seconds(name, value, 10 * 86400) if has_value else None
        elif name == "submit" and has_value:
            status, retry_after = _submit(value)
        elif name == "slow" and has_value:
            stage = _seconds(name, value, MAX_STAGE_SECONDS)
        elif name == "hook-late" and has_value:
            late = _seconds(name, value, MAX_HOOK_DELAY)
        elif name == "hook-twice" and not has_value:
            twice = True
        else:
            raise InvalidRequest(
                f"{HEADER}: {raw.strip()[:40]!r} is not an outcome; use success, "
                "failure[=reason], stall[=seconds], submit=<429|5xx>, slow=<seconds>, "
                "hook-twice or hook-late=<seconds>")
    if ends > 1:
        raise InvalidRequest(f"{HEADER}: give one of success, failure, stall and submit")
    return TestOutcome(end=end, reason=reason, stall_seconds=stall, stage_seconds=stage,
                       submit_status=status, retry_after=retry_after, hook_twice=twice,
                       hook_late_seconds=late)


def parse_outcome(text: str) -> TestOutcome:
    """The header's value (terms separated by ``;``)."""
    if len(text) > MAX_TEXT:
        raise InvalidRequest(f"{HEADER} is at most {MAX_TEXT} characters")
    return parse_terms(text.split(";"))


def tag_terms(tags: str) -> list[str]:
    """The ``songgate-test:`` terms among comma-separated style tags."""
    found: list[str] = []
    for tag in tags.split(","):
        tag = tag.strip()
        if tag.lower().startswith(TAG_PREFIX):
            found.append(tag[len(TAG_PREFIX):])
    return found


def select_outcome(*, test_mode: bool, header: str | None, tags: str = "") -> TestOutcome | None:
    """The outcome a submit asks for: None when the account is not in test mode.

    A header sent to an account not in test mode is refused, so a client never believes it
    is testing while real songs are made and charged; ``songgate-test:`` tags there are
    ordinary style text.
    """
    if not test_mode:
        if header is not None and header.strip():
            raise InvalidRequest(f"{HEADER}: test mode is off for this account; an operator "
                                 "turns it on with `songgate accounts test-mode NAME --on`")
        return None
    if header is not None and header.strip():
        return parse_outcome(header)
    return parse_terms(tag_terms(tags))


def stored_outcome(text: str) -> TestOutcome | None:
    """The outcome a stored task carries (its canonical text), or None for a real task."""
    return parse_outcome(text) if text else None


def submit_refusal(outcome: TestOutcome) -> SonggateError | None:
    """The error a ``submit=<status>`` outcome answers instead of accepting the task."""
    if outcome.submit_status == 429:
        return RateLimited("test mode: too many requests (submit=429 asked for)",
                           retry_after=outcome.retry_after)
    if outcome.submit_status:
        return UpstreamFailed(f"test mode: the upstream failed (submit={outcome.submit_status}"
                              " asked for)", status=outcome.submit_status)
    return None
