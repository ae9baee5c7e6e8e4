"""Small builders and hypothesis strategies for judging tests (plain Python, no Django)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from baqylau.judging import InstructionFacts, MeasureFacts, ProgressPoint, TrajectoryPoint

# No example database: tests must not write outside tests/judging, and runs stay reproducible.
PROPERTY = settings(
    database=None, deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow]
)

D = date.fromisoformat


def measure(
    key: str = "M1",
    start: str | None = "2025-01-01",
    due: str = "2025-12-31",
    completed_on: str | None = None,
    reports: dict[str, float] | list[tuple[str, float]] | None = None,
    trajectory: dict[str, float] | None = None,
    weight: float = 1.0,
    children: tuple[str, ...] = (),
) -> MeasureFacts:
    """A measure from ISO date strings: ``reports={"2025-03-01": 20, ...}``."""
    items = reports.items() if isinstance(reports, dict) else (reports or [])
    return MeasureFacts(
        key=key,
        start=D(start) if start else None,
        due=D(due),
        completed_on=D(completed_on) if completed_on else None,
        history=tuple(ProgressPoint(D(on), float(p)) for on, p in items),
        trajectory=tuple(TrajectoryPoint(D(on), float(p)) for on, p in (trajectory or {}).items()),
        weight=weight,
        children=children,
    )


def instruction(
    key: str = "I1",
    issued_on: str = "2025-06-01",
    due: str = "2025-06-30",
    executed_on: str | None = None,
    withdrawn_on: str | None = None,
    last_report: str | None = None,
) -> InstructionFacts:
    return InstructionFacts(
        key=key,
        issued_on=D(issued_on),
        due=D(due),
        executed_on=D(executed_on) if executed_on else None,
        withdrawn_on=D(withdrawn_on) if withdrawn_on else None,
        last_accepted_report_on=D(last_report) if last_report else None,
    )


# --- strategies --------------------------------------------------------------------------------

BASE = date(2025, 1, 1)


def day(lo: int = -400, hi: int = 800):
    return st.integers(lo, hi).map(lambda n: BASE + timedelta(days=n))


progress_values = st.one_of(
    st.floats(0, 100, allow_nan=False), st.sampled_from([0.0, 10.0, 50.0, 99.9, 100.0])
)


@st.composite
def measure_facts(draw, key: str = "M", children: tuple[str, ...] = (), allow_history: bool = True):
    due = draw(day(-200, 600))
    start = draw(st.one_of(st.none(), st.integers(0, 700).map(lambda n: due - timedelta(days=n))))
    history = ()
    if allow_history:
        history = tuple(draw(st.lists(st.builds(ProgressPoint, day(-400, 800), progress_values), max_size=8)))
    completed_on = draw(st.one_of(st.none(), day(-200, 800)))
    trajectory = ()
    low = start.toordinal() + 1 if start else due.toordinal() - 400
    high = due.toordinal() - 1
    if high >= low and draw(st.booleans()):
        days = draw(st.lists(st.integers(low, high), unique=True, min_size=1, max_size=3))
        trajectory = tuple(
            TrajectoryPoint(date.fromordinal(d), draw(st.floats(0, 100, allow_nan=False))) for d in days
        )
    weight = draw(st.sampled_from([1.0, 0.5, 2.0, 3.7, 10.0]))
    return MeasureFacts(key, start, due, completed_on, history, trajectory, weight, children)


@st.composite
def measure_batches(draw, max_size: int = 12):
    """A batch of measures, some of them parents (with or without own reports) of earlier ones."""
    n = draw(st.integers(1, max_size))
    facts: list[MeasureFacts] = []
    for i in range(n):
        kids: tuple[str, ...] = ()
        if facts and draw(st.integers(0, 3)) == 0:
            pool = [f.key for f in facts]
            kids = tuple(draw(st.lists(st.sampled_from(pool), min_size=1, max_size=4, unique=True)))
        facts.append(
            draw(measure_facts(key=f"M{i}", children=kids, allow_history=not kids or draw(st.booleans())))
        )
    return facts


def descendants(facts: list[MeasureFacts], key: str) -> list[MeasureFacts]:
    """All measures under ``key`` (each once), for judging a parent on its own."""
    by_key = {f.key: f for f in facts}
    seen: dict[str, MeasureFacts] = {}
    stack = list(by_key[key].children)
    while stack:
        k = stack.pop()
        if k not in seen:
            seen[k] = by_key[k]
            stack.extend(by_key[k].children)
    return list(seen.values())
