"""calls: calls for proposals, their scoring criteria and downloadable templates

Revision ID: 6176895737b5
Revises: a6ad7412178f
Create Date: 2026-11-29 22:27:42.582427

"""
from alembic import op
import sqlalchemy as sa

import unscar.dates
import unscar.money


# revision identifiers, used by Alembic.
revision = '6176895737b5'
down_revision = 'a6ad7412178f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('guidelines', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'open', 'closed', 'in_review', 'decided', 'archived', name='call_status', native_enum=False, length=16), nullable=False),
    sa.Column('opens_at', unscar.dates.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closes_at', unscar.dates.UTCDateTime(timezone=True), nullable=False),
    sa.Column('review_closes_at', unscar.dates.UTCDateTime(timezone=True), nullable=True),
    sa.Column('envelope_usd', unscar.money.Money(precision=14, scale=2), nullable=False),
    sa.Column('min_budget_usd', unscar.money.Money(precision=14, scale=2), nullable=False),
    sa.Column('max_budget_usd', unscar.money.Money(precision=14, scale=2), nullable=False),
    sa.Column('min_duration_months', sa.Integer(), nullable=False),
    sa.Column('max_duration_months', sa.Integer(), nullable=False),
    sa.Column('indirect_cap_pct', unscar.money.FixedDecimal(precision=5, scale=2), nullable=False),
    sa.Column('eligible_applicant_types', sa.JSON(), nullable=False),
    sa.Column('eligible_countries', sa.JSON(), nullable=False),
    sa.Column('eligible_regions', sa.JSON(), nullable=False),
    sa.Column('themes', sa.JSON(), nullable=False),
    sa.Column('instruments', sa.JSON(), nullable=False),
    sa.Column('max_proposals_per_organisation', sa.Integer(), nullable=True),
    sa.Column('blind_review', sa.Boolean(), nullable=False),
    sa.Column('reviewers_per_proposal', sa.Integer(), nullable=False),
    sa.Column('scale_max', sa.Integer(), nullable=False),
    sa.Column('created_at', unscar.dates.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', unscar.dates.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('closes_at > opens_at', name=op.f('ck_calls_closes_after_opens')),
    sa.CheckConstraint('indirect_cap_pct >= 0', name=op.f('ck_calls_indirect_cap_not_negative')),
    sa.CheckConstraint('max_budget_usd <= envelope_usd', name=op.f('ck_calls_max_budget_within_envelope')),
    sa.CheckConstraint('max_proposals_per_organisation IS NULL OR max_proposals_per_organisation >= 1', name=op.f('ck_calls_proposal_limit_positive')),
    sa.CheckConstraint('min_budget_usd <= max_budget_usd', name=op.f('ck_calls_budget_range')),
    sa.CheckConstraint('min_budget_usd >= 0', name=op.f('ck_calls_min_budget_not_negative')),
    sa.CheckConstraint('min_duration_months <= max_duration_months', name=op.f('ck_calls_duration_range')),
    sa.CheckConstraint('min_duration_months >= 1', name=op.f('ck_calls_min_duration_positive')),
    sa.CheckConstraint('review_closes_at IS NULL OR review_closes_at > closes_at', name=op.f('ck_calls_review_closes_after_closes')),
    sa.CheckConstraint('reviewers_per_proposal >= 1', name=op.f('ck_calls_reviewers_positive')),
    sa.CheckConstraint('scale_max >= 2', name=op.f('ck_calls_scale_max_at_least_two')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calls'))
    )
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calls_closes_at'), ['closes_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_calls_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_calls_year'), ['year'], unique=False)

    op.create_table('call_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage_key', sa.String(length=64), nullable=False),
    sa.Column('uploaded_at', unscar.dates.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_call_templates_call_id_calls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_templates')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_call_templates_storage_key'))
    )
    with op.batch_alter_table('call_templates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_templates_call_id'), ['call_id'], unique=False)

    op.create_table('criteria',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('guidance', sa.Text(), nullable=False),
    sa.Column('weight', unscar.money.FixedDecimal(precision=6, scale=2), nullable=False),
    sa.CheckConstraint('weight > 0', name=op.f('ck_criteria_weight_positive')),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_criteria_call_id_calls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_criteria')),
    sa.UniqueConstraint('call_id', 'position', name='uq_criteria_call_id_position')
    )
    with op.batch_alter_table('criteria', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_criteria_call_id'), ['call_id'], unique=False)



def downgrade():
    with op.batch_alter_table('criteria', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_criteria_call_id'))

    op.drop_table('criteria')
    with op.batch_alter_table('call_templates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_call_templates_call_id'))

    op.drop_table('call_templates')
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calls_year'))
        batch_op.drop_index(batch_op.f('ix_calls_status'))
        batch_op.drop_index(batch_op.f('ix_calls_closes_at'))

    op.drop_table('calls')
