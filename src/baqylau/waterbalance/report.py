"""The water balance as plain records: region totals by month and by summer, and zones on a date."""

import datetime as dt

import numpy as np

from .services import BalanceComparison

QUANTITIES = ("demand", "supply", "deficit", "provision_pct")


def _round(value: float, quantity: str) -> float:
    return round(float(value), 1 if quantity == "provision_pct" else 0)


def _with_change(record: dict, base_deficit: float, changed_deficit: float | None) -> dict:
    if changed_deficit is not None:
        record["deficit_what_if"] = round(float(changed_deficit))
        record["deficit_change"] = round(float(changed_deficit - base_deficit))
    return record


def monthly(comparison: BalanceComparison) -> list[dict]:
    base, changed = comparison.base, comparison.changed
    totals = {q: base.total(q) for q in QUANTITIES}
    changed_deficit = changed.total("deficit") if changed else None
    return [
        _with_change(
            {"month": str(month), **{q: _round(totals[q][j], q) for q in QUANTITIES}},
            totals["deficit"][j],
            changed_deficit[j] if changed_deficit is not None else None,
        )
        for j, month in enumerate(base.months)
    ]


def summers(comparison: BalanceComparison) -> list[dict]:
    """June-August means of the region totals, for every year the period covers fully."""
    base, changed = comparison.base, comparison.changed
    years = sorted({int(str(m)[:4]) for m in base.months})
    rows = []
    for year in years:
        try:
            values = {q: base.summer_total(q, year) for q in QUANTITIES}
        except ValueError:  # the period does not cover June-August of that year
            continue
        values["spare"] = base.summer_total("spare", year)  # water nobody needed: the region's margin
        changed_deficit = changed.summer_total("deficit", year) if changed else None
        row = _with_change(
            {"summer": year, **{q: _round(v, q) for q, v in values.items()}},
            values["deficit"],
            changed_deficit,
        )
        if changed:
            row["spare_what_if"] = round(changed.summer_total("spare", year))
        rows.append(row)
    return rows


def zones_on(comparison: BalanceComparison, on: dt.date) -> list[dict]:
    """Each zone in the month of ``on`` (which must lie in the period)."""
    base, changed = comparison.base, comparison.changed
    column = np.flatnonzero(base.months == np.datetime64(on, "M"))
    if not len(column):
        return []
    j = int(column[0])
    return [
        _with_change(
            {"zone": code, **{q: _round(getattr(base, q)[i, j], q) for q in QUANTITIES}},
            base.deficit[i, j],
            changed.deficit[i, j] if changed else None,
        )
        for i, code in enumerate(base.zone_codes)
    ]


def assumed(comparison: BalanceComparison) -> list[dict]:
    """Which facilities the model counts, and from when (and which it does not count yet)."""
    return [
        {
            "facility": a.facility,
            "measure": a.measure,
            "source": a.source,
            "counted_from": a.on.isoformat() if a.on else None,
            "basis": a.basis,
            "planned": a.planned.isoformat() if a.planned else None,
        }
        for a in comparison.assumed
    ]
