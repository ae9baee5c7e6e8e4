"""Create-or-update by natural key, saving only what differs.

Imports and the demo loader match rows by code. Saving unchanged rows would fill the audit history
with non-changes and break "loading twice changes nothing", so a row is saved only when a value
differs, and many-to-many sets only when their members differ.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models


@dataclass
class LoadResult:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    # Rows created by this load: completing one in a later pass (a link to a row loaded after it)
    # is still one row created, not one created and one updated.
    created_rows: set[tuple[str, object]] = field(default_factory=set, repr=False)

    def count(self, model: type[models.Model], created: bool, pk=None) -> None:
        if pk is not None:
            if created:
                self.created_rows.add((model._meta.label, pk))
            elif (model._meta.label, pk) in self.created_rows:
                return
        bucket = self.created if created else self.updated
        name = model._meta.verbose_name_plural
        bucket[str(name)] = bucket.get(str(name), 0) + 1

    @property
    def changed(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values())


def _normalised(model: type[models.Model], values: dict) -> dict:
    """Numbers bound for decimal columns become exact Decimals (602.1, not 602.1000000000000227)."""
    out = {}
    for name, value in values.items():
        field_ = model._meta.get_field(name)
        if isinstance(field_, models.DecimalField) and isinstance(value, int | float):
            value = Decimal(str(value))
        out[name] = value
    return out


def upsert(
    result: LoadResult,
    model: type[models.Model],
    lookup: dict,
    values: dict,
    m2m: dict[str, Iterable[models.Model]] | None = None,
):
    """Create or update one row; save only what differs. Returns the instance."""
    values = _normalised(model, values)
    obj = model.objects.filter(**lookup).first()
    created = obj is None
    if created:
        obj = model(**lookup, **values)
    changed = created
    for name, value in values.items() if not created else ():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    if changed:
        obj.full_clean()
        obj.save()
    for name, wanted in (m2m or {}).items():
        manager = getattr(obj, name)
        wanted_ids = {o.pk for o in wanted}
        if set(manager.values_list("pk", flat=True)) != wanted_ids:
            manager.set(wanted_ids)
            changed = True
    if changed:
        result.count(model, created, obj.pk)
    return obj
