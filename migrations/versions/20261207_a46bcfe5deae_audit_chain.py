"""audit chain: a hash-chained link per audit event (issue 16), existing events chained in id order

Revision ID: a46bcfe5deae
Revises: 0e3fcd3a6c59
Create Date: 2026-12-07 02:05:00.000000

"""
from alembic import op
import sqlalchemy as sa

import unscar.dates
from unscar.audit.chain import GENESIS, HASHED_FIELDS, link_hash
from unscar.audit.models import POSTGRES_CHAIN_TRIGGERS, SQLITE_CHAIN_TRIGGERS


# revision identifiers, used by Alembic.
revision = 'a46bcfe5deae'
down_revision = '0e3fcd3a6c59'
branch_labels = None
depends_on = None

BATCH = 1000
# The events as they stand at this revision (not the model, which may grow later).
events = sa.table('audit_events', sa.column('id', sa.Integer()), sa.column('at', unscar.dates.UTCDateTime()),
                  sa.column('actor_id', sa.Integer()), sa.column('action', sa.String()),
                  sa.column('object_type', sa.String()), sa.column('object_id', sa.Integer()),
                  sa.column('before', sa.JSON()), sa.column('after', sa.JSON()))


def upgrade():
    chain = op.create_table('audit_chain',
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['audit_events.id'], name=op.f('fk_audit_chain_event_id_audit_events')),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_audit_chain')),
    sa.UniqueConstraint('event_id', name=op.f('uq_audit_chain_event_id'))
    )
    _chain_existing_events(op.get_bind(), chain)
    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": SQLITE_CHAIN_TRIGGERS, "postgresql": POSTGRES_CHAIN_TRIGGERS}.get(dialect, []):
        op.execute(statement)


def _chain_existing_events(conn, chain):
    """The genesis: the events already stored, chained in id order, a batch at a time."""
    seq, prev_hash, last_id = 0, GENESIS, 0
    while True:
        rows = conn.execute(sa.select(*(events.c[name] for name in HASHED_FIELDS))
                            .where(events.c.id > last_id).order_by(events.c.id).limit(BATCH)).mappings().all()
        if not rows:
            return
        links = []
        for row in rows:
            seq += 1
            digest = link_hash(row, seq, prev_hash)
            links.append({"seq": seq, "event_id": row["id"], "prev_hash": prev_hash, "hash": digest})
            prev_hash = digest
        conn.execute(chain.insert(), links)
        last_id = rows[-1]["id"]


def downgrade():
    # Dropping the table drops its triggers; the PostgreSQL trigger function stays behind otherwise.
    op.drop_table('audit_chain')
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS audit_chain_append_only()")
