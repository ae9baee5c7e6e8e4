"""Validating OC4IDS 0.9.5 project packages against the official schemas bundled with the product.

The package schema refers to the project schema by its canonical URL
(``https://standard.open-contracting.org/infrastructure/schema/0__9__5/project-schema.json``). A
``referencing.Registry`` holding both bundled files resolves that reference locally; the registry has no
retrieval function, so an unknown reference fails instead of reaching for the network. Validation
follows Draft 4, as the schemas declare, with format checks for ``date-time``, ``uri`` and ``email``
that need no extra libraries.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from baqylau.interop.refusal import InputRefused

STANDARD_DIR = Path(__file__).resolve().parent.parent / "standards" / "oc4ids-0.9.5"
PACKAGE_SCHEMA = STANDARD_DIR / "project-package-schema.json"
PROJECT_SCHEMA = STANDARD_DIR / "project-schema.json"
EXAMPLE = STANDARD_DIR / "example.json"
CODELISTS = STANDARD_DIR / "codelists"

_DATE_TIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"
)  # RFC 3339 date-time


class Oc4idsRefused(InputRefused):
    """The package is not acceptable; nothing was written. ``problems`` name the JSON path of each."""


def _load(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


@functools.cache
def registry() -> Registry:
    """The package and project schemas under their canonical ids; nothing is ever fetched."""
    resources = []
    for path in (PACKAGE_SCHEMA, PROJECT_SCHEMA):
        contents = _load(path)
        resources.append((contents["id"], Resource.from_contents(contents, default_specification=DRAFT4)))
    return Registry().with_resources(resources)


def format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())

    @checker.checks("date-time", raises=ValueError)
    def is_date_time(value) -> bool:
        if not isinstance(value, str):
            return True
        if not _DATE_TIME.match(value):
            return False
        dt.datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
        return True

    @checker.checks("uri")
    def is_uri(value) -> bool:
        if not isinstance(value, str):
            return True
        parts = urlsplit(value)
        return bool(parts.scheme) and " " not in value

    @checker.checks("email")
    def is_email(value) -> bool:
        return not isinstance(value, str) or "@" in value

    return checker


@functools.cache
def package_validator() -> Draft4Validator:
    schema = _load(PACKAGE_SCHEMA)
    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema, registry=registry(), format_checker=format_checker())


def json_path(parts) -> str:
    """A JSON Pointer-like path: ``/projects/0/budget/amount/currency``."""
    return "/" + "/".join(str(p) for p in parts) if parts else "/"


def schema_problems(package) -> list[str]:
    """Every violation of the package schema as ``<path>: <message>``, in document order."""
    errors = sorted(package_validator().iter_errors(package), key=lambda e: [str(p) for p in e.absolute_path])
    return [f"{json_path(error.absolute_path)}: {error.message}" for error in errors]


def check(package, consequence: str = "nothing was imported") -> None:
    problems = schema_problems(package)
    if problems:
        raise Oc4idsRefused(
            f"Not a valid OC4IDS 0.9.5 project package ({len(problems)} schema errors); {consequence}. "
            f"The first: {problems[0]}",
            problems,
        )


@functools.cache
def codelist(name: str) -> dict[str, str]:
    """A bundled codelist: code -> title."""
    with (CODELISTS / name).open(encoding="utf-8", newline="") as handle:
        return {row["Code"]: row["Title"] for row in csv.DictReader(handle)}
