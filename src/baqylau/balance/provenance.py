"""A number together with where it comes from: a citation, or an estimate with its reason.

The demo data must be true, so a figure without a source is accepted only when it says it is an
estimate and why.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Assumption:
    value: float
    source: str = ""  # citation text, as in the facts file
    estimate: bool = False  # True when we chose the number (no published figure)
    note: str = ""  # why this number; required for an estimate without a source

    def __post_init__(self) -> None:
        if not self.source and not (self.estimate and self.note):
            raise ValueError(f"figure {self.value!r} needs a source, or estimate=True with a note saying why")

    @classmethod
    def estimated(cls, value: float, note: str, source: str = "") -> Assumption:
        return cls(value=value, source=source, estimate=True, note=note)
