"""Rows as JSON, the same whichever database wrote them.

Values are read through the models' column types, so money is a Decimal whether SQLite
keeps it as integer cents or PostgreSQL as NUMERIC, and a datetime is aware UTC whether
the column is naive (SQLite) or timestamptz. A line holds one row as a JSON array, in the
column order the manifest lists: Decimals, datetimes and dates as ISO strings, enums by
name, bytes in base64, JSON columns as their text (so SQL NULL and JSON null stay apart).
"""
import base64
import enum
import json
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import JSON, Column, Enum, MetaData, Table, Text, cast
from sqlalchemy.types import TypeDecorator


def is_json(column: Column) -> bool:
    return isinstance(column.type, JSON)


def selected(column: Column):
    """What to select for a column: JSON columns as text, the rest as the model types them."""
    return cast(column, Text).label(column.name) if is_json(column) else column


def encode(value, column: Column):
    if value is None or is_json(column):
        return value
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    # A new column type must be taught here rather than written in a form restore can't read.
    raise TypeError(f"{column.table.name}.{column.name}: no backup form for {type(value).__name__}")


def decoder(column: Column):
    """The function that turns a column's JSON value back into what its model type binds."""
    type_ = column.type
    if is_json(column):
        # SQL NULL stays None (the loading table binds None as NULL); JSON null is JSON.NULL.
        return lambda text: None if text is None else _json_value(text)
    if isinstance(type_, Enum) and type_.enum_class is not None:
        return _or_none(lambda name: type_.enum_class[name])
    try:
        # The application's own types (Money, UTCDateTime, ...) bind what their impl binds.
        python_type = (type_.impl_instance if isinstance(type_, TypeDecorator) else type_).python_type
    except NotImplementedError:
        return lambda value: value
    parse = {Decimal: Decimal, datetime: datetime.fromisoformat, date: date.fromisoformat,
             time: time.fromisoformat, bytes: base64.b64decode}.get(python_type)
    return _or_none(parse) if parse else (lambda value: value)


def _json_value(text: str):
    value = json.loads(text)
    return JSON.NULL if value is None else value


def _or_none(parse):
    return lambda value: None if value is None else parse(value)


def loading_table(table: Table) -> Table:
    """A bare copy of `table` for INSERTs: the same columns and types, except that JSON
    columns write None as SQL NULL (the models' JSON columns would write JSON null)."""
    columns = [Column(c.name, JSON(none_as_null=True) if is_json(c) else c.type.copy()) for c in table.columns]
    return Table(table.name, MetaData(), *columns)
