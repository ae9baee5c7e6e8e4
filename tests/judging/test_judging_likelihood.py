"""The likelihood of delivery, from hand-made histories: what comparable resolved measures did decides
the probability, the narrowest class with enough measures is quoted, a late measure never finishes
on time, and the confidence rating reads the probability."""

from __future__ import annotations

import datetime as dt

import pytest

from baqylau.judging import explain, judge_measures
from baqylau.judging import likelihood as L
from baqylau.judging.history import NO_DAY

from .factories import D, measure

AS_OF = D("2026-12-01")


def resolved(n, on_time, reports=((0.5, 20.0),), sphere="water", agency="MEN"):
    """``n`` measures of a year's term (2024) ended before AS_OF; ``on_time`` of them finished by their
    due date, the others 120 days late. Each reported ``reports``: (share of the term, progress)."""
    start = D("2024-01-01").toordinal()
    due = start + 365
    history = [(start + round(share * 365), progress) for share, progress in reports]
    return [
        L.Resolved(start, due, due - 10 if i < on_time else due + 120, sphere, agency, history)
        for i in range(n)
    ]


def test_no_history_gives_the_documented_prior():
    table = L.learn([], AS_OF)
    likely = L.estimate(table, "water", "MEN", D("2026-06-01"), D("2027-06-01"), None, AS_OF)
    assert likely.probability == L.PRIOR_ON_TIME[L.NO_REPORT]
    assert likely.basis.level == "prior"
    assert likely.finish_low >= AS_OF and likely.finish_high >= likely.finish_low


def test_measures_that_stood_this_far_behind_and_ran_late_make_it_unlikely():
    table = L.learn(resolved(40, on_time=4), AS_OF)
    # Halfway through its term, 30 points behind the straight line, one report: like the 40 above.
    likely = L.estimate(table, "water", "MEN", D("2026-06-01"), D("2027-06-01"), 20.0, AS_OF, L.NO_FORECAST)
    assert likely.basis.stood == L.FAR_BEHIND
    assert likely.probability < 0.2
    assert likely.basis.level == "sphere_agency" and likely.basis.n >= 40 and likely.basis.on_time == 4
    # Their finishes ran 120 days late on a year's term: the interval is after the due date.
    assert likely.finish_low > D("2027-06-01")


def test_a_sphere_whose_measures_hold_their_dates_is_likely_on_time():
    table = L.learn(resolved(40, on_time=36, sphere="heat"), AS_OF)
    likely = L.estimate(table, "heat", "AKIMAT", D("2026-06-01"), D("2027-06-01"), 20.0, AS_OF)
    assert likely.probability > 0.7
    assert likely.basis.level == "sphere"  # the akimat has no history in heat: the sphere is quoted


def test_measures_still_within_their_term_do_not_count():
    """Only measures due before the date are resolved: early finishers among the open would flatter."""
    start = D("2026-01-01").toordinal()
    early = [L.Resolved(start, start + 600, start + 200, "water", "MEN", [(start + 100, 60.0)])] * 30
    assert L.learn(early, AS_OF).resolved == 0


def test_a_measure_past_its_due_date_has_probability_zero():
    table = L.learn(resolved(40, on_time=4), AS_OF)
    # A month late on a year's term; the 36 late ones above ran four months late.
    likely = L.estimate(table, "water", "MEN", D("2025-11-01"), D("2026-11-01"), 50.0, AS_OF)
    assert likely.probability == 0.0 and likely.basis.level == "late" and likely.basis.n == 36
    assert likely.finish_low == likely.finish_high == D("2026-11-01") + dt.timedelta(days=120)
    # Later than any comparable measure ran: nothing to learn from, and it says so.
    later = L.estimate(table, "water", "MEN", D("2025-06-01"), D("2026-06-01"), 50.0, AS_OF)
    assert later.probability == 0.0 and later.basis.level == "late_few" and later.finish_low == AS_OF


def test_the_table_survives_storage():
    table = L.learn(resolved(40, on_time=10), AS_OF)
    again = L.ReferenceTable.from_json(table.to_json())
    args = ("water", "MEN", D("2026-06-01"), D("2027-06-01"), 20.0, AS_OF)
    assert L.estimate(again, *args) == L.estimate(table, *args)


def test_the_rating_reads_the_probability_but_at_risk_is_never_better_than_amber():
    judged = judge_measures(
        [
            measure("ON", start="2026-06-01", due="2027-06-01", reports={"2026-07-20": 15, "2026-11-20": 52}),
            measure("BEHIND", start="2026-06-01", due="2027-06-01", reports={"2026-11-01": 5}),
            measure("DONE", start="2025-01-01", due="2026-06-01", completed_on="2026-05-01"),
        ],
        AS_OF,
    )
    # Like ON at the same point of the term: on plan, the forecast by the due date; all on time.
    ahead = resolved(40, on_time=40, reports=((0.2, 20.0), (0.6, 64.0)))
    behind = resolved(40, on_time=0, reports=((0.5, 5.0),))  # like BEHIND: far behind, one report
    table = L.learn(ahead + behind, AS_OF)
    rated = {j.key: j for j in L.rate(judged, [("water", "MEN")] * 3, table)}
    assert rated["DONE"].likelihood is None and rated["DONE"].confidence == "green"
    assert rated["ON"].likelihood.probability > 0.8 and rated["ON"].confidence == "green"
    assert rated["BEHIND"].status == "at_risk"
    assert rated["BEHIND"].likelihood.probability < 0.2 and rated["BEHIND"].confidence == "red"


def test_an_at_risk_measure_with_good_odds_is_still_amber():
    judged = judge_measures(
        [measure("STALE", start="2026-01-01", due="2027-12-31", reports={"2026-03-01": 20})], AS_OF
    )
    assert judged[0].status == "at_risk" and judged[0].stale
    table = L.learn(resolved(40, on_time=40, reports=((0.2, 5.0),)), AS_OF)  # far behind early, yet on time
    rated = L.rate(judged, [("water", "MEN")], table)[0]
    assert rated.likelihood.probability > 0.6
    assert rated.confidence == "amber"


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ("of 40 measures in water led by MEN", "4 finished on time")),
        ("ru", ("из 40 мер сферы «вода»", "в срок завершены 4")),
        ("kk", ("40 шараның 4 шарасы", "мерзімінде")),
    ],
)
def test_the_explanation_names_the_class_and_what_it_did(lang, words):
    judged = judge_measures(
        [measure("M", start="2026-06-01", due="2027-06-01", reports={"2026-11-01": 5})], AS_OF
    )
    table = L.learn(resolved(40, on_time=4), AS_OF)
    rated = L.rate(judged, [("water", "MEN")], table, {"sphere": {"water": {"en": "water", "ru": "вода"}}})[0]
    text = explain(rated, lang)
    for word in words:
        assert word in text, text


def test_the_probability_bands_follow_the_rating_cut_points():
    assert [L.score_of(p) for p in (0.95, 0.8, 0.79, 0.6, 0.5, 0.3, 0.1)] == [0, 0, 1, 1, 2, 3, 4]


def test_no_finish_means_not_on_time():
    start = D("2024-01-01").toordinal()
    silent = [L.Resolved(start, start + 365, NO_DAY, "water", "MEN", [])] * 20
    table = L.learn(silent, AS_OF)
    cell = table.cells[(L.ALL, L.ALL, 0, L.NO_REPORT, L.ANY)]
    assert cell.n == 20 and cell.on_time == 0
    assert min(table.late_slips) >= (AS_OF.toordinal() - start - 365) / 365 - 1e-3
    assert isinstance(dt.date.fromordinal(start), dt.date)


@pytest.mark.django_db
def test_the_daily_step_reads_only_newly_resolved_measures_and_keeps_the_table_learning_would_give():
    """Reading every resolved measure's facts was most of the daily step: it keeps each resolved
    measure's standing and reads the facts only of measures resolved since, and the table it keeps is
    the one learning anew from every resolved measure gives; a write on a resolved measure (its facts
    changed) makes the next day learn anew."""
    import io

    from django.core.management import call_command

    from baqylau.assessment import likelihood, store
    from baqylau.assessment.models import ReferenceStats
    from baqylau.plans.models import Measure

    world = D("2026-06-01")
    call_command("synth", "--plans", "1", "--measures-per-plan", "150", "--seed", "11", "--today", str(world),
                 stdout=io.StringIO())  # fmt: skip
    plan = Measure.objects.filter(code__startswith="SYN-").first().plan
    store.refresh_plan(plan, world)
    read = []
    real = likelihood._standings

    def spy(plan, as_of, leaves):
        read.append("all" if hasattr(leaves, "query") else set(leaves))
        return real(plan, as_of, leaves)

    def kept():
        return ReferenceStats.objects.filter(plan=plan).values_list("table", flat=True).get()

    resolving = Measure.objects.filter(plan=plan, children=None, start__isnull=False, outcome_kind="")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(likelihood, "_standings", spy)
        newly_resolved_days = 0
        for step in range(1, 60):
            day = world + dt.timedelta(days=step)
            read.clear()
            store.advance_plan(plan, day)
            due_yesterday = set(resolving.filter(due=day - dt.timedelta(days=1)).values_list("pk", flat=True))
            assert read == ([due_yesterday] if due_yesterday else []), day
            newly_resolved_days += bool(due_yesterday)
            table, fresh = L.ReferenceTable.from_json(kept()), likelihood.learn(plan, day)
            assert (table.resolved, table.cells, table.late_slips) == (
                fresh.resolved,
                fresh.cells,
                fresh.late_slips,
            ), day
        assert newly_resolved_days >= 5  # the days walked saw measures resolve

        # A write on a resolved measure: its facts may have changed, so the next day learns anew.
        late = resolving.filter(due__lt=day).first()
        store.refresh_measures(plan, [late.pk])
        assert ReferenceStats.objects.get(plan=plan).stale
        read.clear()
        store.advance_plan(plan, day + dt.timedelta(days=1))
        assert read == ["all"] and not ReferenceStats.objects.get(plan=plan).stale


def test_the_table_from_standings_matches_numpy_quantiles_and_counts():
    """``table_of`` sorts once for every cell's interval: the same figures ``np.quantile`` gives."""
    import numpy as np

    rng = np.random.default_rng(3)
    start = D("2023-01-01").toordinal()
    measures = []
    for i in range(400):
        due = start + int(rng.integers(100, 700))
        finish = NO_DAY if i % 7 == 0 else due + int(rng.integers(-90, 200))
        history = sorted(
            (start + int(d), float(p))
            for d, p in zip(rng.integers(1, 600, 3), rng.uniform(0, 100, 3), strict=True)
        )
        measures.append(
            L.Resolved(start, due, finish, ["water", "heat"][i % 2], ["MEN", "AKM", "MIN"][i % 3], history)
        )
    table = L.learn(measures, AS_OF)
    day = AS_OF.toordinal()
    slips: dict = {}
    for m in measures:
        finished = m.finish != NO_DAY and m.finish <= day
        slip = ((m.finish if finished else day) - m.due) / (m.due - m.start)
        for s in L.standings([m], AS_OF):
            for quarter, stood, outlook in s.checkpoints:
                for key in (
                    (L.ALL, L.ALL, quarter, stood, L.ANY),
                    (L.ALL, L.ALL, quarter, stood, outlook),
                    (m.sphere, L.ALL, quarter, stood, outlook),
                    (m.sphere, m.agency, quarter, stood, outlook),
                ):
                    slips.setdefault(key, []).append(slip)
    assert set(slips) == set(table.cells) and table.resolved == 400
    checked = 0
    for key, values in slips.items():
        cell = table.cells[key]
        assert cell.n == len(values)
        if cell.n >= L.QUANTILE_MIN:
            assert (cell.low, cell.high) == tuple(float(q) for q in np.quantile(values, (0.1, 0.9)))
            checked += 1
        else:
            assert cell.low is None
    assert checked > 10


def test_the_intervals_of_late_measures_are_numpys_quantiles_of_the_slips_at_least_as_late():
    import numpy as np

    slips = tuple(sorted(np.round(np.random.default_rng(5).normal(0.2, 0.3, 57), 4).tolist()))
    table = L.ReferenceTable(AS_OF, 57, {}, slips)
    tails = L.tail_quantiles(table)
    assert tails == [tuple(float(q) for q in np.quantile(slips[i:], (0.1, 0.9))) for i in range(57)]
