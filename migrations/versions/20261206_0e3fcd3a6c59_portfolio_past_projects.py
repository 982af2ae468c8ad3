"""portfolio: past projects imported from the fund's history, portfolio records that are no grants (issue 14)

Revision ID: 0e3fcd3a6c59
Revises: d210e403b698
Create Date: 2026-12-06 22:52:55.585480

"""
from alembic import op
import sqlalchemy as sa

import unscar.dates
import unscar.money


# revision identifiers, used by Alembic.
revision = '0e3fcd3a6c59'
down_revision = 'd210e403b698'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('past_projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=40), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('organisation_name', sa.String(length=200), nullable=False),
    sa.Column('organisation_type', sa.Enum('ngo', 'research_institute', 'regional_organisation', 'un_entity', 'government', name='organisation_type', native_enum=False, length=32), nullable=False),
    sa.Column('organisation_country', sa.String(length=3), nullable=False),
    sa.Column('countries', sa.JSON(), nullable=False),
    sa.Column('themes', sa.JSON(), nullable=False),
    sa.Column('activity_types', sa.JSON(), nullable=False),
    sa.Column('instruments', sa.JSON(), nullable=False),
    sa.Column('gender_marker', sa.Integer(), nullable=True),
    sa.Column('approved_usd', unscar.money.Money(precision=14, scale=2), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('imported_at', unscar.dates.UTCDateTime(timezone=True), nullable=False),
    sa.Column('imported_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('approved_usd > 0', name=op.f('ck_past_projects_approved_positive')),
    sa.CheckConstraint('gender_marker IS NULL OR gender_marker IN (0, 1, 2)', name=op.f('ck_past_projects_gender_marker_range')),
    sa.ForeignKeyConstraint(['imported_by_id'], ['users.id'], name=op.f('fk_past_projects_imported_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_past_projects')),
    sa.UniqueConstraint('reference', name=op.f('uq_past_projects_reference'))
    )
    with op.batch_alter_table('past_projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_past_projects_year'), ['year'], unique=False)



def downgrade():
    with op.batch_alter_table('past_projects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_past_projects_year'))

    op.drop_table('past_projects')
