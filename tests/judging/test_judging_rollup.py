"""Roll-ups by any grouping."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from baqylau.judging import (
    Confidence,
    InstructionStatus,
    MeasureStatus,
    judge_instructions,
    judge_measures,
    rollup,
    summarise,
)

from .factories import PROPERTY, D, instruction, measure, measure_batches

AS_OF = D("2025-06-30")


@pytest.fixture
def judged():
    facts = [
        measure("A", reports={"2025-06-01": 40}, weight=1),  # 49.5 planned: within tolerance
        measure("B", reports={"2025-06-01": 80}, weight=3),
        measure("C", weight=1),  # never reported: stale
        measure("D", completed_on="2025-05-01", weight=5),
    ]
    return judge_measures(facts, AS_OF)


def test_weighted_progress_normalised_over_known(judged):
    s = summarise(judged)
    assert s.total == 4
    assert s.progress == pytest.approx((40 * 1 + 80 * 3 + 100 * 5) / 9)
    assert s.known == 3 and s.unknown == 1
    assert s.weight == 10
    assert s.unknown_weight_share == pytest.approx(0.1)
    assert s.counts == {"done": 1, "not_started": 0, "on_track": 2, "at_risk": 1, "late": 0}
    assert sum(s.counts.values()) == s.total
    assert s.worst_confidence == Confidence.AMBER  # C, at risk by staleness only


def test_a_measure_in_two_territories_counts_in_each(judged):
    territories = {"A": ("Aktau", "Zhanaozen"), "B": ("Aktau",), "C": ["Beineu"], "D": "Aktau"}
    groups = rollup(judged, territories)
    assert list(groups) == ["Aktau", "Zhanaozen", "Beineu"]
    assert groups["Aktau"].total == 3
    assert groups["Zhanaozen"].total == 1
    assert groups["Beineu"].progress is None  # only unknown progress: unknown, not 0
    assert groups["Beineu"].unknown_weight_share == 1.0


def test_group_by_function(judged):
    groups = rollup(judged, lambda j: j.status)
    assert {key: g.total for key, g in groups.items()} == {"at_risk": 1, "on_track": 2, "done": 1}


def test_missing_key_in_mapping_is_an_error(judged):
    with pytest.raises(KeyError):
        rollup(judged, {"A": "x"})


def test_empty_key_collection_means_no_group(judged):
    groups = rollup(judged, lambda j: () if j.key == "C" else "plan")
    assert groups["plan"].total == 3


def test_instructions():
    facts = [
        instruction("I1"),
        instruction("I2", executed_on="2025-06-10"),
        instruction("I3", due="2025-06-05"),
    ]
    s = summarise(judge_instructions(facts, D("2025-06-20")))
    assert s.counts[InstructionStatus.EXECUTED] == 1
    assert s.counts[InstructionStatus.OVERDUE] == 1
    assert s.counts[InstructionStatus.AT_RISK] == 0 and s.counts[InstructionStatus.OPEN] == 1
    assert s.progress is None and s.worst_confidence is None


def test_measures_and_instructions_do_not_mix(judged):
    with pytest.raises(TypeError):
        summarise([*judged, *judge_instructions([instruction()], AS_OF)])


def test_empty():
    s = summarise([])
    assert s.total == 0 and s.progress is None and s.worst_confidence is None
    assert all(n == 0 for n in s.counts.values())
    assert rollup([], lambda j: j.key) == {}


@PROPERTY
@given(measure_batches(), st.lists(st.sampled_from(["north", "south", "east"]), max_size=3), st.data())
def test_counts_add_up(facts, _, data):
    judged = judge_measures(facts, D("2025-06-30"))
    memberships = {
        j.key: tuple(data.draw(st.lists(st.sampled_from(["north", "south", "east"]), max_size=3)))
        for j in judged
    }
    groups = rollup(judged, memberships)
    for summary in groups.values():
        assert sum(summary.counts.values()) == summary.total
        assert summary.known + summary.unknown == summary.total
        assert summary.progress is None or 0.0 <= summary.progress <= 100.0
        assert 0.0 <= summary.unknown_weight_share <= 1.0
    assert sum(g.total for g in groups.values()) == sum(len(set(keys)) for keys in memberships.values())
    overall = summarise(judged)
    assert sum(overall.counts.values()) == overall.total == len(facts)
    assert set(overall.counts) == set(MeasureStatus)


def test_zero_weight_items_count_in_status_but_not_in_progress():
    facts = [
        measure("A", reports={"2025-06-01": 40}, weight=0),
        measure("B", reports={"2025-06-01": 80}, weight=2),
    ]
    judged = judge_measures(facts, AS_OF)
    s = summarise(judged)
    assert s.total == 2 and sum(s.counts.values()) == 2
    assert s.progress == pytest.approx(80)


def test_a_group_whose_weights_are_all_zero_has_no_weighted_progress():
    s = summarise(judge_measures([measure("A", reports={"2025-06-01": 40}, weight=0)], AS_OF))
    assert s.total == 1 and s.progress is None and s.unknown_weight_share is None
