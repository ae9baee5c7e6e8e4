"""Writing a checked workbook: create what is new, update what differs, leave the rest alone.

The same rule as ``baqylau.core.upsert`` (rows matched by their natural key, saved only when a
value differs, many-to-many sets only when their members differ), done in bulk so a plan of ten
thousand measures imports in seconds: every row is compared in memory with the records loaded up
front, then each model is written with one ``bulk_create`` and one ``bulk_update`` per layer, and
its audit history with django-simple-history's bulk helpers. Many-to-many snapshots (which
``bulk_history_create`` does not write) are added to each historical record, as a ``save()`` would.

A column the sheet does not have leaves that field as it is (a new record gets the model's
default); a column with an empty cell stores "unknown" (empty text or no value).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable

from django.apps import apps
from django.db import models
from django.utils import timezone
from simple_history.utils import (
    bulk_create_with_history,
    bulk_update_with_history,
    get_history_manager_for_model,
)

from baqylau.reference.models import Population

from .checks import Checked, Parsed, Row, model_of, row_key
from .spec import REF, REFS, SHEETS, Sheet

BATCH = 500
PROGRESS_EVERY = 500


class Writer:
    def __init__(
        self,
        checked: Checked,
        *,
        dry_run: bool,
        reason: str,
        user=None,
        progress: Callable | None = None,
    ):
        self.checked = checked
        self.existing = checked.existing
        self.dry_run = dry_run
        self.reason = reason[:100]  # the history's change-reason column holds 100 characters
        self.user = user
        self.progress = progress
        self.now = timezone.now()
        self.fake_ids = itertools.count(-1, -1)  # a dry run's stand-in ids for records it would create
        self.created: dict[str, int] = {}
        self.updated: dict[str, int] = {}
        self.changed_keys: dict[str, set] = {}  # sheet -> keys of the rows created or updated
        self.done = 0
        self.total = sum(len(p.rows) for p in checked.sheets.values())
        # sheet -> key -> id, for the database's records and those this import creates
        self.ids: dict[str, dict] = {
            name: {key: record.pk for key, record in records.items()}
            for name, records in self.existing.records.items()
        }

    # -- the whole write ---------------------------------------------------------------------------
    def run(self) -> None:
        sheets = self.checked.sheets
        self._sync(sheets["territories"], layered=True)
        self._populations(sheets["territories"])
        self._sync(sheets["agencies"])
        self._sync(sheets["spheres"])
        self._sync(sheets["facility_kinds"])
        if sheets["plan"].rows:
            self._sync(sheets["plan"])
        self.plan_id = self.ids["plan"][self.checked.plan_code]
        for spec in SHEETS[SHEETS.index(sheets["plan"].spec) + 1 :]:
            self._sync(
                sheets[spec.name],
                layered=spec.name in ("measures", "instructions"),
                only_new=spec.name == "deadline_changes",
            )
        self._tick(force=True)

    def _tick(self, force: bool = False) -> None:
        if self.progress and (force or self.done % PROGRESS_EVERY == 0):
            self.progress(self.done, self.total, "writing")

    def _count(self, bucket: dict, sheet: str, n: int = 1) -> None:
        if n:
            bucket[sheet] = bucket.get(sheet, 0) + n

    # -- one sheet ---------------------------------------------------------------------------------
    def _sync(self, parsed: Parsed, layered: bool = False, only_new: bool = False) -> None:
        if not parsed.rows:
            return
        rows = [row for row in parsed.rows if parsed.by_key.get(row_key(parsed.spec, row.values)) is row]
        for layer in _layers(rows) if layered else [rows]:
            self._sync_layer(parsed, layer, only_new)
            self.done += len(layer)
            self._tick()

    def _sync_layer(self, parsed: Parsed, rows: list[Row], only_new: bool) -> None:
        spec = parsed.spec
        model = model_of(spec)
        columns = _value_columns(spec, model, parsed.present)
        m2m_columns = [c for c in spec.columns if c.kind == REFS and c.name in parsed.present]
        records = self.existing.records[spec.name]
        m2m_now = (
            {c.attr: self._m2m_now(model, c.attr) for c in spec.columns if c.kind == REFS} if spec.m2m else {}
        )
        creates: list[tuple] = []  # (key, obj, wanted m2m)
        updates: list[tuple] = []
        fields: set[str] = set()
        for row in rows:
            key = row_key(spec, row.values)
            values = self._values(row, columns)
            if spec.plan_scoped and hasattr(model, "plan"):
                values["plan_id"] = self.plan_id
            if spec.name == "instructions" and values.get("status") == "open" and "closed_on" not in values:
                values["closed_on"] = None  # reopened by a sheet without closed_on: open means not closed
            if spec.name == "instructions":
                self._control_values(row, values, parsed.present)
            wanted = {
                c.attr: {self.ids[c.target][code] for code in row.values.get(c.name) or ()}
                for c in m2m_columns
            }
            record = records.get(key)
            if record is None:
                creates.append((key, model(**values), wanted))
                continue
            if only_new:
                continue
            diff = [attr for attr, value in values.items() if getattr(record, attr) != value]
            m2m_diff = [
                attr for attr, members in wanted.items() if set(m2m_now[attr].get(record.pk, {})) != members
            ]
            if diff or m2m_diff:
                for attr in diff:
                    setattr(record, attr, values[attr])
                fields.update(diff)
                updates.append((key, record, wanted))
        if creates:
            self._create(spec, model, creates, m2m_now)
        if updates:
            self._update(spec, model, updates, sorted(fields), m2m_now)

    def _control_values(self, row: Row, values: dict, present) -> None:
        """An instruction's responsible executor defaults to the first named; its controller is a user;
        a new one's original due, when the sheet does not give it, is the due before its first change."""
        code = row.values.get("code")
        new = code not in self.existing.records["instructions"]
        if new and not values.get("original_due"):
            values["original_due"] = self.checked.first_due.get(code) or row.values.get("due")
        executors = row.values.get("executors") or ()
        if ("responsible" in present or new) and not values.get("responsible_id") and executors:
            values["responsible_id"] = self.ids["agencies"][executors[0]]
        if "controller" in present:
            name = row.values.get("controller")
            values["controller_id"] = self.existing.user_ids.get(name) if name else None

    def _values(self, row: Row, columns) -> dict:
        values = {}
        for name, attr, target, empty in columns:
            value = row.values.get(name)
            if target is not None:
                value = self.ids[target][value] if value else None
            elif value is None:
                value = empty
            values[attr] = value
        return values

    def _m2m_now(self, model, attr: str) -> dict[int, dict[int, int]]:
        cache = self.__dict__.setdefault("_m2m_cache", {})
        if (model, attr) not in cache:
            cache[(model, attr)] = self.existing.m2m(model, attr)
        return cache[(model, attr)]

    # -- creating and updating with history --------------------------------------------------------
    def _create(self, spec: Sheet, model, creates: list[tuple], m2m_now: dict) -> None:
        objs = [obj for _key, obj, _wanted in creates]
        if self.dry_run:
            for obj in objs:
                obj.pk = next(self.fake_ids)
        elif spec.m2m:
            model._default_manager.bulk_create(objs, batch_size=BATCH)
            for _key, obj, _wanted in creates:
                for attr in spec.m2m:
                    m2m_now[attr][obj.pk] = {}
            self._write_m2m(model, [(obj, wanted) for _key, obj, wanted in creates], m2m_now)
            self._history(model, objs, m2m_now, update=False)
        else:
            bulk_create_with_history(
                objs, model, batch_size=BATCH, default_user=self.user, default_change_reason=self.reason
            )
        for key, obj, _wanted in creates:
            self.ids[spec.name][key] = obj.pk
        self.changed_keys.setdefault(spec.name, set()).update(key for key, _obj, _wanted in creates)
        self._count(self.created, spec.name, len(objs))

    def _update(self, spec: Sheet, model, updates: list[tuple], fields: list[str], m2m_now: dict) -> None:
        objs = [obj for _key, obj, _wanted in updates]
        if issubclass(model, _versioned()):
            for obj in objs:
                obj.version += 1
                obj.updated_at = self.now
            fields = [*fields, "version", "updated_at"]
        self._count(self.updated, spec.name, len(objs))
        self.changed_keys.setdefault(spec.name, set()).update(key for key, _obj, _wanted in updates)
        if self.dry_run:
            return
        if spec.m2m:
            if fields:
                model._default_manager.bulk_update(objs, fields, batch_size=BATCH)
            self._write_m2m(model, [(obj, wanted) for _key, obj, wanted in updates], m2m_now)
            self._history(model, objs, m2m_now, update=True)
        else:
            bulk_update_with_history(
                objs,
                model,
                fields,
                batch_size=BATCH,
                default_user=self.user,
                default_change_reason=self.reason,
            )

    def _write_m2m(self, model, items: list[tuple], m2m_now: dict) -> None:
        """Make each object's many-to-many sets the wanted ones: delete and insert only the difference."""
        for attr, now in m2m_now.items():
            field = model._meta.get_field(attr)
            through = field.remote_field.through
            source, target = field.m2m_field_name() + "_id", field.m2m_reverse_field_name() + "_id"
            inserts, deletes = [], []
            for obj, wanted in items:
                if attr not in wanted:
                    continue
                current = now.setdefault(obj.pk, {})
                members = wanted[attr]
                deletes.extend(current[m] for m in current.keys() - members)
                for member in members - current.keys():
                    inserts.append(through(**{source: obj.pk, target: member}))
                for member in current.keys() - members:
                    del current[member]
            for start in range(0, len(deletes), BATCH):
                through.objects.filter(pk__in=deletes[start : start + BATCH]).delete()
            through.objects.bulk_create(inserts, batch_size=BATCH)
            for row in inserts:
                now[getattr(row, source)][getattr(row, target)] = row.pk

    def _history(self, model, objs: list, m2m_now: dict, update: bool) -> None:
        """Historical records for ``objs``, each with the snapshot of its many-to-many sets."""
        manager = get_history_manager_for_model(model)
        records = manager.bulk_history_create(
            objs, batch_size=BATCH, update=update, default_user=self.user, default_change_reason=self.reason
        )
        for attr, now in m2m_now.items():
            field = model._meta.get_field(attr)
            snapshot = apps.get_model(model._meta.app_label, f"Historical{model.__name__}_{attr}")
            source, target = field.m2m_field_name() + "_id", field.m2m_reverse_field_name() + "_id"
            rows = [
                snapshot(history_id=record.pk, id=through_id, **{source: obj.pk, target: member})
                for obj, record in zip(objs, records, strict=True)
                for member, through_id in sorted(now.get(obj.pk, {}).items())
            ]
            snapshot.objects.bulk_create(rows, batch_size=BATCH)

    # -- populations (territories sheet) -----------------------------------------------------------
    def _populations(self, parsed: Parsed) -> None:
        creates, updates, fields = [], [], set()
        changed_rows = set()
        present = parsed.present
        for row in parsed.rows:
            people = row.values.get("population")
            if people is None or parsed.by_key.get(row.values["code"]) is not row:
                continue
            on = row.values.get("population_date") or dt.date(row.values["population_year"], 1, 1)
            territory_id = self.ids["territories"][row.values["code"]]
            values = {"people": people}
            for column, attr in (
                ("population_source", "source"),
                ("population_estimate_note", "estimate_note"),
            ):
                if column in present:
                    values[attr] = row.values.get(column) or ""
            record = next((p for p in self.existing.population.get(territory_id, ()) if p.on == on), None)
            if record is None:
                creates.append(Population(territory_id=territory_id, on=on, **values))
                changed_rows.add(row.values["code"])
                continue
            diff = [attr for attr, value in values.items() if getattr(record, attr) != value]
            if diff:
                for attr in diff:
                    setattr(record, attr, values[attr])
                fields.update(diff)
                updates.append(record)
                changed_rows.add(row.values["code"])
        if not self.dry_run:
            if creates:
                bulk_create_with_history(
                    creates,
                    Population,
                    batch_size=BATCH,
                    default_user=self.user,
                    default_change_reason=self.reason,
                )
            if updates:
                bulk_update_with_history(
                    updates,
                    Population,
                    sorted(fields),
                    batch_size=BATCH,
                    default_user=self.user,
                    default_change_reason=self.reason,
                )
        # A territory whose population changed counts as updated, unless it was created or updated anyway.
        self._count(
            self.updated, "territories", len(changed_rows - self.changed_keys.get("territories", set()))
        )


def _versioned():
    from baqylau.core.fields import Versioned

    return Versioned


def _value_columns(spec: Sheet, model, present: frozenset[str]) -> list[tuple]:
    """(column, model attribute, referenced sheet or None, value of an empty cell) for the columns present."""
    result = []
    for column in spec.columns:
        if not column.attr or column.kind == REFS or column.name not in present:
            continue
        field = model._meta.get_field(column.attr)
        if column.kind == REF and field.target_field.primary_key:
            result.append((column.name, field.attname, column.target, None))
        elif column.kind == REF:  # a reference by code (a facility's kind): the column holds the code
            result.append((column.name, field.attname, None, None))
        else:
            result.append((column.name, column.attr, None, _empty(field)))
    return result


def _empty(field: models.Field):
    if field.null:
        return None
    if field.has_default():
        return field.get_default()
    return ""


def _layers(rows: list[Row]) -> list[list[Row]]:
    """Rows grouped so that a row's parent (when it is in the sheet) is in an earlier group."""
    by_code = {row.values["code"]: row for row in rows}
    depth: dict[str, int] = {}

    def depth_of(code: str) -> int:
        chain = []
        while code in by_code and code not in depth:
            chain.append(code)
            code = by_code[code].values.get("parent")
            if code in chain:  # cannot happen after the checks; guard against looping forever
                break
        level = depth.get(code, -1) if code in by_code else -1
        for item in reversed(chain):
            level += 1
            depth[item] = level
        return depth[chain[0]] if chain else depth[code]

    groups: dict[int, list[Row]] = {}
    for row in rows:
        groups.setdefault(depth_of(row.values["code"]), []).append(row)
    return [groups[level] for level in sorted(groups)]
