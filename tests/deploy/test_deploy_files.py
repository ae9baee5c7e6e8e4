"""The example files of deploy/ say what the product does: every command a systemd unit runs exists with
the options it is given, every variable of the environment example is one the product reads, and the
proxy sets the headers production settings trust."""

import re
import shlex
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands, load_command_class

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
BINARY = "/opt/baqylau/.venv/bin/baqylau"


def exec_lines(unit: Path) -> list[list[str]]:
    found = []
    for line in unit.read_text().splitlines():
        if line.startswith("ExecStart="):
            words = shlex.split(line.removeprefix("ExecStart=").replace("%H", "host").replace("%i", "1"))
            found.append(words)
    return found


@pytest.mark.parametrize("unit", UNITS, ids=lambda p: p.name)
def test_each_unit_runs_baqylau_commands_that_exist_with_their_options(unit, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # as deployed
    commands = exec_lines(unit)
    assert commands, f"{unit.name} runs nothing"
    for words in commands:
        assert words[0] == BINARY, words
        name = words[1].replace("-", "_")
        assert name in get_commands(), f"{unit.name}: no command {words[1]}"
        parser = load_command_class(get_commands()[name], name).create_parser("baqylau", name)
        parser.parse_args(words[2:])  # exits (fails the test) on an unknown or malformed option


def test_the_environment_example_names_only_what_the_product_reads():
    example = (DEPLOY / "baqylau.env.example").read_text()
    names = re.findall(r"^([A-Z_]+)=", example, re.M)
    sources = "".join(p.read_text() for p in (ROOT / "src/baqylau").rglob("*.py"))
    unread = [n for n in names if n not in ("DJANGO_SETTINGS_MODULE",) and f'"{n}"' not in sources]
    assert not unread, f"deploy/baqylau.env.example names variables nothing reads: {unread}"


def test_the_proxy_sets_what_production_trusts():
    conf = (DEPLOY / "nginx/baqylau.conf").read_text()
    example = (DEPLOY / "baqylau.env.example").read_text()
    port = re.search(r"^BAQYLAU_PORT=(\d+)", example, re.M).group(1)
    assert f"server 127.0.0.1:{port};" in conf
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in conf  # SECURE_PROXY_SSL_HEADER
    assert "proxy_set_header X-Real-IP $remote_addr;" in conf  # BAQYLAU_CLIENT_ADDRESS_HEADER
    body_limit_mb = int(re.search(r"client_max_body_size (\d+)m;", conf).group(1))
    assert body_limit_mb * 1_048_576 >= settings.BAQYLAU_IMPORT_MAX_BYTES


def doc_commands() -> list[list[str]]:
    """Every `baqylau …` command in the shell and cron blocks of docs/deployment.md, with its arguments."""
    found, language = [], None
    for line in (ROOT / "docs/deployment.md").read_text().splitlines():
        if line.startswith("```"):
            language = line[3:].strip() if language is None else None
            continue
        if language not in ("sh", "cron"):
            continue
        simple = [[]]  # the line's simple commands: split at && || | and after a word ending in ;
        for word in shlex.split(line, comments=True):
            if word in ("&&", "||", "|"):
                simple.append([])
            else:
                simple[-1].append(word.removesuffix(";"))
                if word.endswith(";"):
                    simple.append([])
        for words in simple:
            while words and "=" in words[0]:  # VARIABLE=value before the command
                words = words[1:]
            if words and (words[0] == "baqylau" or words[0].endswith("/bin/baqylau")):
                found.append(words)
    return found


def test_every_baqylau_command_of_the_deployment_doc_exists_with_its_options(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    commands = doc_commands()
    named = {c[1] for c in commands}
    assert {"migrate", "collectstatic", "create-user", "backup", "restore"} <= named
    for words in commands:
        name = words[1].replace("-", "_")
        assert name in get_commands(), f"docs/deployment.md: no command {words[1]}"
        load_command_class(get_commands()[name], name).create_parser("baqylau", name).parse_args(words[2:])
