"""Judging instructions under control: extensions measured from the original deadline, delegation trees."""

from datetime import date as D

from baqylau.judging import (
    InstructionFacts,
    explain,
    judge_instruction,
    judge_instructions,
    roll_up_delegation,
)


def facts(key="I", issued=D(2024, 6, 14), due=D(2024, 8, 1), **kw):
    return InstructionFacts(key=key, issued_on=issued, due=due, **kw)


def test_an_overdue_extended_instruction_says_how_far_it_is_from_the_original():
    j = judge_instruction(facts(original_due=D(2024, 6, 21), extensions=2), D(2024, 8, 13))
    assert j.status == "overdue"
    assert explain(j, "en") == (
        "overdue: deadline 2024-08-01 passed 12 days ago; originally due 2024-06-21, extended twice; "
        "no accepted report yet"
    )
    assert "первоначальный срок 2024-06-21, продлён 2 раза" in explain(j, "ru")
    assert "бастапқы мерзімі 2024-06-21, 2 рет ұзартылды" in explain(j, "kk")


def test_an_instruction_never_extended_says_nothing_of_an_original():
    j = judge_instruction(facts(), D(2024, 8, 13))
    assert "original" not in explain(j, "en") and j.original_due == D(2024, 8, 1)


def test_executed_within_the_extension_is_on_time_only_after_it():
    j = judge_instruction(
        facts(original_due=D(2024, 6, 21), extensions=1, executed_on=D(2024, 7, 1)), D(2024, 7, 5)
    )
    assert j.status == "executed"
    assert explain(j, "en") == (
        "executed: executed on 2024-07-01, within the extended deadline but 10 days after the original; "
        "originally due 2024-06-21, extended once"
    )


def test_a_parent_is_executed_only_when_all_its_sub_instructions_are():
    tree = [
        facts("P", executed_on=D(2024, 7, 1)),
        facts("P.1", executed_on=D(2024, 7, 10)),
        facts("P.2"),
        facts("P.2.1", withdrawn_on=D(2024, 6, 20)),
    ]
    parent_of = {"P": None, "P.1": "P", "P.2": "P", "P.2.1": "P.2"}
    held = {f.key: f for f in roll_up_delegation(tree, parent_of, D(2024, 7, 20))}
    assert (held["P"].executed_on, held["P"].open_children) == (None, 1)  # P.2 is still open
    judged = {j.key: j for j in judge_instructions(held.values(), D(2024, 7, 20))}
    assert judged["P"].status == "open"  # not executed: judged by its deadline
    assert "1 sub-instructions not yet executed" in explain(judged["P"], "en")
    tree[2] = facts("P.2", executed_on=D(2024, 7, 15))
    done = {f.key: f for f in roll_up_delegation(tree, parent_of, D(2024, 7, 20))}
    assert (done["P"].executed_on, done["P"].open_children) == (D(2024, 7, 15), 0)  # the last child's day
    assert done["P.2"].executed_on == D(2024, 7, 15)  # its own child was withdrawn: not in the way


def test_a_child_executed_after_the_as_of_date_still_holds_the_parent():
    tree = [facts("P", executed_on=D(2024, 7, 1)), facts("P.1", executed_on=D(2024, 7, 30))]
    held = roll_up_delegation(tree, {"P": None, "P.1": "P"}, D(2024, 7, 20))
    assert held[0].executed_on is None and held[0].open_children == 1
