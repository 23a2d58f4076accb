"""Fast inserts of many rows for imports: ``COPY`` on PostgreSQL, one ``executemany`` elsewhere.

Django's ``bulk_create`` spends ~20 µs a row preparing each field of each model instance; a
50,000-row dues sheet would spend seconds there. Here rows are plain tuples, bound by the driver
(only datetimes need converting for SQLite) or streamed as they are to PostgreSQL. No signals run and nothing is audited
row by row: the caller records the operation as a whole.
"""

from collections.abc import Callable, Iterable

from django.db import connection, models


def _remember_last(convert: Callable) -> Callable:
    """A column often repeats one value (the import's timestamp, the period's start): convert it once."""
    last = [object(), None]

    def converted(value):
        if value is not last[0]:
            last[0], last[1] = value, convert(value)
        return last[1]

    return converted


def _sqlite_converter(field) -> Callable | None:
    convert = _plain_sqlite_converter(field)
    return _remember_last(convert) if convert else None


def _plain_sqlite_converter(field) -> Callable | None:
    # Django registers sqlite3 adapters for Decimal (str, in C) and bool is an int. An aware datetime
    # must become the naive UTC text Django stores; a date its ISO text, converted here rather than by
    # Django's adapter so that a repeated date (the joining date of every new member) is converted once.
    if isinstance(field, models.DateTimeField):
        return lambda v: None if v is None else connection.ops.adapt_datetimefield_value(v)
    if isinstance(field, models.DateField):
        return lambda v: None if v is None else v.isoformat()
    return None


def bulk_insert(model: type[models.Model], fields: list[str], rows: Iterable[tuple]) -> int:
    """Insert ``rows`` (tuples in the order of ``fields``) into ``model``'s table. Returns the count."""
    meta = model._meta
    model_fields = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    columns = ", ".join(quote(f.column) for f in model_fields)
    count = 0
    if connection.vendor == "postgresql":
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    converters = [(i, c) for i, c in enumerate(map(_sqlite_converter, model_fields)) if c is not None]

    def converted():
        nonlocal count
        for row in rows:
            count += 1
            if converters:
                row = list(row)
                for i, convert in converters:
                    row[i] = convert(row[i])
            yield row

    # The driver's own cursor: Django's wrapper would rewrite the parameters of every row again.
    placeholders = ", ".join(["?"] * len(fields))
    connection.ensure_connection()
    cursor = connection.connection.cursor()
    try:
        # Table and column names come from the model and are quoted; values are parameters.
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", converted())  # noqa: S608
    finally:
        cursor.close()
    return count
