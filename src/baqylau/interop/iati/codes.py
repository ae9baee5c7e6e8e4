"""IATI 2.03 code lists as Baqylau uses them, and the small mappings between our words and theirs.

Every mapping here is documented in docs/interop.md ("IATI 2.03"). Codes are those of the IATI
2.03 code lists (ActivityStatus, ActivityDateType, OrganisationRole, OrganisationType, RelatedActivityType,
SectorVocabulary, IndicatorVocabulary, IndicatorMeasure, ResultType, BudgetType, BudgetStatus,
GeographicLocationReach, GeographicExactness, GeographicLocationClass, ActivityScope, DescriptionType,
OtherIdentifierType) and of the OECD DAC 5-digit purpose codes.
"""

from __future__ import annotations

import datetime as dt

IATI_VERSION = "2.03"
EPSG_4326 = "http://www.opengis.net/def/crs/EPSG/0/4326"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Baqylau's own extension, for facts IATI has no element for (the schema allows namespaced extensions).
BQ_NS = "urn:baqylau:iati-extension:1"
BQ = f"{{{BQ_NS}}}"
LANGUAGES = ("en", "ru", "kk")  # base column, _ru, _kk
CURRENCY = "KZT"
COUNTRY = "KZ"

# ActivityStatus
STATUS_PIPELINE = "1"
STATUS_IMPLEMENTATION = "2"
STATUS_FINALISATION = "3"
STATUS_CLOSED = "4"

# ActivityDateType
DATE_START_PLANNED = "1"
DATE_START_ACTUAL = "2"
DATE_END_PLANNED = "3"
DATE_END_ACTUAL = "4"

# OrganisationRole
ROLE_FUNDING = "1"
ROLE_ACCOUNTABLE = "2"
ROLE_EXTENDING = "3"
ROLE_IMPLEMENTING = "4"

# RelatedActivityType
RELATED_PARENT = "1"
RELATED_CHILD = "2"

# SectorVocabulary / IndicatorVocabulary
VOCABULARY_DAC5 = "1"
VOCABULARY_REPORTING_ORG = "99"

# OtherIdentifierType: the reporting organisation's internal activity identifier
OTHER_ID_INTERNAL = "A1"

# DescriptionType
DESCRIPTION_GENERAL = "1"
DESCRIPTION_OBJECTIVES = "2"

# IndicatorMeasure
MEASURE_UNIT = "1"
MEASURE_PERCENTAGE = "2"

# ResultType: our indicators count what a measure delivers (km replaced, schools built), so Output.
RESULT_OUTPUT = "1"

# BudgetType original, BudgetStatus indicative: the plan's budget is a planned amount.
BUDGET_ORIGINAL = "1"
BUDGET_REVISED = "2"
BUDGET_INDICATIVE = "1"

# Geography
REACH_ACTIVITY = "1"
EXACTNESS_EXACT = "1"
EXACTNESS_APPROXIMATE = "2"
LOCATION_CLASS_ADMIN = "1"
LOCATION_CLASS_STRUCTURE = "3"
SCOPE_SINGLE_FIRST_LEVEL = "6"
SCOPE_SINGLE_SECOND_LEVEL = "7"
FACILITY_LOCATION_PREFIX = "facility/"

# Our spheres -> OECD DAC 5-digit purpose codes (SectorVocabulary 1). Unknown spheres: multisector aid.
SPHERE_TO_DAC = {
    "water": "14020",  # Water supply and sanitation - large systems
    "heat": "23620",  # District heating and cooling
    "economy": "25010",  # Business policy and administration
    "food": "32161",  # Agro-industries
    "internet": "22040",  # Information and communication technology (ICT)
    "environment": "41010",  # Environmental policy and administrative management
    "roads": "21020",  # Road transport
    "housing": "16040",  # Low-cost housing
    "education": "11120",  # Education facilities and training
    "health": "12230",  # Basic health infrastructure
    "industry": "32120",  # Industrial development
}
DAC_FALLBACK = "43010"  # Multisector aid
DAC_TO_SPHERE = {dac: sphere for sphere, dac in SPHERE_TO_DAC.items()}

# Agency kinds -> IATI OrganisationType, and back.
AGENCY_KIND_TO_ORG_TYPE = {
    "ministry": "10",  # Government
    "akimat": "11",  # Local Government
    "state_company": "15",  # Other Public Sector
    "company": "70",  # Private Sector
    "other": "90",  # Other
}
ORG_TYPE_TO_AGENCY_KIND = {
    "10": "ministry",
    "11": "akimat",
    "15": "state_company",
    "70": "company",
    "71": "company",
    "72": "company",
    "73": "company",
}

# Territory kinds -> GeoNames feature designation (first-order, second-order admin division, place).
TERRITORY_FEATURE = {"region": "ADM1", "city": "ADM2", "district": "ADM2", "settlement": "PPL"}


def activity_status(
    *,
    start: dt.date | None,
    completed_on: dt.date | None,
    plan_end: dt.date,
    as_of: dt.date,
) -> str:
    """The IATI ActivityStatus of a measure on ``as_of``.

    * complete (``completed_on`` on or before ``as_of``): 3 *Finalisation* while the plan still runs,
      since the project office keeps watching the outcome; 4 *Closed* once the plan's period has ended;
    * not complete and its start is after ``as_of``: 1 *Pipeline/identification*;
    * otherwise: 2 *Implementation* (a measure past its due date is still being implemented: late,
      which IATI has no status for).

    ``completed_on`` is computed by :func:`completion_date`.
    """
    if completed_on is not None and completed_on <= as_of:
        return STATUS_CLOSED if as_of > plan_end else STATUS_FINALISATION
    if start is not None and start > as_of:
        return STATUS_PIPELINE
    return STATUS_IMPLEMENTATION


def completion_date(
    *, full_reports: list[dt.date], commissioned: list[dt.date | None], as_of: dt.date
) -> dt.date | None:
    """When a measure was physically complete, as far as ``as_of`` knows, or ``None``.

    Complete means an accepted report with 100% progress, or every one of its facilities (at least one)
    commissioned. The earlier of the two dates counts. ``full_reports`` are the period ends of accepted
    100% reports; ``commissioned`` the actual commissioning date of each facility (``None``: not yet).
    """
    dates = [d for d in full_reports if d <= as_of]
    if commissioned and all(d is not None and d <= as_of for d in commissioned):
        dates.append(max(commissioned))
    return min(dates) if dates else None
