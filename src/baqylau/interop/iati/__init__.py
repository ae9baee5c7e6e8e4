"""IATI Activity Standard 2.03: export a plan's measures, import activities as measures.

Public API::

    export_plans(plans, *, org=None, as_of=None, generated=None) -> bytes
    import_iati(data, *, plan_code=None, region_code=None, plan_title=None) -> IatiImport
    validate_bytes(data) -> lxml tree  (raises IatiRefused)
    ReportingOrg, IatiRefused, activity_status, completion_date

See docs/interop.md ("IATI 2.03") for the mapping and the choices behind it.
"""

from .codes import activity_status, completion_date
from .export import ReportingOrg, export_plans
from .importer import IatiImport, import_iati
from .schema import IatiRefused, validate_bytes

__all__ = [
    "IatiImport",
    "IatiRefused",
    "ReportingOrg",
    "activity_status",
    "completion_date",
    "export_plans",
    "import_iati",
    "validate_bytes",
]
