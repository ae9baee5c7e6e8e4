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

import decimal
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

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


def _decimal(f: serializers.DecimalField) -> Callable:
    """DRF's ``DecimalField.to_representation`` (a string, quantized to the field's places) with the
    exponent and the context made once, not for every value (an indicator page writes thousands). The
    context is the one DRF copies (the thread's, never changed in this product) with the field's digits."""
    plain = (
        type(f).to_representation is serializers.DecimalField.to_representation
        and type(f).quantize is serializers.DecimalField.quantize
        and getattr(f, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
        and not f.localize
        and not f.normalize_output
        and f.decimal_places is not None
    )
    if not plain:
        return f.to_representation
    exponent = decimal.Decimal(".1") ** f.decimal_places
    context = decimal.getcontext().copy()
    if f.max_digits is not None:
        context.prec = f.max_digits
    rounding = f.rounding

    def convert(value):
        if not isinstance(value, decimal.Decimal):
            value = decimal.Decimal(str(value).strip())
        return f"{value.quantize(exponent, rounding=rounding, context=context):f}"

    return convert


def _converter(f: drf_fields.Field) -> Callable:
    """The field's ``to_representation`` for a database value, or what gives the same more cheaply."""
    kind = type(f)
    if kind is serializers.CharField:
        return str
    if kind is serializers.IntegerField:
        return int
    if kind is serializers.FloatField:
        return float
    if kind is serializers.DateField and str(getattr(f, "format", api_settings.DATE_FORMAT)).lower() == (
        drf_fields.ISO_8601
    ):
        return _date
    if isinstance(f, serializers.DecimalField):
        return _decimal(f)
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
        # relation -> ("rows", [columns]): lists of dicts of those columns; ("nested", writer): written.
        self.related: dict[str, tuple] = {}
        # Per field: (name, path, convert, compute): the value at ``path`` converted (None: as it is), or
        # ``compute(row)`` when the field is not one column.
        self.steps: list[tuple] = []
        for name, f in serializer_class().fields.items():
            if not f.write_only:
                self.steps.append((name, *self._step(name, f, declared.get(name))))
        # Written from tuples of ``paths`` when every field is a column (a nested list's rows).
        self.columns_only = all(compute is None for _n, _p, _c, compute in self.steps)

    # --- compiling ---------------------------------------------------------------------------------

    def _need(self, *paths: str) -> None:
        for path in paths:
            if path not in self.paths:
                self.paths.append(path)

    def _relate(self, relation: str, kind: str, what) -> None:
        mixed = relation in self.related and self.related[relation][0] != kind
        if mixed or (kind == "nested" and what.related):
            raise ImproperlyConfigured(f"{self.name}.{relation}: a list reads it one way, one level deep")
        if kind == "nested":
            self.related[relation] = (kind, what)
            return
        columns = self.related.setdefault(relation, (kind, []))[1]
        columns.extend(c for c in what if c not in columns)

    def _step(self, name: str, f, computed: Computed | None) -> tuple:
        """(path, convert, compute) of one field."""
        if computed is not None:
            self._need(*computed.needs)
            for relation, columns in computed.related.items():
                self._relate(relation, "rows", columns)
            return None, None, computed.value
        if self.model is None:  # a plain serializer over a dict (a judgement)
            return f.source, _converter(f), None
        if isinstance(f, serializers.ListSerializer):
            self._relate(f.source, "nested", RowWriter(type(f.child)))
            return f.source, None, None
        if isinstance(f, relations.ManyRelatedField):
            column = self._related_column(f.child_relation)
            self._relate(f.source, "rows", (column,))
            return None, None, lambda row, rel=f.source, col=column: [c[col] for c in row[rel]]
        if isinstance(f, relations.SlugRelatedField | relations.PrimaryKeyRelatedField):
            base = _model_path(self.model, f.source)
            if base is None:
                raise self._unreadable(name)
            path = f"{base}__{f.slug_field}" if isinstance(f, relations.SlugRelatedField) else base
            self._need(path)
            return path, None, None
        if isinstance(f, serializers.Serializer):  # a nested object the view gives (a judgement)
            write = RowWriter(type(f)).write
            return None, None, lambda row, key=f.source: None if row[key] is None else write(row[key])
        if isinstance(f, serializers.SerializerMethodField):
            raise self._unreadable(name)
        path = _model_path(self.model, f.source)
        if path is None:
            if f.source == "label" and issubclass(self.model, TranslatedStrMixin):
                text = self.model.text_field
                self._need(text, f"{text}_ru", f"{text}_kk")
                return None, None, lambda row, t=text: translated_in(row, t)
            raise self._unreadable(name)
        self._need(path)
        return path, _converter(f), None

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

    def select(self, queryset: QuerySet, *extra: str, by_ids: bool = False) -> Rows:
        """``queryset`` (filtered, scoped, ordered) as rows of the paths this writer reads (and ``id``,
        by which related sets are read)."""
        paths = [*self.paths, *(p for p in ("id", *extra) if p not in self.paths)]
        return Rows(queryset, queryset.prefetch_related(None).values(*paths), by_ids)

    def load(self, rows: list[dict], queryset: QuerySet | None = None) -> None:
        """Each row's related sets, one query per relation for all ``rows``, ordered as ``queryset``'s
        ``Prefetch`` of that relation orders it, else as the related model does. A nested list is
        written here, from tuples: it is only ever written."""
        if not self.related or not rows:
            return
        prefetches = {
            p.prefetch_through: p.queryset
            for p in (queryset._prefetch_related_lookups if queryset is not None else ())
            if isinstance(p, Prefetch) and p.queryset is not None
        }
        ids = [row["id"] for row in rows]
        for relation, (kind, what) in self.related.items():
            related_model, back = _relation(self.model, relation)
            source = prefetches.get(relation)
            source = related_model._default_manager.all() if source is None else source
            columns = what.paths if kind == "nested" else what
            read = source.filter(**{f"{back}__in": ids}).values_list(back, *columns)
            by_parent: dict[int, list] = {i: [] for i in ids}
            if kind == "nested":
                write = what.write_tuple
                for values in read:
                    by_parent[values[0]].append(write(values))
            else:
                for parent, *values in read:
                    by_parent[parent].append(dict(zip(columns, values, strict=True)))
            for row in rows:
                row[relation] = by_parent[row["id"]]

    def write(self, row: Mapping) -> dict:
        out = {}
        for name, path, convert, compute in self.steps:
            if compute is not None:
                out[name] = compute(row)
            else:
                value = row[path]
                out[name] = value if value is None or convert is None else convert(value)
        return out

    def write_all(self, rows: Iterable[Mapping]) -> list[dict]:
        write = self.write
        return [write(row) for row in rows]

    def write_tuple(self, values: tuple) -> dict:
        """A row read as ``(parent id, *paths)``."""
        if not self.columns_only:
            return self.write(dict(zip(self.paths, values[1:], strict=True)))
        out = {}
        for name, index, convert in self._indexed:
            value = values[index]
            out[name] = value if value is None or convert is None else convert(value)
        return out

    @cached_property
    def _indexed(self) -> list[tuple]:
        return [(name, 1 + self.paths.index(path), convert) for name, path, convert, _c in self.steps]


class Rows:
    """A queryset's rows as a Paginator pages them: counted on the queryset itself (not on its rows'
    joins to related codes). ``by_ids``: a page is the rows of its ids, chosen in a subquery, for lists
    whose order no index gives: the database then sorts the matching ids, not every matching row with
    all its columns and joins (where an index gives the order, one query reading the page is cheaper)."""

    def __init__(self, queryset: QuerySet, rows: QuerySet, by_ids: bool = False):
        self.queryset, self.rows, self.by_ids = queryset, rows, by_ids

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        if self.by_ids:
            return list(self.rows.filter(pk__in=self.queryset.values("pk")[index]))
        return list(self.rows[index])


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


__all__ = ["Computed", "RowWriter", "Rows", "in_order", "writer"]
