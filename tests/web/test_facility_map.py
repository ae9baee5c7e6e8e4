"""The facility map's data: outlines shipped with the product, tiles only when set, popups' facts."""

import json
from pathlib import Path

from django.contrib.staticfiles import finders
from django.utils import timezone, translation

from baqylau.assessment.reading import PlanReader
from baqylau.plans.models import Facility
from baqylau.web.facility_map import facility_map


def _map(demo, language="en"):
    with translation.override(language):
        return facility_map(PlanReader(demo, timezone.localdate()), Facility.objects.filter(plan=demo))


def test_the_region_outline_file_is_shipped_and_names_the_territories_by_code(demo):
    data = _map(demo)
    assert data["outlines"].endswith("web/geo/mng.geojson")
    geo = json.loads(Path(finders.find("web/geo/mng.geojson")).read_text(encoding="utf-8"))
    codes = {f["properties"]["code"]: f["properties"]["level"] for f in geo["features"]}
    assert codes == {
        "MNG": "region",
        "AKT": "district",
        "BEI": "district",
        "KAR": "district",
        "MAN": "district",
        "TUP": "district",
    }
    territories = set(demo.region.children.values_list("code", flat=True)) | {demo.region.code}
    assert set(codes) <= territories  # every outline is a territory of the plan's region
    assert "geoBoundaries" in geo["attribution"]


def test_tiles_come_only_from_the_configured_server(demo, settings, client, users):
    settings.MAP_TILE_ORIGIN = ""
    assert _map(demo)["tiles"] is None
    settings.MAP_TILE_ORIGIN = "https://tiles.example.kz"
    assert _map(demo)["tiles"] == "https://tiles.example.kz/{z}/{x}/{y}.png"


def test_a_popup_carries_capacity_commissioning_and_status_in_the_reader_s_language(demo):
    kenderli = next(f for f in _map(demo)["facilities"] if f["code"] == "KENDERLI")
    assert kenderli["capacity"] == "50,000 m³/day" and kenderli["status"] == "done"
    assert kenderli["commissioned"] == "27.10.2025" and kenderli["url"] == "/measures/MNG-URGENT-2024/W-04/"
    kk = _map(demo, "kk")
    kenderli_kk = next(f for f in kk["facilities"] if f["code"] == "KENDERLI")
    assert kenderli_kk["capacity"] == "50\u00a0000 м³/тәул"  # grouped with a no-break space
    assert kenderli_kk["commissioned"] == "27.10.2025"
    assert kk["labels"]["Zoom in"] == "Үлкейту"
    assert [status for status, _ in kk["legend"]] == ["late", "at_risk", "on_track", "not_started", "done"]


def test_the_dashboard_draws_the_map_with_a_legend_and_no_inline_script(client, users):
    client.force_login(users["viewer"])
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'class="map-legend"' in html and "vendor/markercluster/leaflet.markercluster.js" in html
    assert "web/map.js" in html and "<script>" not in html
