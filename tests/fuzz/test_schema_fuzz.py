"""schemathesis against songgate's own OpenAPI document, on a real server.

Every operation, with a valid token and without one: no 5xx, and every answer
(status, content type, headers, body) is one the document describes. Bodies the
document forbids must be refused. The inputs are seeded, so a CI run repeats.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import Case
from schemathesis.schemas import BaseSchema

from tests.fuzz.target import FuzzTarget, security

schema = schemathesis.pytest.from_fixture("api_schema")
RUN = settings(deadline=None, derandomize=True, database=None,
               suppress_health_check=list(HealthCheck))


@schema.parametrize()
@RUN
def test_every_operation_with_a_valid_token(case: Case, fuzz_target: FuzzTarget) -> None:
    response = case.call_and_validate(headers=fuzz_target.credentials(case.operation))
    if probes_the_operation(case):
        assert response.status_code != 401, response.text


@schema.parametrize()
@RUN
def test_every_operation_without_a_token(case: Case) -> None:
    if case.headers:
        case.headers.pop("Authorization", None)
    response = case.call_and_validate()
    if probes_the_operation(case) and not refused_for_size(response.status_code, response.text):
        assert (response.status_code == 401) == bool(security(case.operation)), response.text


def refused_for_size(status: int, text: str) -> bool:
    """The edge's bounds answer a declared body over the limit before any token is read."""
    return status == 413 and '"request_too_large"' in text


def probes_the_operation(case: Case) -> bool:
    """Not one of the cases that try another method on the path (they get 405)."""
    return case.method.upper() == case.operation.method.upper()


def test_sequences_of_operations_with_a_valid_token(
    api_schema: BaseSchema, fuzz_target: FuzzTarget
) -> None:
    """Submit, then fetch what was made (the document's links), and so on."""

    class Workflow(api_schema.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: Case) -> dict[str, object]:
            return {"headers": fuzz_target.credentials(case.operation)}

    Workflow.run(settings=settings(RUN, max_examples=50, stateful_step_count=6))
