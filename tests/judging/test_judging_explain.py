"""Explanations: every status in en, ru and kk, with the key numbers in them."""

from __future__ import annotations

import string

import pytest
from hypothesis import given

from baqylau.judging import (
    LANGUAGES,
    InstructionStatus,
    MeasureStatus,
    explain,
    judge_instruction,
    judge_measure,
    judge_measures,
)
from baqylau.judging.explain import number
from baqylau.judging.lang import ru

from .factories import PROPERTY, D, instruction, measure, measure_batches

AS_OF = D("2025-06-30")

# status -> (facts, the numbers and dates every language must mention)
MEASURE_CASES = {
    MeasureStatus.DONE: (measure(due="2025-06-01", completed_on="2025-06-10"), ["2025-06-10", "9"]),
    MeasureStatus.NOT_STARTED: (measure(start="2025-09-01"), ["2025-09-01"]),
    MeasureStatus.ON_TRACK: (
        measure(reports={"2025-03-01": 30, "2025-06-01": 60}),
        ["60%", "2025-06-30", "2025-10-02"],
    ),
    MeasureStatus.AT_RISK: (
        measure(due="2025-10-28", reports={"2025-04-01": 24, "2025-06-30": 42}),
        ["42%", "60%", "2025-06-30", "18", "2026-04-16", "170"],
    ),
    MeasureStatus.LATE: (
        measure(due="2025-06-20", reports={"2025-05-01": 70, "2025-06-01": 80}),
        ["2025-06-20", "10", "80%", "100%"],
    ),
}

INSTRUCTION_CASES = {
    InstructionStatus.EXECUTED: (instruction(executed_on="2025-06-20"), ["2025-06-20"]),
    InstructionStatus.OPEN: (
        instruction(due="2025-07-30", last_report="2025-06-25"),
        ["2025-07-30", "30", "5"],
    ),
    InstructionStatus.AT_RISK: (instruction(due="2025-07-03"), ["2025-07-03", "3", "7"]),
    InstructionStatus.OVERDUE: (instruction(due="2025-06-25"), ["2025-06-25", "5"]),
    InstructionStatus.WITHDRAWN: (instruction(withdrawn_on="2025-06-15"), ["2025-06-15"]),
    InstructionStatus.NOT_ISSUED: (instruction(issued_on="2025-07-01", due="2025-07-30"), ["2025-07-01"]),
}


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
@pytest.mark.parametrize("status", list(MeasureStatus))
def test_every_measure_status_explains_itself(status, lang):
    facts, numbers = MEASURE_CASES[status]
    j = judge_measure(facts, AS_OF)
    assert j.status == status
    text = explain(j, lang)
    assert text.startswith(LANGUAGES[lang].STATUS[f"measure.{status}"] + ": ")
    for figure in numbers:
        assert figure in text, (figure, text)


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
@pytest.mark.parametrize("status", list(InstructionStatus))
def test_every_instruction_status_explains_itself(status, lang):
    facts, numbers = INSTRUCTION_CASES[status]
    j = judge_instruction(facts, AS_OF)
    assert j.status == status
    text = explain(j, lang)
    assert text.startswith(LANGUAGES[lang].STATUS[f"instruction.{status}"] + ": ")
    for figure in numbers:
        assert figure in text, (figure, text)


def test_the_at_risk_sentence_in_full():
    j = judge_measure(MEASURE_CASES[MeasureStatus.AT_RISK][0], AS_OF)
    assert explain(j, "en") == (
        "at risk: 42% done against 60% planned on 2025-06-30, 18 percentage points behind "
        "(tolerance 10 percentage points); forecast finish 2026-04-16, 170 days after the due date"
    )
    assert explain(j, "ru") == (
        "под угрозой: выполнено 42% при плане 60% на 2025-06-30, отставание 18 п. п. (допуск 10 п. п.); "
        "прогноз завершения 2026-04-16, на 170 дней позже срока"
    )
    assert explain(j, "kk") == (
        "тәуекел бар: орындалғаны 42%, 2025-06-30 күнгі жоспар 60%, артта қалу 18 пайыздық тармақ "
        "(рұқсат етілген ауытқу 10 пайыздық тармақ); болжамды аяқталу күні 2026-04-16, мерзімнен 170 күн кеш"
    )


def test_reasons_are_structured():
    j = judge_measure(MEASURE_CASES[MeasureStatus.AT_RISK][0], AS_OF)
    behind, forecast = j.reasons
    assert behind.code == "behind_plan"
    assert behind.params["progress"] == 42.0 and behind.params["planned"] == 60.0
    assert forecast.code == "forecast_late" and forecast.params["slip_days"] == 170


def test_unknown_language_falls_back_to_english():
    j = judge_measure(MEASURE_CASES[MeasureStatus.AT_RISK][0], AS_OF)
    assert explain(j, "fr") == explain(j, "en")
    assert explain(j, "") == explain(j, "en")
    assert explain(j, "ru-RU") == explain(j, "ru")
    assert explain(j, "KK_kz") == explain(j, "kk")


def test_every_language_has_every_template_with_the_same_fields():
    english = LANGUAGES["en"]
    for code, module in LANGUAGES.items():
        assert module.STATUS.keys() == english.STATUS.keys(), code
        assert module.REASONS.keys() == english.REASONS.keys(), code
        for key, template in module.REASONS.items():
            assert _fields(template) == _fields(english.REASONS[key]), (code, key)


def _fields(template: str) -> set[tuple[str, str]]:
    return {(name, spec) for _, name, spec, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "1 день"),
        (2, "2 дня"),
        (5, "5 дней"),
        (11, "11 дней"),
        (14, "14 дней"),
        (21, "21 день"),
        (22, "22 дня"),
        (111, "111 дней"),
        (0, "0 дней"),
    ],
)
def test_russian_days(n, text):
    assert ru.days(n) == text


def test_numbers_are_plain():
    assert number(42.0) == "42"
    assert number(49.4505) == "49.5"
    assert number(49.4505, ",") == "49,5"
    assert number(-0.01) == "0"


@PROPERTY
@given(measure_batches())
def test_any_judgement_explains_itself_in_every_language(facts):
    for j in judge_measures(facts, AS_OF):
        for lang in LANGUAGES:
            text = explain(j, lang)
            assert text and "{" not in text and "None" not in text
