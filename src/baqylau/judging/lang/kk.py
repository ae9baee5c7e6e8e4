"""Түсіндірме үлгілері қазақ тілінде."""

DECIMAL = ","


def days(n: int) -> str:
    return f"{n} күн"  # a numeral takes the singular in Kazakh


def times(n: int) -> str:
    return f"{n} рет"


def points(text: str, value: float) -> str:
    return f"{text} пайыздық тармақ"


LIKELIHOOD_BANDS = (
    "мерзімінде орындалуы әбден ықтимал",
    "мерзімінде орындалуы ықтимал",
    "мерзімінде де, кешігіп те орындалуы бірдей ықтимал",
    "кешігуі ықтимал",
    "кешігуі әбден ықтимал",
)
STOOD = (
    "есепсіз",
    "жоспар бойынша немесе озып",
    "жоспардан 10 п. т.-ға дейін қалып",
    "жоспардан 10–25 п. т. қалып",
    "жоспардан 25 п. т.-дан астам қалып",
)

STATUS = {
    "measure.done": "орындалды",
    "measure.not_started": "басталмаған",
    "measure.on_track": "кестеге сай",
    "measure.at_risk": "тәуекел бар",
    "measure.late": "мерзімі өтті",
    "instruction.executed": "орындалды",
    "instruction.open": "орындалуда",
    "instruction.at_risk": "мерзімі өту қаупі бар",
    "instruction.overdue": "мерзімі өтті",
    "instruction.withdrawn": "кері қайтарып алынды",
    "instruction.not_issued": "әлі берілмеген",
}

REASONS = {
    # іс-шаралар
    "done": "{finished_on} аяқталды",
    "done_late": "{finished_on} аяқталды, мерзімнен {slip_days:days} кеш",
    "not_started": "басталуы {start}",
    "overdue": "{due} мерзімі {days:days} бұрын өтті",
    "against_plan": "орындалғаны {progress:pct}, {as_of} күнгі жоспар {planned:pct}",
    "behind_plan": (
        "орындалғаны {progress:pct}, {as_of} күнгі жоспар {planned:pct}, "
        "артта қалу {behind:pp} (рұқсат етілген ауытқу {tolerance:pp})"
    ),
    "progress_only": "{as_of} күні орындалғаны {progress:pct} (мерзімге дейін жоспарлы кесте жоқ)",
    "no_report": "орындалу барысы туралы қабылданған есеп әлі жоқ",
    "planned_only": "{as_of} күнгі жоспар {planned:pct}",
    "no_child_reported": "құрамдас іс-шаралардың ешқайсысы әлі есеп бермеген ({total} ішінен 0)",
    "rolled_up_all": "орындалу деңгейі барлық {total} құрамдас іс-шара бойынша есептелді",
    "rolled_up_partial": (
        "орындалу деңгейі {total} құрамдас іс-шараның {known} іс-шарасы бойынша есептелді; "
        "қалғандары есеп бермеген (салмақтың {unknown_weight_pct:pct})"
    ),
    "forecast_late": "болжамды аяқталу күні {forecast_finish}, мерзімнен {slip_days:days} кеш",
    "forecast_on_time": "болжамды аяқталу күні {forecast_finish}, {due} мерзімінен кешікпейді",
    "forecast_not_increasing": (
        "соңғы {points} есепте ілгерілеу жоқ, сондықтан аяқталу күнін болжау мүмкін емес"
    ),
    "forecast_too_few": "болжам жасауға есептер жеткіліксіз ({needed} қажет, бары {count})",
    "forecast_one_day": "соңғы {points} есептің бәрі бір күнмен белгіленген, үрдісті анықтау мүмкін емес",
    "forecast_too_slow": "қарқын тым баяу, аяқталу күнін болжау мүмкін емес",
    "forecast_child_missing": (
        "аяқталмаған құрамдас іс-шаралардың кейбірінде болжам жоқ, сондықтан жалпы болжам да жоқ"
    ),
    "stale": (
        "{days:days} бойы қабылданған есеп жоқ, соңғысы {last_report_on} (есеп беру аралығы {interval:days})"
    ),
    "never_reported": (
        "{start} басталғаннан бері ({days:days}) бірде-бір есеп қабылданбаған "
        "(есеп беру аралығы {interval:days})"
    ),
    # нысаналы нәтижелер
    "outcome_met_water_provision": (
        "су балансы моделі бойынша барлық аймақ {met_on} бастап {through} дейін ауыз сумен кемінде 100% "
        "қамтамасыз етілген"
    ),
    "outcome_short_water_provision": (
        "су балансы моделі бойынша {zone_name} аймағына {month} айында тәулігіне {shortfall:num} м³ ауыз су "
        "жетпейді (қамтамасыз ету {provision:pct}); {through} дейін тапшылығы бар аймақ-айлар: {short_months}"
    ),
    "outcome_met_indicator": "«{indicator}» көрсеткіші {met_on} {target:num} {unit} нысанаға жетті",
    "outcome_short_indicator": (
        "«{indicator}» көрсеткіші: {actual:num} {unit} ({actual_on}), нысана {target:num} {unit}"
    ),
    "outcome_short_indicator_unknown": (
        "«{indicator}» көрсеткіші: нақты деректер әлі жоқ; нысана {target:num} {unit}"
    ),
    "outcome_indicator_no_target": (
        "«{indicator}» көрсеткіші: нысана белгіленбеген, нәтижеге жету мүмкін емес"
    ),
    "outcome_children": "ішкі шаралар {progress:pct} орындалды (барлығы {total})",
    # орындалу ықтималдығы (референттік сыныптар)
    "likelihood_sphere_agency": (
        "{band:band} ({probability:pct}): «{sphere}» саласындағы «{agency}» басқаратын, мерзімінің осы "
        "кезеңінде {stood:stood} жүрген {n} шараның {on_time} шарасы мерзімінде аяқталды; күтілетін "
        "аяқталу {low} – {high} (80%)"
    ),
    "likelihood_sphere": (
        "{band:band} ({probability:pct}): «{sphere}» саласындағы, мерзімінің осы кезеңінде {stood:stood} "
        "жүрген {n} шараның {on_time} шарасы мерзімінде аяқталды; күтілетін аяқталу {low} – {high} (80%)"
    ),
    "likelihood_plan": (
        "{band:band} ({probability:pct}): жоспардың мерзімінің осы кезеңінде {stood:stood} жүрген {n} "
        "шарасының {on_time} шарасы мерзімінде аяқталды; күтілетін аяқталу {low} – {high} (80%)"
    ),
    "likelihood_prior": (
        "{band:band} ({probability:pct}): {stood:stood} жүрген, мерзімі өткен шаралар үйренуге тым аз, "
        "сондықтан құжатталған априорлық бағалау қолданылды; күтілетін аяқталу {low} – {high} (80%)"
    ),
    "likelihood_late": (
        "мерзімі өтті: кемінде осынша кешіккен {n} шараның 80%-ы {low} мен {high} аралығында аяқталды"
    ),
    "likelihood_late_few": (
        "мерзімі өтті: осынша кешіккен шаралар тым аз; аяқталу {low} – {high} аралығында деп алынды"
    ),
    # тапсырмалар
    "not_issued": "тапсырма тек {issued_on} берілді",
    "executed": "{executed_on} орындалды",
    "executed_late": "{executed_on} орындалды, мерзімнен {days:days} кеш",
    "withdrawn": "{withdrawn_on} кері қайтарып алынды",
    "due_in": "орындау мерзімі {due}, {days:days} қалды",
    "due_soon": "орындау мерзімі {due}, небәрі {days:days} қалды (ескерту шегі {near:days})",
    "due_today": "орындау мерзімі бүгін, {due}",
    "instruction_overdue": "{due} орындау мерзімі {days:days} бұрын өтті",
    "last_report": "соңғы қабылданған есеп {last_report_on}, {days:days} бұрын",
    "no_report_yet": "қабылданған есеп әлі жоқ",
    "executed_after_extension": (
        "{executed_on} орындалды, ұзартылған мерзімде, бірақ бастапқы мерзімнен {days:days} кеш"
    ),
    "extended": "бастапқы мерзімі {original_due}, {times:times} ұзартылды",
    "children_open": "орындалмаған қосалқы тапсырмалар: {count:num}",
}
