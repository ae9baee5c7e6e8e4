"""Шаблоны объяснений на русском языке."""

DECIMAL = ","


def days(n: int) -> str:
    """41 день, 42 дня, 45 дней, 11 дней."""
    tail = abs(n) % 100
    if 11 <= tail <= 14:
        word = "дней"
    elif tail % 10 == 1:
        word = "день"
    elif 2 <= tail % 10 <= 4:
        word = "дня"
    else:
        word = "дней"
    return f"{n} {word}"


def times(n: int) -> str:
    """1 раз, 2 раза, 5 раз, 12 раз."""
    tail = abs(n) % 100
    word = "раза" if 2 <= tail % 10 <= 4 and not 12 <= tail <= 14 else "раз"
    return f"{n} {word}"


def points(text: str, value: float) -> str:
    return f"{text} п. п."  # процентных пункта(ов): the abbreviation needs no plural


LIKELIHOOD_BANDS = (
    "почти наверняка в срок",
    "скорее всего в срок",
    "с равной вероятностью в срок или с опозданием",
    "скорее всего с опозданием",
    "почти наверняка с опозданием",
)
STOOD = (
    "без отчёта",
    "по плану или с опережением",
    "с отставанием до 10 п. п.",
    "с отставанием на 10–25 п. п.",
    "с отставанием более 25 п. п.",
)

STATUS = {
    "measure.done": "выполнено",
    "measure.not_started": "не начато",
    "measure.on_track": "в графике",
    "measure.at_risk": "под угрозой",
    "measure.late": "просрочено",
    "instruction.executed": "исполнено",
    "instruction.open": "на исполнении",
    "instruction.at_risk": "под угрозой срыва срока",
    "instruction.overdue": "просрочено",
    "instruction.withdrawn": "отозвано",
    "instruction.not_issued": "ещё не дано",
}

REASONS = {
    # мероприятия
    "done": "завершено {finished_on}",
    "done_late": "завершено {finished_on}, на {slip_days:days} позже срока",
    "not_started": "начало {start}",
    "overdue": "срок {due} истёк {days:days} назад",
    "against_plan": "выполнено {progress:pct} при плане {planned:pct} на {as_of}",
    "behind_plan": (
        "выполнено {progress:pct} при плане {planned:pct} на {as_of}, "
        "отставание {behind:pp} (допуск {tolerance:pp})"
    ),
    "progress_only": "выполнено {progress:pct} на {as_of} (плановой траектории до срока нет)",
    "no_report": "принятых отчётов о ходе исполнения ещё нет",
    "planned_only": "по плану на {as_of} — {planned:pct}",
    "no_child_reported": "ни одно из вложенных мероприятий ещё не отчиталось (0 из {total})",
    "rolled_up_all": "прогресс сведён по всем {total} вложенным мероприятиям",
    "rolled_up_partial": (
        "прогресс сведён по {known} из {total} вложенных мероприятий; "
        "остальные не отчитались ({unknown_weight_pct:pct} веса)"
    ),
    "forecast_late": "прогноз завершения {forecast_finish}, на {slip_days:days} позже срока",
    "forecast_on_time": "прогноз завершения {forecast_finish}, не позже срока {due}",
    "forecast_not_increasing": (
        "по последним {points} отчётам прогресс не растёт, дату завершения спрогнозировать нельзя"
    ),
    "forecast_too_few": "недостаточно отчётов для прогноза ({count} из {needed} необходимых)",
    "forecast_one_day": "все отчёты окна прогноза ({points}) датированы одним днём, тренд построить нельзя",
    "forecast_too_slow": "темп слишком низкий, дату завершения спрогнозировать нельзя",
    "forecast_child_missing": (
        "не у всех незавершённых вложенных мероприятий есть прогноз, поэтому нет и общего прогноза"
    ),
    "stale": (
        "принятых отчётов нет уже {days:days}, последний — {last_report_on} "
        "(интервал отчётности {interval:days})"
    ),
    "never_reported": (
        "с начала {start} ({days:days} назад) нет ни одного принятого отчёта "
        "(интервал отчётности {interval:days})"
    ),
    # целевые результаты
    "outcome_met_water_provision": (
        "по модели водного баланса все зоны обеспечены питьевой водой не менее чем на 100% с {met_on} "
        "по {through}"
    ),
    "outcome_short_water_provision": (
        "по модели водного баланса в зоне {zone_name} не хватает {shortfall:num} м³/сут питьевой воды "
        "в {month} (обеспеченность {provision:pct}); месяцев с дефицитом по зонам до {through}: "
        "{short_months}"
    ),
    "outcome_met_indicator": "показатель «{indicator}» достиг цели {target:num} {unit} {met_on}",
    "outcome_short_indicator": (
        "показатель «{indicator}»: {actual:num} {unit} ({actual_on}) при цели {target:num} {unit}"
    ),
    "outcome_short_indicator_unknown": (
        "показатель «{indicator}»: фактических данных ещё нет; цель {target:num} {unit}"
    ),
    "outcome_indicator_no_target": (
        "показатель «{indicator}»: цель не задана, результат не может быть достигнут"
    ),
    "outcome_children": "вложенные меры выполнены на {progress:pct} (их {total})",
    # вероятность исполнения (референтные классы)
    "likelihood_sphere_agency": (
        "{band:band} ({probability:pct}): из {n} мер сферы «{sphere}» под руководством «{agency}», которые "
        "на этом этапе срока шли {stood:stood}, в срок завершены {on_time}; ожидаемое завершение "
        "с {low} по {high} (80%)"
    ),
    "likelihood_sphere": (
        "{band:band} ({probability:pct}): из {n} мер сферы «{sphere}», которые на этом этапе срока шли "
        "{stood:stood}, в срок завершены {on_time}; ожидаемое завершение с {low} по {high} (80%)"
    ),
    "likelihood_plan": (
        "{band:band} ({probability:pct}): из {n} мер плана, которые на этом этапе срока шли {stood:stood}, "
        "в срок завершены {on_time}; ожидаемое завершение с {low} по {high} (80%)"
    ),
    "likelihood_prior": (
        "{band:band} ({probability:pct}): мер плана, шедших {stood:stood}, с истёкшим сроком слишком мало, "
        "поэтому взята документированная априорная оценка; ожидаемое завершение с {low} по {high} (80%)"
    ),
    "likelihood_late": ("срок прошёл: из {n} мер, опоздавших не меньше, 80% завершены между {low} и {high}"),
    "likelihood_late_few": (
        "срок прошёл: мер, опоздавших так же, слишком мало; принято завершение между {low} и {high}"
    ),
    # поручения
    "not_issued": "поручение дано только {issued_on}",
    "executed": "исполнено {executed_on}",
    "executed_late": "исполнено {executed_on}, на {days:days} позже срока",
    "withdrawn": "отозвано {withdrawn_on}",
    "due_in": "срок исполнения {due}, осталось {days:days}",
    "due_soon": "срок исполнения {due}, осталось всего {days:days} (порог предупреждения {near:days})",
    "due_today": "срок исполнения сегодня, {due}",
    "instruction_overdue": "срок исполнения {due} истёк {days:days} назад",
    "last_report": "последний принятый отчёт {last_report_on}, {days:days} назад",
    "no_report_yet": "принятых отчётов ещё нет",
    "executed_after_extension": (
        "исполнено {executed_on}, в продлённый срок, но на {days:days} позже первоначального"
    ),
    "extended": "первоначальный срок {original_due}, продлён {times:times}",
    "children_open": "не исполнено подпоручений: {count:num}",
}
