"""No input makes the server fail: schemathesis generates requests for every operation of /openapi.json — valid
ones and deliberately wrong ones (huge integers, dates out of range, wrong types, odd strings) — as the admin and
as a unit-limited account, and not one may be answered with a 5xx. Bounded and derandomised, so the run is the
same each time and takes about a minute."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation import GenerationMode

from tests.factories import Town
from tests.helpers import login

# Per operation, account and mode; JIEXIANG_FUZZ_EXAMPLES=200 JIEXIANG_FUZZ_RANDOM=1 for a long exploration.
EXAMPLES = int(os.environ.get("JIEXIANG_FUZZ_EXAMPLES", "12"))
SKIPPED = {("GET", "/api/live/stream")}  # an endless event stream: nothing to fuzz in one token parameter


@pytest.fixture
def fuzzed(app: FastAPI, cases: tuple[Town, dict[str, int]]) -> Iterator[tuple[schemathesis.BaseSchema, TestClient]]:
    with TestClient(app) as client:
        yield schemathesis.openapi.from_asgi("/openapi.json", app), client


@pytest.mark.parametrize("username", ["admin", "water_handler"])
def test_no_request_is_answered_with_a_server_error(
    fuzzed: tuple[schemathesis.BaseSchema, TestClient], username: str
) -> None:
    schema, client = fuzzed
    headers = login(client, username)
    failures: dict[str, str] = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 60  # the whole API, not a corner of it
    for operation in operations:
        if (operation.method.upper(), operation.path) not in SKIPPED:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                fuzz(operation, mode, headers=headers, failures=failures)
    assert not failures, "\n".join(f"{where}: {what}" for where, what in failures.items())


def fuzz(
    operation: schemathesis.APIOperation, mode: GenerationMode, *, headers: dict[str, str], failures: dict[str, str]
) -> None:
    """Send `operation` the requests generated in `mode`; note the first server failure of each operation."""
    where = f"{operation.method.upper()} {operation.path}"
    # Open311 clients parse errors as the specification says: a list of {code, description}, also in JSON.
    open311_json = operation.path.startswith("/open311/") and operation.path.endswith(".{fmt}")

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=not os.environ.get("JIEXIANG_FUZZ_RANDOM"),
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def call(case: schemathesis.Case) -> None:
        try:
            response = case.call(headers=headers)
        except Exception as error:  # the test client re-raises what the server did not handle
            failures.setdefault(where, f"{error!r} ← {case.as_curl_command()}"[:600])
            return
        if response.status_code >= 500:
            failures.setdefault(where, f"{response.status_code} {response.text[:200]} ← {case.as_curl_command()}"[:600])
        elif open311_json and response.status_code >= 400 and not _is_list(response):
            failures.setdefault(where, f"not an Open311 error list: {response.text[:200]} ← {case.as_curl_command()}")

    with contextlib.suppress(Unsatisfiable):  # nothing can be made wrong in an operation without parameters
        call()


def _is_list(response: schemathesis.Response) -> bool:
    """An Open311 error body: a list in JSON (an XML one is <errors>, checked elsewhere)."""
    try:
        return isinstance(response.json(), list)
    except ValueError:
        return response.text.lstrip().startswith("<?xml")
