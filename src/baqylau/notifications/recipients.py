"""Who is told about an item: its agencies' contacts and their staff's own contacts, and the office's.

A user's contact receives a message about an item only when the permission rules let that user see the
item (``accounts.rules.visible_*``): a reminder never reaches a user of another agency.
"""

from __future__ import annotations

from baqylau.accounts.rules import visible_instructions, visible_measures
from baqylau.instructions.models import Instruction
from baqylau.plans.models import Measure

from .models import Contact


def _sees(user, item) -> bool:
    if isinstance(item, Measure):
        return visible_measures(user, Measure.objects.filter(pk=item.pk)).exists()
    if isinstance(item, Instruction):
        return visible_instructions(user, Instruction.objects.filter(pk=item.pk)).exists()
    raise TypeError(f"no recipients for {type(item).__name__}")


def agency_recipients(item, agency_ids) -> list[Contact]:
    """The active contacts of the agencies ``agency_ids`` (their mailboxes) and of their staff who see
    ``item``, each address once."""
    agency_ids = set(agency_ids)
    if not agency_ids:
        return []
    found = list(Contact.objects.filter(active=True, agency_id__in=agency_ids).select_related("agency"))
    staff = Contact.objects.filter(
        active=True,
        user__is_active=True,
        user__profile__role="agency_editor",
        user__profile__agency_id__in=agency_ids,
    ).select_related("user", "user__profile")
    found += [c for c in staff if _sees(c.user, item)]
    return _once(found)


def office_recipients() -> list[Contact]:
    """The project office's mailboxes and its staff's own contacts."""
    mailboxes = Contact.objects.filter(active=True, agency__isnull=True, user__isnull=True)
    staff = Contact.objects.filter(active=True, user__is_active=True, user__profile__role="office")
    return _once([*mailboxes, *staff.select_related("user")])


def _once(contacts: list[Contact]) -> list[Contact]:
    seen, result = set(), []
    for contact in contacts:
        key = contact.email.lower()
        if key not in seen:
            seen.add(key)
            result.append(contact)
    return result


def item_agencies(item) -> set[int]:
    """The agencies responsible for an item: a measure's lead and co-executors, an instruction's executors."""
    if isinstance(item, Measure):
        return {item.lead_agency_id, *(a.pk for a in item.co_agencies.all())}
    return {a.pk for a in item.executors.all()}
