"""call languages: the ISO 639-1 codes a call's proposals may be written in (issue 18); existing calls take any

Revision ID: 5c1e2a7b9d40
Revises: a46bcfe5deae
Create Date: 2026-12-07 05:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5c1e2a7b9d40'
down_revision = 'a46bcfe5deae'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.add_column(sa.Column('languages', sa.JSON(), nullable=True))
    # An empty list means "any language", what every existing call allowed.
    op.execute("UPDATE calls SET languages = '[]'")
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.alter_column('languages', existing_type=sa.JSON(), nullable=False)


def downgrade():
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_column('languages')
