"""Contract test: schemathesis generates requests from the served OpenAPI schema and checks the answers.

Every operation is called with valid and invalid input (token of the project office, so every write is
reachable); no answer may be a server error, and every answer must be one the schema declares, with the
declared content type and body. Few examples per operation and a fixed seed keep it quick and repeatable.

The schema is loaded when the module is imported (the schema endpoint is public and reads no data);
``schemathesis.pytest.from_fixture`` would be the lazy alternative, but schemathesis 4.32 reads a node
attribute pytest 9 no longer has.
"""

import datetime as dt
import os

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from baqylau.indicators.models import Indicator
from baqylau.instructions.models import Event, Instruction
from baqylau.plans.models import Facility, Measure, Plan
from baqylau.reference.models import Agency, FacilityKind, Sphere, Territory
from baqylau.reports.models import Report

# A fixed seed by default, so a failure reproduces; set the variables for a deeper or different search.
SEED = int(os.environ.get("BAQYLAU_CONTRACT_SEED", "20240614"))
MAX_EXAMPLES = int(os.environ.get("BAQYLAU_CONTRACT_EXAMPLES", "6"))
CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": SEED,
        # Unknown query parameters are ignored, as DRF does (``?format=json`` and cache-busters must pass);
        # unknown body keys are refused, which test_writes.py checks.
        "generation": {
            "mode": "all",
            "max-examples": MAX_EXAMPLES,
            "database": "none",
            "allow-extra-parameters": False,
        },
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    }
)

application = WSGIHandler()
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application, config=CONFIG)


@pytest.fixture
def live_transaction(db):
    """Requests through the real WSGI application, inside the test's transaction.

    Django closes "old" connections around each request; inside a test's transaction that would close
    the test's own connection, so (as Django's test client does) those hooks are off while testing.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


MODELS = {
    "plans": Plan,
    "measures": Measure,
    "facilities": Facility,
    "indicators": Indicator,
    "events": Event,
    "instructions": Instruction,
    "reports": Report,
    "spheres": Sphere,
    "territories": Territory,
    "agencies": Agency,
    "facility-kinds": FacilityKind,
}


def aim_at_real_items(case):
    """Random ids rarely exist: point a generated whole-number id at a real item (by remainder), and a
    generated ``version`` at its current version, so that writes also succeed, not only fail."""
    resource = case.path.split("/")[3]
    ident = str((case.path_parameters or {}).get("id", ""))
    if not ident.lstrip("-").isdigit():
        return
    model = MODELS[resource]
    ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
    case.path_parameters["id"] = ids[abs(int(ident)) % len(ids)]
    body = case.body
    if isinstance(body, dict) and type(body.get("version")) is int and 1 <= body["version"] < 2**31:
        body["version"] = model.objects.get(pk=case.path_parameters["id"]).version


@pytest.fixture
def reports_in_review(users):
    """A draft and a submitted report, so that submitting, accepting and returning can also succeed."""
    from baqylau.reports.models import Report

    common = {"period_end": dt.date(2025, 12, 31), "narrative": "Contract test"}
    Report.objects.create(
        measure=Measure.objects.get(code="H-00"), agency=users["energy"].profile.agency, **common
    )
    Report.objects.create(
        measure=Measure.objects.get(code="W-01"),
        agency=users["akimat"].profile.agency,
        state=Report.State.SUBMITTED,
        submitted_on=dt.date(2026, 1, 5),
        progress=40,
        **common,
    )


@schema.parametrize()
@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_api_conforms_to_its_schema(case, live_transaction, tokens, reports_in_review):
    aim_at_real_items(case)
    case.call_and_validate(
        headers={"Authorization": f"Token {tokens['office']}"},
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
            negative_data_rejection,
        ],
    )
