"""The server the fuzzer runs against, and how schemathesis is set up to run the same
every time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import schemathesis
from schemathesis.schemas import APIOperation

from tests.fuzz.seeds import Seeded
from tests.support.server import Process

ADMIN_TOKEN = "fuzz-admin-token"
SEED = 20260912
FUZZ_EXAMPLES = 100  # per operation and run, besides the examples and coverage phases


@dataclass
class FuzzTarget:
    server: Process
    seeded: Seeded

    @property
    def url(self) -> str:
        return self.server.url

    def credentials(self, operation: APIOperation) -> dict[str, str]:
        """The header a legitimate caller sends: the admin token on admin operations."""
        schemes = {name for entry in security(operation) for name in entry}
        if "adminToken" in schemes:
            return {"Authorization": f"Bearer {ADMIN_TOKEN}"}
        if "token" in schemes:
            return {"Authorization": f"Bearer {self.server.token}"}
        return {}


def security(operation: APIOperation) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = operation.definition.raw.get("security", [])
    return found


def fuzz_config() -> schemathesis.Config:
    return schemathesis.Config.from_dict({
        "seed": SEED,
        "generation": {
            "max-examples": FUZZ_EXAMPLES,
            "deterministic": True,
            # the tests choose the Authorization header themselves
            "with-security-parameters": False,
        },
        "checks": {
            # a body the schema allows may still be refused for what no schema can say:
            # a clip that is not the caller's, a hook URL on a private network
            "positive_data_acceptance": {"enabled": False},
            # sunoapi.org's dialect refuses a text longer than its bound with 413
            "negative_data_rejection": {"expected-statuses": [
                "400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428",
                "429", "5xx"]},
        },
    })
