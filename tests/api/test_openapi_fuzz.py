"""A property-based run of the OpenAPI spec: schemathesis generates requests for every operation, valid and
invalid, sent as each role and anonymously to an app on a loaded database. None may end in a server error; every
response must have a documented status and content type and match the schema documented for it; a request the
schema calls valid must not be refused as malformed (400, 422: statuses that depend on what is stored, such as 401,
403, 404 and 409, are allowed), and one it calls invalid must be refused with a 4xx. The spec thus says exactly what
the API takes: the few rules no schema can state are listed in UNSAYABLE.

Each operation is fuzzed twice: with every input generated (ids that mostly name nothing), and with its path ids
fixed to rows that exist (the sample job, the keyed candidate, a partner firm, a referral, a key) so generated
queries and bodies reach the code behind the lookups. Each caller gets a freshly loaded database and fresh keys.
"""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from jsonschema import Draft202012Validator
from schemathesis import APIOperation, BaseSchema, Case, CheckContext, GenerationMode, Response
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.core.parameters import ParameterLocation
from schemathesis.core.result import Err
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import select

from api.app import create_app
from matcher.partners import referrals
from matcher.people.accounts import Role, authenticate
from matcher.platform import Platform
from matcher.store import queries
from matcher.store.models import Job, Organization
from tests.api.conftest import PARTNER_A, Keys, bearer
from tests.conftest import platform_like

ANONYMOUS = "anonymous"
CALLERS = (ANONYMOUS, *(role.value for role in Role))
# Per operation, caller, pass and generation mode: small enough for the file to run in about a minute per database.
MAX_EXAMPLES = 5
# Last in each caller's run: they erase the candidate, or may revoke a key the run still needs.
DESTRUCTIVE = frozenset({("DELETE", "/me"), ("DELETE", "/accounts/keys/{prefix}")})


@pytest.fixture
def api_schema(loaded: Platform) -> Iterator[BaseSchema]:
    """The app's own schema, read through the app (lifespan started), with no rate limit in the way."""
    app = create_app(platform=platform_like(loaded, loaded.settings.model_copy(update={"api_rate_limit": 1_000_000})))
    try:
        yield schemathesis.openapi.from_asgi("/openapi.json", app)
    finally:
        asgi.shutdown_lifespans()  # closes the app's platform: its engine and indexes


@pytest.fixture
def known_ids(loaded: Platform, keys: Keys) -> dict[str, Any]:
    """Path parameters naming rows that exist, plus a referral (partner A refers the keyed candidate)."""
    with loaded.session() as session:
        job = queries.get_by_ref(Job, session=session, source="test", external_id="j-gnss")
        partner = authenticate(session, keys.partner)
        organization_id = session.scalar(select(Organization.id).where(Organization.name == PARTNER_A))
        assert job is not None and partner is not None
        days = loaded.settings.attribution_days
        referral = referrals.refer(session, partner, keys.candidate_id, job.id, note="fuzz", window_days=days)
        session.flush()
        return {
            "job_id": job.id,
            "candidate_id": keys.candidate_id,
            "organization_id": organization_id,
            "referral_id": referral.id,
            "prefix": keys.partner_colleague[:12],  # a key no caller of the run uses
        }


# Rules no schema can state, by operation: a 422 whose message has the given words is not a gap in the spec.
UNSAYABLE = {
    ("POST", "/candidates"): "is in the future",  # consent.obtained_at: not after now, which moves
    ("POST", "/me/resume"): "",  # the file must be a readable PDF or Word file: bytes no schema describes
    ("POST", "/jobs"): "is above salary_max",  # salary_min <= salary_max: JSON Schema compares no two fields
    ("PATCH", "/jobs/{job_id}"): "is above salary_max",
    ("POST", "/office/people/links"): "are the same record",  # first != second: two fields again
}


def accepts_valid_data(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """positive_data_acceptance, but for a 422 that names one of the UNSAYABLE rules."""
    words = UNSAYABLE.get((case.method.upper(), case.operation.path))
    if words is not None and response.status_code == 422 and words in response.text:
        return None
    return positive_data_acceptance(ctx, response, case)


def _valid_body(case: Case) -> bool:
    """The request body fits the operation's schema (the spec's own components resolve its $refs)."""
    spec = case.operation.schema.raw_schema
    body = spec["paths"][case.operation.path][case.method.lower()].get("requestBody", {})
    schema = body.get("content", {}).get("application/json", {}).get("schema")
    if schema is None or not isinstance(case.body, dict):
        return False
    validator = Draft202012Validator({**schema, "components": spec.get("components", {})})
    return validator.is_valid(case.body)


def rejects_invalid_data(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """negative_data_rejection, but not for a body its mutation left valid: negated against one branch of a
    `oneOf` (an account's role), a body can still fit another, and then accepting it is right."""
    meta = case.meta
    only_body = meta is not None and {
        location for location, info in meta.components.items() if info.mode.is_negative
    } == {ParameterLocation.BODY}
    if only_body and _valid_body(case):
        return None
    return negative_data_rejection(ctx, response, case)


CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
    accepts_valid_data,
    rejects_invalid_data,
]


def _operations(schema: BaseSchema) -> list[APIOperation]:
    """Every operation, the destructive ones last; an operation schemathesis cannot read fails the test."""
    operations = []
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            raise result.err()
        operations.append(result.ok())
    return sorted(operations, key=lambda op: ((op.method.upper(), op.path) in DESTRUCTIVE, op.method, op.path))


def _passes(operation: APIOperation, known: dict[str, Any]) -> list[tuple[dict[str, Any] | None, GenerationMode]]:
    """(fixed path parameters, mode) to run: invalid requests only where some input is left to make invalid."""
    names = [parameter.name for parameter in operation.path_parameters]
    other_inputs = bool(operation.body) or any(True for _ in operation.query)
    runs: list[tuple[dict[str, Any] | None, GenerationMode]] = [(None, GenerationMode.POSITIVE)]
    if names or other_inputs:
        runs.append((None, GenerationMode.NEGATIVE))
    if names and all(name in known for name in names):
        fixed = {name: known[name] for name in names}
        runs.append((fixed, GenerationMode.POSITIVE))
        if other_inputs:
            runs.append((fixed, GenerationMode.NEGATIVE))
    return runs


def _fuzz(operation: APIOperation, mode: GenerationMode, path: dict[str, Any] | None, headers: dict[str, str]) -> None:
    """Send generated requests for one operation; raise on the first (shrunk) request that fails one of CHECKS."""

    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path))
    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=(Phase.explicit, Phase.generate, Phase.shrink),
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Case) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()


@pytest.mark.parametrize("caller", CALLERS)
def test_every_generated_request_is_answered_as_the_spec_says(
    api_schema: BaseSchema, keys: Keys, known_ids: dict[str, Any], caller: str
) -> None:
    headers = {} if caller == ANONYMOUS else bearer(keys.of(Role(caller)))
    failures: list[str] = []
    for operation in _operations(api_schema):
        for path, mode in _passes(operation, known_ids):
            try:
                _fuzz(operation, mode, path, headers)
            except (Exception, FailureGroup) as exc:  # a FailureGroup is a BaseExceptionGroup
                ids = "known ids" if path else "generated ids"
                failures.append(f"{operation.label} ({mode.value}, {ids}) as {caller}:\n{exc}")
    assert not failures, "\n\n".join(failures)
