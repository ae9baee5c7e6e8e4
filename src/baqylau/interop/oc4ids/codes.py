"""OC4IDS 0.9.5 codes as Baqylau uses them, and the mappings between our words and theirs.

Documented in docs/interop.md ("OC4IDS 0.9.5"). Codes are those of the bundled codelists
(projectSector, projectStatus, projectType, partyRole, metricID, milestoneType, milestoneCode,
milestoneStatus); where no code fits, an open codelist is extended with a camelCase code, as the
standard allows (``coExecutor``, ``capacity``).
"""

from __future__ import annotations

import datetime as dt

PACKAGE_VERSION = "0.9"  # the package's "version" is major.minor
LANGUAGE = "en"
CURRENCY = "KZT"
COUNTRY_NAME = "Kazakhstan"

SCHEME_FACILITY = "baqylau-facility"
SCHEME_MEASURE = "baqylau-measure"
SCHEME_PLAN = "baqylau-plan"
SCHEME_KIND = "baqylau-facility-kind"
SCHEME_SPHERE = "baqylau-sphere"
SCHEME_TERRITORY = "baqylau-territory"
SCHEME_AGENCY_KIND = "baqylau-agency-kind"
EXTENSION = "baqylau"  # a project's extension object: facts OC4IDS has no field for

# Ids within one array must be unique (OCDS merges array items by id, and the data review tool checks it):
# a facility, its measure and its plan may share a code, and so may a sphere and a facility kind
# ("housing"). So the ids of identifiers and classifications say what they name: "measure/W-01". A code
# never contains "/" (core/codes.py), so the prefix comes off unambiguously.
ID_PREFIX = {
    SCHEME_FACILITY: "facility/",
    SCHEME_MEASURE: "measure/",
    SCHEME_PLAN: "plan/",
    SCHEME_KIND: "facility-kind/",
    SCHEME_SPHERE: "sphere/",
}


def scheme_id(scheme: str, code: str) -> str:
    return ID_PREFIX[scheme] + code


def code_of(scheme: str, ident: str) -> str:
    """The code in an id written by ``scheme_id`` (an export before the prefixes carries the bare code)."""
    prefix = ID_PREFIX.get(scheme, "")
    return ident[len(prefix) :] if prefix and ident.startswith(prefix) else ident


ROLE_LEAD = "publicAuthority"
ROLE_CO = "coExecutor"  # open partyRole codelist extended: a co-executor of the measure

METRIC_CAPACITY = "capacity"  # open metricID codelist extended: the facility's capacity
METRIC_PROGRESS = "physicalProgress"
INDICATOR_METRIC_PREFIX = "indicator/"
INSTRUCTION_MILESTONE_PREFIX = "instruction/"
MILESTONE_COMMISSIONING = "commissioning"
PERCENT_UNIT = {"name": "percent", "id": "P1", "scheme": "UNCEFACT"}

# Facility kinds -> projectSector codes.
KIND_TO_SECTOR = {
    "desalination": ["waterAndWaste"],
    "water_pipeline": ["waterAndWaste"],
    "wastewater": ["waterAndWaste"],
    "heat_network": ["energy"],
    "school": ["education"],
    "college": ["education"],
    "hostel": ["education"],
    "housing": ["socialHousing"],
    "hospital": ["health"],
    "landfill": ["waterAndWaste"],
    "reclamation": ["naturalResources"],
    "road": ["transport", "transport.road"],
    "industrial": ["economy"],
}
# projectSector -> facility kind, where one kind is the clear reading (else "other").
SECTOR_TO_KIND = {
    "education": "school",
    "health": "hospital",
    "socialHousing": "housing",
    "transport.road": "road",
    "naturalResources": "reclamation",
    "economy": "industrial",
}
# projectSector -> our sphere, for a measure created from a project that names no sphere of ours.
SECTOR_TO_SPHERE = {
    "waterAndWaste": "water",
    "energy": "heat",
    "socialHousing": "housing",
    "education": "education",
    "health": "health",
    "transport": "roads",
    "transport.road": "roads",
    "communications": "internet",
    "naturalResources": "environment",
    "economy": "economy",
}
# Agency kinds, recorded as a party classification so they survive a round trip.
AGENCY_KINDS = ("ministry", "akimat", "state_company", "company", "other")


def project_status(*, start: dt.date | None, completed_on: dt.date | None, as_of: dt.date) -> str:
    """The OC4IDS projectStatus of a facility's project on ``as_of``.

    * ``completion``: the facility is commissioned, or its measure is complete (an accepted 100%
      report), on or before ``as_of``: the asset is handed over; Baqylau does not follow maintenance;
    * ``preparation``: the measure's start is after ``as_of`` (the plan has decided on it: identification
      is behind it);
    * ``implementation``: otherwise.
    """
    if completed_on is not None and completed_on <= as_of:
        return "completion"
    if start is not None and start > as_of:
        return "preparation"
    return "implementation"


def project_type(kind: str, baseline, target) -> str:
    """The projectType: replacement of a heat network, rehabilitation of land (reclamation, landfills),
    expansion when there was capacity before, else construction of a new asset."""
    if kind == "heat_network":
        return "replacement"
    if kind in ("reclamation", "landfill"):
        return "rehabilitation"
    if baseline is not None and baseline > 0:
        return "expansion"
    return "construction"


def milestone_status(*, due: dt.date | None, met: dt.date | None, as_of: dt.date) -> str:
    """``met`` when met on or before ``as_of``; ``notMet`` when its due date has passed; else
    ``scheduled``."""
    if met is not None and met <= as_of:
        return "met"
    if due is not None and due < as_of:
        return "notMet"
    return "scheduled"
