"""organisation documents: registration documents of organisations, and the reminders sent

Revision ID: 2372c573ac16
Revises: 1dbe28630aba
Create Date: 2026-11-29 22:49:35.312310

"""
from alembic import op
import sqlalchemy as sa

import unscar.dates
import unscar.money


# revision identifiers, used by Alembic.
revision = '2372c573ac16'
down_revision = '1dbe28630aba'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sent_reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('object_type', sa.String(length=40), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('recipients', sa.Integer(), nullable=False),
    sa.Column('sent_at', unscar.dates.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sent_reminders')),
    sa.UniqueConstraint('kind', 'object_type', 'object_id', name=op.f('uq_sent_reminders_kind_object_type_object_id'))
    )
    op.create_table('organisation_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage_key', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', unscar.dates.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_organisation_documents_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_organisation_documents_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_documents')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_organisation_documents_storage_key'))
    )
    with op.batch_alter_table('organisation_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_documents_organisation_id'), ['organisation_id'], unique=False)



def downgrade():
    with op.batch_alter_table('organisation_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_documents_organisation_id'))

    op.drop_table('organisation_documents')
    op.drop_table('sent_reminders')
