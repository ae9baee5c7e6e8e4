"""OC4IDS 0.9.5 (Open Contracting for Infrastructure Data Standards): facilities as projects.

Public API::

    export_package(plans, *, publisher=None, as_of=None, published=None) -> dict
    dumps(package) -> str
    import_oc4ids(data, *, plan_code) -> Oc4idsImport
    check(package) / schema_problems(package) / package_validator() / registry()
    Publisher, Oc4idsRefused, project_status

See docs/interop.md ("OC4IDS 0.9.5") for the mapping and the choices behind it.
"""

from .codes import project_status
from .export import Publisher, dumps, export_package
from .importer import Oc4idsImport, import_oc4ids
from .schema import Oc4idsRefused, check, package_validator, registry, schema_problems

__all__ = [
    "Oc4idsImport",
    "Oc4idsRefused",
    "Publisher",
    "check",
    "dumps",
    "export_package",
    "import_oc4ids",
    "package_validator",
    "project_status",
    "registry",
    "schema_problems",
]
