"""Structured reasons: what a judgement rests on, as a code plus the numbers behind it.

Judgements build their reasons on demand (``judgement.reasons``) from their own fields, and
``explain()`` renders them into a sentence in the wanted language. Keeping the code and the
numbers apart lets the web pages, briefings and API each present them their own way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Reason:
    """A reason code (a key of the language templates) and its parameters."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)
