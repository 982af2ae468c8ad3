"""call translations: a call's title, description and guidelines in other languages than the one it was written in (issue 19)

Revision ID: 68960027cde1
Revises: 5c1e2a7b9d40
Create Date: 2026-12-07 13:04:13.957164

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '68960027cde1'
down_revision = '5c1e2a7b9d40'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('call_translations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('guidelines', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_call_translations_call_id_calls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_translations')),
    sa.UniqueConstraint('call_id', 'language', name='uq_call_translations_call_id_language')
    )
    with op.batch_alter_table('call_translations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_translations_call_id'), ['call_id'], unique=False)



def downgrade():
    with op.batch_alter_table('call_translations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_call_translations_call_id'))

    op.drop_table('call_translations')
