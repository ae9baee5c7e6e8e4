"""What the `baqylau` command prints, as a user sees it."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from baqylau import cli


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_measures_json_shows_the_facts(demo):
    rows = {r["code"]: r for r in json.loads(run("measures", "--format", "json", "--language", "en"))}
    kos = rows["W-01"]
    assert kos["title"].startswith("KOS-2")
    assert kos["sphere"] == "water" and kos["territories"] == ["AKT"] and kos["lead_agency"] == "AKIMAT"
    assert kos["due"] == "2025-12-31"
    assert kos["facilities"][0]["capacity_baseline"] == 30_000
    assert kos["facilities"][0]["capacity_target"] == 70_000
    assert kos["capacities"] == ["KOS-2: 30000 → 70000 m³/day"]
    assert "press release" in kos["source"]
    assert rows["W-04"]["facilities"][0]["commission_actual"] == "2025-10-27"
    assert rows["H-01"]["capacities"] == ["HEAT-MAIN-AKT: 44 km replaced"]


def test_measures_table_and_csv(demo):
    table = run("measures", "--language", "en")
    assert "KOS-2: 30000 → 70000 m³/day" in table and "lead_agency" in table.splitlines()[0]
    rows = list(csv.DictReader(io.StringIO(run("measures", "--format", "csv", "--plan", "MNG-URGENT-2024"))))
    assert len(rows) == demo.measures.count()
    assert {r["code"] for r in rows} >= {"W-01", "H-01", "ED-03"}


def test_titles_follow_the_chosen_language(demo):
    kk = {r["code"]: r for r in json.loads(run("measures", "--format", "json", "--language", "kk"))}
    assert kk["W-02"]["title"].startswith("«Каспий» тұщыландыру зауыты")


def test_instructions_listing(demo):
    rows = {r["code"]: r for r in json.loads(run("instructions", "--format", "json", "--language", "en"))}
    one_week = rows["I-01"]
    assert one_week["term_days"] == 7 and one_week["due"] == "2024-06-21"
    assert one_week["executors"] == ["AKIMAT", "MNE"] and one_week["event"] == "EV-2024-MEETING"


def test_unknown_plan_is_refused_with_the_known_ones(demo):
    with pytest.raises(CommandError, match=r"no plan with code 'NOPE'.*MNG-URGENT-2024"):
        run("measures", "--plan", "NOPE")


def test_hyphenated_subcommands_reach_their_command(monkeypatch):
    seen = {}
    monkeypatch.setattr(
        "django.core.management.execute_from_command_line", lambda argv: seen.setdefault("a", argv)
    )
    cli.main(["baqylau", "load-demo", "--verbosity", "0"])
    assert seen["a"] == ["baqylau", "load_demo", "--verbosity", "0"]


def test_a_commands_language_does_not_outlive_it(demo):
    from django.utils import translation

    before = translation.get_language()
    run("measures", "--language", "kk", "--format", "json")
    call_command("water_balance", "--language", "ru", "--format", "json", stdout=io.StringIO())
    assert translation.get_language() == before


def test_a_first_command_in_a_new_home_makes_its_var_folder(tmp_path):
    """A new BAQYLAU_HOME has no var/ yet: the first command makes it instead of failing with
    "unable to open database file"."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    home = tmp_path / "new-home"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(BAQYLAU_HOME=str(home), DJANGO_SETTINGS_MODULE="baqylau.settings.dev")
    script = Path(sys.executable).with_name("baqylau")
    done = subprocess.run(
        [str(script), "showmigrations", "accounts"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert (home / "var" / "baqylau.sqlite3").exists()
