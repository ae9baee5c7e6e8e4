"""What the security tests share: a snapshot of the data, to show a refusal changed nothing."""

from baqylau.indicators.models import Actual, Indicator
from baqylau.instructions.models import DeadlineChange, Event, ExtensionRequest, Instruction
from baqylau.interop.models import WorkbookImportJob
from baqylau.notifications.models import Contact, Notification
from baqylau.plans.models import Facility, Measure, Plan
from baqylau.reference.models import Agency, Sphere, Territory
from baqylau.reports.models import Report, ReportAttachment

WATCHED = (Plan, Measure, Facility, Indicator, Actual, Event, Instruction, DeadlineChange, Report)
WATCHED += (ExtensionRequest, ReportAttachment)
WATCHED += (Agency, Sphere, Territory, Contact, Notification)
UNAUDITED = (WorkbookImportJob,)  # rows without an audit history


def snapshot() -> dict:
    """Every watched row with every value, and the history row counts: equal before and after = unchanged."""
    state = {}
    for model in WATCHED:
        state[model.__name__] = sorted(
            tuple(sorted((k, str(v)) for k, v in row.items())) for row in model.objects.values()
        )
        state[model.__name__ + ".history"] = model.history.count()
    for model in UNAUDITED:
        state[model.__name__] = sorted(
            tuple(sorted((k, str(v)) for k, v in r.items())) for r in model.objects.values()
        )
    return state
