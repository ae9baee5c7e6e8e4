"""Which fields of a measure each role edits: one policy for the edit page and the API.

The project office edits the plan's terms; an agency editor, on its own measures (accounts/rules.py),
only the facts of execution.
"""

OFFICE_FIELDS = [
    "title",
    "title_ru",
    "title_kk",
    "start",
    "due",
    "completion_form",
    "weight",
    "budget_planned_kzt",
    "budget_spent_kzt",
    "budget_source",
    "source",
    "estimate_note",
]
AGENCY_FIELDS = ["completion_form", "budget_spent_kzt", "budget_source"]


def editable_fields(user) -> list[str]:
    return OFFICE_FIELDS if user.has_perm("plans.add_measure") else AGENCY_FIELDS
