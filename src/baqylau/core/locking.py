"""No lost updates: a save states the version it started from, and is refused if someone saved since.

The check is one conditional UPDATE (``... WHERE version = expected``), atomic on SQLite and
PostgreSQL alike. The refusal says who changed what, from the audit history.
"""

import itertools

from django.db import transaction
from django.utils.translation import gettext as _


class EditConflict(Exception):
    """Someone saved the object after the editor opened it. Nothing was saved."""

    def __init__(self, obj, expected_version: int | None):
        self.obj = obj
        self.expected_version = expected_version
        self.changes = [] if expected_version is None else self._changes_since(obj, expected_version)
        super().__init__(self.message)

    @staticmethod
    def _changes_since(obj, expected_version: int) -> list[dict]:
        """History rows newer than the version the editor started from: who, when, which fields."""
        history = getattr(type(obj), "history", None)
        if history is None:
            return []
        rows = list(history.model.objects.filter(id=obj.pk).order_by("history_date", "history_id"))
        changes = []
        for previous, record in itertools.pairwise(rows):
            if record.version > expected_version:
                delta = record.diff_against(previous)
                changes.append(
                    {
                        "user": record.history_user.get_username() if record.history_user else _("someone"),
                        "when": record.history_date,
                        "fields": [
                            str(type(obj)._meta.get_field(c.field).verbose_name)
                            for c in delta.changes
                            if c.field not in ("version", "updated_at")
                        ],
                    }
                )
        return changes

    @property
    def message(self) -> str:
        if self.expected_version is None:
            # Without the version it was opened at, nobody can tell whether the save would overwrite.
            return _(
                "The version you opened this item at was not sent, so a save could overwrite someone "
                "else's changes. Nothing was saved: reload it and apply your changes again."
            )
        if not self.changes:
            return _(
                "This item was changed by someone else after you opened it. Nothing was saved: "
                "reload it and apply your changes again."
            )
        parts = [
            _("%(user)s changed %(fields)s at %(when)s")
            % {
                "user": c["user"],
                "fields": ", ".join(c["fields"]) or _("it"),
                "when": c["when"].strftime("%Y-%m-%d %H:%M"),
            }
            for c in self.changes
        ]
        return _(
            "This item was changed after you opened it: %(changes)s. Nothing was saved; your input is "
            "kept below — compare it with the current values and save again."
        ) % {"changes": "; ".join(parts)}


def check_version(obj, expected_version: int | None) -> None:
    """Raise EditConflict unless ``obj`` is stored at ``expected_version``; a missing one is a conflict."""
    if expected_version is None:
        raise EditConflict(obj, None)
    stored = type(obj)._base_manager.filter(pk=obj.pk).values_list("version", flat=True).first()
    if stored != expected_version:
        raise EditConflict(obj, expected_version)


@transaction.atomic
def save_versioned(obj, expected_version: int | None, **save_kwargs) -> None:
    """Save ``obj`` if its stored version is still ``expected_version``; raise EditConflict if not.

    A missing version (None: a form or request that did not send it) is refused as a conflict too.
    """
    if expected_version is None:
        raise EditConflict(obj, None)
    model = type(obj)
    bumped = model._base_manager.filter(pk=obj.pk, version=expected_version).update(
        version=expected_version + 1
    )
    if not bumped:
        raise EditConflict(obj, expected_version)
    obj.version = expected_version + 1
    obj.save(**save_kwargs)
