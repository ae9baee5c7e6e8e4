"""Loading many rows fast: COPY on PostgreSQL, one prepared statement on SQLite.

For generated data sets (the synthetic national plans) where millions of model instances would cost
minutes. Rows are plain tuples in the order of ``fields``; primary keys are assigned by the caller
(``next_ids``), so related rows can point at each other without reading anything back. Nothing here
runs model validation or writes audit history: callers say so where they use it.
"""

from collections.abc import Iterable, Sequence

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models.fields import AutoFieldMixin


def next_id(model: type[models.Model]) -> int:
    """The first free primary key of ``model``'s table (ids are assigned from here upwards)."""
    top = model._base_manager.aggregate(top=models.Max("pk"))["top"]
    return (top or 0) + 1


def _columns(model: type[models.Model], fields: Sequence[str]) -> list[str]:
    return [model._meta.get_field(name).column for name in fields]


def _check_complete(model: type[models.Model], fields: Sequence[str]) -> None:
    """Every NOT NULL column must be given: the database has no defaults for Django's Python defaults
    (an automatic primary key left out is numbered by the database)."""
    given = {model._meta.get_field(name).column for name in fields}
    missing = [
        f.name
        for f in model._meta.concrete_fields
        if f.column not in given and not f.null and not (f.primary_key and isinstance(f, AutoFieldMixin))
    ]
    if missing:
        raise ValueError(f"bulk_insert into {model._meta.label} lacks the columns {', '.join(missing)}")


def bulk_insert(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[tuple],
    constants: dict | None = None,
) -> int:
    """Insert ``rows`` into ``model``'s table; returns how many.

    Values must be database-ready: ints, floats, strings (dates as ISO text), booleans or None;
    foreign keys are given as ids (``measure`` takes the measure's id). ``constants`` are columns
    with the same value in every row.
    """
    constants = constants or {}
    fields = [*fields, *constants]
    _check_complete(model, fields)
    tail = tuple(constants.values())
    if tail:
        rows = (row + tail for row in rows)
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _columns(model, fields))
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg 3: COPY streams rows without building an INSERT per batch
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        else:
            marks = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
            batch: list[tuple] = []
            for row in rows:
                batch.append(row)
                if len(batch) == 50_000:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
    return count


def bulk_update(objects: Sequence[models.Model], fields: Sequence[str]) -> int:
    """Write ``fields`` of ``objects`` (of one model) as one prepared UPDATE run for every row: Django's
    ``bulk_update`` builds a CASE expression per row and field, which costs more than the write itself
    for a hundred rows. Values are converted by the fields, as ``save()`` would."""
    if not objects:
        return 0
    model = type(objects[0])
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in columns)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"
    rows = [
        (*(f.get_db_prep_save(getattr(obj, f.attname), connection) for f in columns), obj.pk)
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    return len(rows)


def reset_sequences(*models_: type[models.Model]) -> None:
    """After inserting explicit ids: PostgreSQL's sequences continue after the largest id."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
