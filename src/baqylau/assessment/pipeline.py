"""A batch of measures judged the one way every path judges it: the engine on the measures' own
figures, then their declared outcomes (``outcomes.py``), then their likelihood of delivery
(``likelihood.py``). The store, the computed "as of" views and the measure page all come through here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from baqylau.judging import MeasureFacts, MeasureJudgement
from baqylau.judging.likelihood import ReferenceTable
from baqylau.judging.measures import OwnFigures
from baqylau.plans.models import Plan

from . import likelihood, outcomes


def judge(
    plan: Plan,
    as_of: dt.date,
    own: OwnFigures,
    id_by_code: dict[str, int],
    settings,
    *,
    table: ReferenceTable | None = None,
    facts: Sequence[MeasureFacts] | None = None,
) -> tuple[OwnFigures, list[MeasureJudgement]]:
    """(own figures with outcomes, judgements). ``facts``: the whole plan's, to learn the reference
    table from (computed views); ``table``: the one to use (the store's)."""
    own, judged = outcomes.judge(plan, as_of, own, id_by_code, settings)
    return own, likelihood.rate(plan, as_of, judged, id_by_code, table=table, facts=facts)
