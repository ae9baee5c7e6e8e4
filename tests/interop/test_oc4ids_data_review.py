"""The OC4IDS export passes the standard's own data review: libcoveoc4ids, the library behind the OC4IDS
Data Review Tool, run offline.

libcove fetches the schema and the codelists by URL. The test serves the bundled files
(``interop/standards/oc4ids-0.9.5/``) from a server on 127.0.0.1 and points the library's schema and
codelist URLs at it; any connection to another address fails the test, so the review never reaches for
the network.
"""

import datetime as dt
import functools
import http.server
import json
import os
import socket
import threading
from pathlib import Path

import pytest
from libcoveoc4ids.api import oc4ids_json_output
from libcoveoc4ids.config import LibCoveOC4IDSConfig

from baqylau.interop.oc4ids import export_package
from baqylau.plans.models import Facility, Measure
from baqylau.reports.models import Report

BUNDLED = Path(__file__).resolve().parents[2] / "src/baqylau/interop/standards/oc4ids-0.9.5"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def offline(monkeypatch):
    """No connection leaves the machine while the review runs."""
    connect = socket.socket.connect

    def loopback_only(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if host not in LOOPBACK:
            raise AssertionError(f"the data review tried to reach {address}")
        return connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", loopback_only)


@pytest.fixture
def bundled_standard(offline):
    """The bundled schema and codelists over HTTP on 127.0.0.1 (BAQYLAU_TEST_PORT, else a free port)."""
    handler = functools.partial(_Quiet, directory=str(BUNDLED))
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", int(os.environ.get("BAQYLAU_TEST_PORT", 0))), handler
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def review(package: dict, base: str, tmp_path) -> dict:
    config = LibCoveOC4IDSConfig(
        {
            "schema_host": base,
            "schema_version_choices": {"0.9.5": ("0.9.5", base)},
            "schema_codelists": {"0.9": base + "codelists/"},
        }
    )
    path = tmp_path / "package.json"
    path.write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
    return oc4ids_json_output(str(tmp_path), str(path), lib_cove_oc4ids_config=config)


@pytest.fixture
def shared_codes(demo, users):
    """What once made ids collide: a facility with its measure's code (as the Decidim import creates), and
    two accepted reports on one measure for one period."""
    measure = Measure.objects.get(plan=demo, code="W-01")
    Facility.objects.create(
        plan=demo, code="W-01", name="Same code as its measure", kind_id="other", measure=measure
    )
    for agency in (measure.lead_agency, users["energy"].profile.agency):
        Report.objects.create(
            measure=measure,
            agency=agency,
            period_end=dt.date(2025, 6, 30),
            narrative="Same period",
            progress=50,
            state="accepted",
            submitted_on=dt.date(2025, 7, 1),
            reviewed_on=dt.date(2025, 7, 2),
        )


def test_the_export_passes_the_oc4ids_data_review_with_no_validation_error(
    demo, shared_codes, bundled_standard, tmp_path
):
    package = export_package([demo], as_of=dt.date(2025, 11, 30))
    assert any(p["title"] == "Same code as its measure" for p in package["projects"])
    result = review(package, bundled_standard, tmp_path)
    assert result["validation_errors"] == []
    assert result["additional_closed_codelist_values"] == {}
    # It is the real review: the bundled schema and codelists were read (the open codelists we extend show).
    assert "projects/parties/roles" in result["additional_open_codelist_values"]
    assert result["version_used"] == "0.9.5"


def test_the_review_finds_what_it_should(demo, bundled_standard, tmp_path):
    """The same review run on a package with the old, colliding ids reports them: the test can fail."""
    package = export_package([demo], as_of=dt.date(2025, 11, 30))
    housing = next(
        p for p in package["projects"] if p["additionalClassifications"][1]["id"] == "sphere/housing"
    )
    for item in housing["additionalClassifications"]:
        item["id"] = item["id"].split("/", 1)[1]  # as exported before: "housing" twice
    messages = [
        json.loads(error)["message"]
        for error, _where in review(package, bundled_standard, tmp_path)["validation_errors"]
    ]
    assert messages == ["Non-unique id values"]
