"""Words the charts and the map show, in the active language (handed to the page's script as JSON)."""

from django.utils.translation import gettext as _


def chart_labels() -> dict[str, str]:
    return {
        "done": _("done"),
        "on_track": _("on track"),
        "at_risk": _("at risk"),
        "late": _("late"),
        "not_started": _("not started"),
        "unknown": _("unknown"),
        "weighted progress": _("weighted progress"),
        "demand": _("demand"),
        "supply": _("water available"),
        "supply (what-if)": _("water available (what-if)"),
        "baseline": _("baseline"),
        "target": _("target"),
        "actual": _("actual"),
        "m³/day": _("m³/day"),
        "planned": _("planned"),
        "accepted progress": _("accepted progress"),
        "forecast": _("forecast"),
        "due date": _("due date"),
        "as of": _("as of"),
        "date": _("date"),
        "progress, %": _("progress, %"),
        "finish expected (80%)": _("finish expected (80%)"),
        "planned (targets)": _("planned (targets)"),
        "month": _("month"),
        "measures": _("measures"),
    }
