"""The one pattern every code follows: measures, facilities, indicators, events, instructions, plans and
reference data (territories, spheres, agencies, facility kinds), wherever it enters (docs/data-model.md).

A code is 1 to 40 characters: ASCII letters, digits, ``.``, ``_`` and ``-``, starting with a letter or a
digit. So a code is safe in a URL path segment (the ``code`` path converter matches exactly this), in a
``;``-separated list of the plan workbook, and in the ``scheme/code`` identifiers of the exports.
"""

import hashlib
import re

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

CODE_MAX_LENGTH = 40
CODE_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}"
CODE_RE = re.compile(rf"\A{CODE_PATTERN}\Z")
CODE_RULE = _(
    "A code is 1 to 40 characters: Latin letters, digits, “.”, “_” and “-”, "
    "starting with a letter or a digit."
)

validate_code = RegexValidator(CODE_RE, message=CODE_RULE, code="invalid_code")


def is_code(value: str) -> bool:
    return bool(CODE_RE.match(value or ""))


def derive_code(raw: str) -> str:
    """A valid code for an identifier from outside (IATI, OC4IDS, Decidim) that is not one.

    Deterministic, so importing the same file twice finds the same record: characters outside the pattern
    become ``-``; when anything had to change or the identifier is too long, a short digest of the original
    keeps two different identifiers apart.
    """
    raw = (raw or "").strip()
    if is_code(raw):
        return raw
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", raw).strip("-._")
    digest = hashlib.sha1(raw.encode("utf-8")).hexdigest()[:8]
    head = cleaned[: CODE_MAX_LENGTH - len(digest) - 1].rstrip("-._")
    return f"{head}-{digest}" if head else f"x-{digest}"


class CodeConverter:
    """``<code:name>`` in a URL: exactly the codes the pattern allows, so every code's URL reverses."""

    regex = CODE_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
