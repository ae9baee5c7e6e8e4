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
import zlib

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
    positive_data_acceptance,
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


# Query parameters that name a record by code. A schema-conforming but unknown code is a 400 (the API says
# which), which the schema cannot promise against: positive cases get a real code instead, so that they
# test what the schema can state (types, bounds, formats), not which codes happen to exist.
CODE_PARAMETERS = {
    "plan": Plan,
    "sphere": Sphere,
    "territory": Territory,
    "agency": Agency,
    "executor": Agency,
    "responsible": Agency,
    "event": Event,
}


def aim_codes_at_real_records(case):
    if not (case.meta and case.meta.generation.mode.is_positive) or not case.query:
        return
    resource = case.path.split("/")[3]
    for name, value in list(case.query.items()):
        model = FacilityKind if (resource, name) == ("facilities", "kind") else CODE_PARAMETERS.get(name)
        if model is None or not isinstance(value, str) or not value:
            continue
        codes = list(model.objects.order_by("pk").values_list("code", flat=True))
        case.query[name] = codes[zlib.crc32(value.encode("utf-8", "surrogatepass")) % len(codes)]


def _pick(values, seed):
    values = list(values)
    return values[zlib.crc32(repr(seed).encode("utf-8", "surrogatepass")) % len(values)] if values else None


def aim_bodies_at_consistent_data(case):
    """Rules that depend on the stored data, which no schema can state: a report's item must exist and its
    indicator values be the measure's, a period ends after it starts, a new deadline is after the issue
    and not the current one, a measure is due after its start. Positive cases are kept consistent with the
    data on those points, so the check finds what the schema does not say, not what the database holds."""
    body = case.body
    if not (case.meta and case.meta.generation.mode.is_positive) or not isinstance(body, dict):
        return
    parts = case.path.split("/")
    resource, action = parts[3], parts[5] if len(parts) > 5 else ""
    obj = None
    if "id" in (case.path_parameters or {}):
        obj = MODELS[resource].objects.filter(pk=case.path_parameters["id"]).first()
    for start, end in (("period_start", "period_end"), ("start", "due")):
        first = body.get(start) or (getattr(obj, start, None) and str(getattr(obj, start)))
        last = body.get(end) or (getattr(obj, end, None) and str(getattr(obj, end)))
        if first and last and str(last) < str(first):
            if start in body:
                body[start] = str(last)
            else:
                body[end] = str(first)
    if resource == "reports" and case.method == "POST" and not action:
        kind = "measure" if body.get("measure") is not None else "instruction"
        model = Measure if kind == "measure" else Instruction
        body[kind] = _pick(model.objects.order_by("pk").values_list("pk", flat=True), body[kind])
    if resource == "reports" and "indicator_values" in body:
        measure_id = body.get("measure") or getattr(obj, "measure_id", None)
        codes = list(Indicator.objects.filter(measure_id=measure_id).values_list("code", flat=True))
        values = [v for v in body["indicator_values"] if isinstance(v, dict)]
        body["indicator_values"] = [{**v, "indicator": code} for v, code in zip(values, codes, strict=False)]
    if resource == "reports" and action == "attachments":  # a file is what its content says: a real PDF
        body["file"] = b"%PDF-1.4 contract test"
    if resource == "reports" and case.method == "PATCH" and obj is not None:
        body.pop("executed" if obj.measure_id else "progress", None)
    if resource == "instructions" and action == "deadline" and obj is not None and "new_due" in body:
        new_due = dt.date.fromisoformat(body["new_due"])
        if new_due <= obj.issued_on or new_due == obj.due:
            body["new_due"] = str(
                max(obj.issued_on, obj.due) + dt.timedelta(days=1 + new_due.toordinal() % 300)
            )


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
    aim_codes_at_real_records(case)
    aim_bodies_at_consistent_data(case)
    case.call_and_validate(
        headers={"Authorization": f"Token {tokens['office']}"},
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
            negative_data_rejection,
            positive_data_acceptance,
        ],
    )
