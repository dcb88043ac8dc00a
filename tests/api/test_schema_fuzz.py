"""schemathesis over the OpenAPI schema, signed in with a real token of a role each
operation allows (else every case would stop at 403): whatever a client sends, within
or far outside the declared bounds, no answer is a server error and every JSON answer
matches its declared model. Bounded examples so it runs in the suite."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from dbexport import ROWS
from dbexport import write as write_export
from hypothesis import HealthCheck, given, settings
from linkresults import documents, first_run
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance
from signin import Staff

from api.app import create_app
from api.settings import Settings
from casework import reconcile
from casework.identities import link_write
from storage.index.accounts import Role

# Operations that would end the token in use, or run the whole linking model per case
# (both are exercised by tests/api/test_access.py and test_person_routes.py).
SKIPPED = {("DELETE", "/api/session"), ("POST", "/api/persons/link")}
EXAMPLES = 15  # per operation and mode: bounded, so the suite stays minutes, not hours


def operations() -> list[Any]:
    """Every operation of the schema (read without opening any index), in each mode that
    can make a case for it: an operation with no input has no wrong input."""
    spec = create_app(Settings(data_dir=Path("/nonexistent/casescan-schema-only"))).openapi()
    found = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if (method.upper(), path) in SKIPPED:
                continue
            takes_input = bool(operation.get("parameters") or operation.get("requestBody"))
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)[:1 + takes_input]:
                found.append(pytest.param(method.upper(), path, mode,
                                          id=f"{method.upper()} {path} {mode.value}"))
    return found


def role_for(method: str, path: str) -> Role:
    """A role the operation allows: every operation gets past the door."""
    if path.startswith(("/api/users", "/api/audit")):
        return Role.ADMIN
    if path.startswith("/api/reports"):
        return Role.ANALYST
    if (method, path) in {("POST", "/api/documents"), ("POST", "/api/batches")}:
        return Role.SCANNER
    return Role.REVIEWER


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Staff]:
    """The real app on an index holding linked documents and reconciliation findings, its
    schema, its staff."""
    app = create_app(Settings(data_dir=tmp_path_factory.mktemp("fuzz"), workers=1,
                              max_file_bytes=100_000))
    index = app.state.services.context().index
    index.add_documents(documents())
    index.write_links(link_write(first_run()))
    ctx = app.state.services.context()
    reconcile.import_export(ctx, *write_export(tmp_path_factory.mktemp("export"), ROWS))
    reconcile.run(ctx)  # findings 1.. to be read and resolved
    staff = Staff(app)
    for role in Role:  # signed in before /token is fuzzed into throttling this address
        staff.as_role(role)
    return schemathesis.openapi.from_asgi("/openapi.json", app), staff


@pytest.mark.parametrize(("method", "path", "mode"), operations())
def test_no_input_makes_a_server_error(fuzzed: tuple[Any, Staff], method: str, path: str,
                                       mode: GenerationMode) -> None:
    """Positive cases keep to the schema; negative ones break it (huge integers, zero and
    negative limits, short ids, overlong text): each is a 4xx, never a 5xx."""
    schema, staff = fuzzed
    token = staff.as_role(role_for(method, path)).headers["Authorization"]

    @given(case=schema[path][method].as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case: Any) -> None:
        case.call_and_validate(headers={"Authorization": token},
                               checks=[not_a_server_error, response_schema_conformance])

    run()
