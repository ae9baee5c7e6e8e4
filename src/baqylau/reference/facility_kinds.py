"""The facility kinds every deployment starts with (the office adds its own in the admin or a workbook).

Loaded by the migration that made kinds a reference list, and by the demo loader (a test database that
was flushed has none). Names in English, Russian and Kazakh: code, name, name_ru, name_kk.
"""

OTHER = "other"

DEFAULT_KINDS = (
    ("desalination", "desalination plant", "опреснительный завод", "тұщыландыру зауыты"),
    ("water_pipeline", "water pipeline", "водовод", "су құбыры"),
    ("wastewater", "wastewater treatment", "очистные сооружения", "тазарту құрылыстары"),
    ("heat_network", "heat network", "тепловые сети", "жылу желілері"),
    ("school", "school", "школа", "мектеп"),
    ("college", "college", "колледж", "колледж"),
    ("hostel", "hostel", "общежитие", "жатақхана"),
    ("housing", "housing", "жильё", "тұрғын үй"),
    ("hospital", "hospital", "больница", "аурухана"),
    ("landfill", "landfill", "полигон ТБО", "ҚТҚ полигоны"),
    ("reclamation", "land reclamation", "рекультивация земель", "жерді рекультивациялау"),
    ("road", "road", "автомобильная дорога", "автомобиль жолы"),
    ("industrial", "industrial plant", "промышленное предприятие", "өнеркәсіптік кәсіпорын"),
    (OTHER, "other", "прочее", "басқа"),
)


def default_kind(code: str):
    """The named default kind, created with its translations if the database lacks it."""
    from .models import FacilityKind

    names = next(
        ({"name": n, "name_ru": ru, "name_kk": kk} for c, n, ru, kk in DEFAULT_KINDS if c == code), {}
    )
    kind, _created = FacilityKind.objects.get_or_create(code=code, defaults=names or {"name": code})
    return kind
