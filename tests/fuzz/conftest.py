"""A real ``songgate serve`` on loopback, seeded with tasks, and its OpenAPI document as
schemathesis loads it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import strategies as st
from schemathesis import HookContext
from schemathesis.schemas import BaseSchema

from tests.fuzz.seeds import seed_tasks
from tests.fuzz.target import ADMIN_TOKEN, FuzzTarget, fuzz_config
from tests.support.server import free_port, start


@pytest.fixture(scope="module")
def fuzz_target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FuzzTarget]:
    process = start(
        "serve", tmp_path_factory.mktemp("fuzz"), port=free_port(),
        SONGGATE_ADMIN_TOKEN=ADMIN_TOKEN,
        SONGGATE_WORKER_CONCURRENCY="2",
        SONGGATE_SHUTDOWN_GRACE_SECONDS="0",
        # the fuzzer offers bad tokens on purpose; it must not lock the good one out
        SONGGATE_BAD_TOKEN_MAX_FAILURES="0",
    )
    try:
        yield FuzzTarget(process, seed_tasks(process))
    finally:
        process.stop()


@pytest.fixture
def api_schema(fuzz_target: FuzzTarget) -> BaseSchema:
    schema = schemathesis.openapi.from_url(fuzz_target.url + "/openapi.json",
                                           config=fuzz_config())
    seeded = fuzz_target.seeded

    def flatmap_path_parameters(
        context: HookContext, path_parameters: dict[str, Any]
    ) -> st.SearchStrategy[dict[str, Any]]:
        """Now and then a name that exists: a real file for ranges, a real task to read."""
        operation = context.operation
        known = {"/media/{name}": ("name", seeded.media_names),
                 "/suno/fetch/{task_id}": ("task_id", seeded.task_ids)}
        if operation is None or operation.path not in known:
            return st.just(path_parameters)
        name, values = known[operation.path]
        real = st.sampled_from(values).map(lambda value: {**path_parameters, name: value})
        return st.just(path_parameters) | real

    schema.hook(flatmap_path_parameters)
    return schema


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request: pytest.FixtureRequest) -> None:
    """schemathesis 4 names each operation's run through ``node._nodeid``, gone in pytest 9."""
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid
