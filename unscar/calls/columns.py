"""A fixed-point column type for the decimals of a call that are not money."""
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import BigInteger, Numeric
from sqlalchemy.types import TypeDecorator


class FixedDecimal(TypeDecorator):
    """Decimal in Python, NUMERIC(precision, scale) on PostgreSQL, scaled integers on SQLite.

    SQLite has no decimal type (SQLAlchemy would go through floats and warn), so, as for
    Money, the value is kept as an integer count of 10**-scale units.
    """

    impl = Numeric
    cache_ok = True

    def __init__(self, precision: int, scale: int = 2):
        super().__init__(precision=precision, scale=scale)
        self.scale = scale
        self.unit = Decimal(1).scaleb(-scale)

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(self.impl.precision, self.scale, asdecimal=True))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        value = Decimal(value).quantize(self.unit, rounding=ROUND_HALF_UP)
        return int(value.scaleb(self.scale)) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if dialect.name == "sqlite":
            return Decimal(int(value)).scaleb(-self.scale).quantize(self.unit)
        return Decimal(value).quantize(self.unit)
