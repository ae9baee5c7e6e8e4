"""`baqylau collectstatic` under production settings: the manifest storage builds, maps included, and
WhiteNoise serves the hashed files compressed, with far-future cache headers."""

import json

VENDORED = [
    "vendor/chartjs/chart.umd.min.js",
    "vendor/chartjs/chart.umd.min.js.map",
    "vendor/leaflet/leaflet.js",
    "vendor/leaflet/leaflet.js.map",
    "vendor/leaflet/leaflet.css",
    "vendor/leaflet/images/marker-icon.png",
    "vendor/htmx/htmx.min.js",
    "web/app.js",
    "web/map.js",
    "web/app.css",
]


def test_collectstatic_builds_the_manifest_with_the_vendored_libraries_and_their_maps(static_root):
    paths = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    assert set(VENDORED) <= set(paths)
    chart = (static_root / paths["vendor/chartjs/chart.umd.min.js"]).read_text()
    # The script names its map by the map's hashed name, so a browser's developer tools find it.
    map_name = paths["vendor/chartjs/chart.umd.min.js.map"].split("/")[-1]
    assert chart.rstrip().endswith(f"sourceMappingURL={map_name}")
    for name in ("vendor/chartjs/chart.umd.min.js", "vendor/leaflet/leaflet.css", "web/app.js"):
        hashed = static_root / paths[name]
        assert all(hashed.with_name(hashed.name + suffix).exists() for suffix in (".gz", ".br"))


def test_static_files_are_served_compressed_and_cached_for_ever(static_root, base):
    import requests

    paths = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    url = f"{base}/static/{paths['vendor/chartjs/chart.umd.min.js']}"
    answer = requests.get(url, headers={"Accept-Encoding": "br", "X-Forwarded-Proto": "https"}, timeout=30)
    assert answer.status_code == 200
    assert answer.headers["Content-Encoding"] == "br"
    assert answer.headers["Cache-Control"] == "max-age=315360000, public, immutable"
    assert "Chart.js v4.6.1" in answer.text
    gzipped = requests.get(url, headers={"Accept-Encoding": "gzip", "X-Forwarded-Proto": "https"}, timeout=30)
    assert gzipped.headers["Content-Encoding"] == "gzip" and gzipped.text == answer.text
    # An unhashed name is served too, but not cached for ever: it changes with the next release.
    plain = requests.get(
        f"{base}/static/vendor/chartjs/chart.umd.min.js", headers={"X-Forwarded-Proto": "https"}, timeout=30
    )
    assert plain.status_code == 200 and "immutable" not in plain.headers["Cache-Control"]
