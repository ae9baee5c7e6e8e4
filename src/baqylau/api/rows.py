"""Lists written from plain rows: a page read with ``values()`` and written as its serializer would.

A list page through ``ModelSerializer`` builds a model object for every row and every related row (an
indicator's monthly targets and actuals: thousands), then asks each DRF field for its attribute one by
one; at national size that, not the database, was most of a list's time. Here a serializer class is
compiled once into a ``RowWriter``: the ``values()`` paths its fields read (``plan__code`` for a code
field, ``measure`` for an id field), one query per related set of the page (ordered as the view's
``Prefetch`` orders it, else as the related model does), and for each field the same
``to_representation`` the serializer would call. The serializer stays the one definition of every field
(writes and the OpenAPI schema use it as before); what a field reads that is not a column (a
``SerializerMethodField``, a model property) its serializer says in ``row_values`` with ``Computed``.
Details (one object) still go through the serializer itself, and tests hold the list's items equal to
them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models
from django.db.models import Prefetch, QuerySet
from rest_framework import fields as drf_fields
from rest_framework import relations, serializers
from rest_framework.settings import api_settings

from baqylau.core.translation import TranslatedStrMixin, translated_in


@dataclass(frozen=True)
class Computed:
    """How a list reads a field that is not a column: ``value(row)`` gives its representation.

    ``needs``: the ``values()`` paths it reads from the row; ``related``: sets it reads, each a list of
    dicts in ``row[relation]`` with the given columns (``"pk"`` for the related row's id)."""

    value: Callable[[dict], object]
    needs: tuple[str, ...] = ()
    related: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def _date(value):
    return value.isoformat()


def _converter(f: drf_fields.Field) -> Callable:
    """The field's own ``to_representation``, or a builtin that gives the same for database values."""
    if isinstance(f, serializers.ChoiceField | serializers.BooleanField):
        return f.to_representation
    if isinstance(f, serializers.CharField):
        return str
    if isinstance(f, serializers.IntegerField):
        return int
    if isinstance(f, serializers.FloatField):
        return float
    if (
        type(f) is serializers.DateField
        and getattr(f, "format", api_settings.DATE_FORMAT) == drf_fields.ISO_8601
        and api_settings.DATE_FORMAT == drf_fields.ISO_8601
    ):
        return _date
    return f.to_representation


def _model_path(model, source: str) -> str | None:
    """``measure.code`` -> ``measure__code`` when every step is a column or a foreign key; else None."""
    parts = source.split(".")
    for i, name in enumerate(parts):
        try:
            f = model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        if f.many_to_many or f.one_to_many or not f.concrete:
            return None
        if i < len(parts) - 1:
            if not f.is_relation:
                return None
            model = f.related_model
    return "__".join(parts)


def _relation(model, name: str) -> tuple[type[models.Model], str]:
    """The related model of a to-many relation ``name`` and the lookup from it back to ``model``."""
    f = model._meta.get_field(name)
    if f.many_to_many and f.concrete:  # a ManyToManyField on this model
        return f.related_model, f.related_query_name()
    if f.one_to_many or f.many_to_many:  # a reverse foreign key (or a reverse many-to-many)
        return f.related_model, f.field.name
    raise ImproperlyConfigured(f"{model.__name__}.{name} is not a to-many relation")


class RowWriter:
    """Writes rows (dicts of ``values()`` paths, related sets loaded) as the serializer writes objects."""

    def __init__(self, serializer_class: type[serializers.Serializer]):
        self.name = serializer_class.__name__
        self.model = getattr(getattr(serializer_class, "Meta", None), "model", None)
        declared: dict[str, Computed] = getattr(serializer_class, "row_values", {})
        self.paths: list[str] = []
        self.related: dict[str, dict] = {}  # relation -> {"columns": [...], "child": RowWriter | None}
        self.steps: list[tuple[str, Callable[[dict], object]]] = []
        for name, f in serializer_class().fields.items():
            if f.write_only:
                continue
            self.steps.append((name, self._step(name, f, declared.get(name))))

    # --- compiling ---------------------------------------------------------------------------------

    def _need(self, *paths: str) -> None:
        for path in paths:
            if path not in self.paths:
                self.paths.append(path)

    def _relate(self, relation: str, columns: Iterable[str] = (), child: RowWriter | None = None) -> None:
        entry = self.related.setdefault(relation, {"columns": [], "child": None})
        for column in [*columns, *(child.paths if child else ())]:
            if column not in entry["columns"]:
                entry["columns"].append(column)
        if child is not None:
            if child.related and "pk" not in entry["columns"]:
                entry["columns"].append("pk")
            entry["child"] = child

    def _step(self, name: str, f, computed: Computed | None):
        if computed is not None:
            self._need(*computed.needs)
            for relation, columns in computed.related.items():
                self._relate(relation, columns)
            return computed.value
        if self.model is None:  # a plain serializer over a dict (a judgement)
            return self._value_step(f.source, f)
        if isinstance(f, serializers.ListSerializer):
            child = RowWriter(type(f.child))
            self._relate(f.source, child=child)
            write = child.write
            return lambda row, rel=f.source: [write(c) for c in row[rel]]
        if isinstance(f, relations.ManyRelatedField):
            column = self._related_column(f.child_relation)
            self._relate(f.source, (column,))
            return lambda row, rel=f.source, col=column: [c[col] for c in row[rel]]
        if isinstance(f, relations.SlugRelatedField | relations.PrimaryKeyRelatedField):
            base = _model_path(self.model, f.source)
            if base is None:
                raise self._unreadable(name)
            path = f"{base}__{f.slug_field}" if isinstance(f, relations.SlugRelatedField) else base
            self._need(path)
            return lambda row, p=path: row[p]
        if isinstance(f, serializers.Serializer):  # a nested object given by the view (a judgement)
            child = RowWriter(type(f))
            write = child.write
            return lambda row, key=f.source: None if row[key] is None else write(row[key])
        if isinstance(f, serializers.SerializerMethodField):
            raise self._unreadable(name)
        path = _model_path(self.model, f.source)
        if path is None:
            if f.source == "label" and issubclass(self.model, TranslatedStrMixin):
                text = self.model.text_field
                self._need(text, f"{text}_ru", f"{text}_kk")
                return lambda row, t=text: translated_in(row, t)
            raise self._unreadable(name)
        self._need(path)
        return self._value_step(path, f)

    @staticmethod
    def _value_step(key: str, f):
        convert = _converter(f)

        def step(row):
            value = row[key]
            return None if value is None else convert(value)

        return step

    def _related_column(self, f) -> str:
        if isinstance(f, relations.SlugRelatedField):
            return f.slug_field
        if isinstance(f, relations.PrimaryKeyRelatedField) and f.pk_field is None:
            return "pk"
        raise ImproperlyConfigured(f"{self.name}: a list cannot read {type(f).__name__}")

    def _unreadable(self, name: str) -> ImproperlyConfigured:
        return ImproperlyConfigured(
            f"{self.name}.{name}: say in row_values how a list reads it (api/rows.py)"
        )

    # --- reading and writing -----------------------------------------------------------------------

    def select(self, queryset: QuerySet, *extra: str) -> QuerySet:
        """``queryset`` (filtered, scoped, ordered) as rows of the paths this writer reads."""
        paths = [*self.paths, *(p for p in extra if p not in self.paths)]
        return queryset.prefetch_related(None).values(*paths)

    def load(self, rows: list[dict], queryset: QuerySet | None = None, key: str = "id") -> None:
        """Each row's related sets, one query per relation for all ``rows`` (by their ``key``), ordered
        as ``queryset``'s ``Prefetch`` of that relation orders it, else as the related model does."""
        if not self.related or not rows:
            return
        prefetches = {
            p.prefetch_through: p.queryset
            for p in (queryset._prefetch_related_lookups if queryset is not None else ())
            if isinstance(p, Prefetch) and p.queryset is not None
        }
        ids = [row[key] for row in rows]
        for relation, entry in self.related.items():
            related_model, back = _relation(self.model, relation)
            source = prefetches.get(relation)
            source = related_model._default_manager.all() if source is None else source
            columns = entry["columns"]
            by_parent: dict[int, list[dict]] = {i: [] for i in ids}
            for parent, *values in source.filter(**{f"{back}__in": ids}).values_list(back, *columns):
                by_parent[parent].append(dict(zip(columns, values, strict=True)))
            for row in rows:
                row[relation] = by_parent[row[key]]
            child = entry["child"]
            if child is not None and child.related:
                child.load([c for row in rows for c in row[relation]], None, "pk")

    def write(self, row: Mapping) -> dict:
        return {name: step(row) for name, step in self.steps}

    def write_all(self, rows: Iterable[Mapping]) -> list[dict]:
        steps = self.steps
        return [{name: step(row) for name, step in steps} for row in rows]


_writers: dict[type, RowWriter] = {}


def writer(serializer_class: type[serializers.Serializer]) -> RowWriter:
    """The compiled writer of ``serializer_class`` (compiled once per process)."""
    found = _writers.get(serializer_class)
    if found is None:
        found = _writers[serializer_class] = RowWriter(serializer_class)
    return found


def in_order(rows: Iterable[dict], ids: list[int], key: str = "id") -> list[dict]:
    """``rows`` in the order of ``ids`` (rows read by ``pk__in`` come back in the database's order)."""
    by_id = {row[key]: row for row in rows}
    return [by_id[i] for i in ids]


__all__ = ["Computed", "RowWriter", "in_order", "writer"]
