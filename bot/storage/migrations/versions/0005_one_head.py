"""one head again: join the handoff, gaps and security branches

Every feature had branched from 0001, which left Alembic with three heads:
`alembic revision` refused to choose and autogenerate compared against a
guess. A database at any mix of the three moves here with no change to its
tables; new migrations follow this one.

Revision ID: 0005_one_head
Revises: 0002_handoff, 0003_gaps, 0004_security
"""

revision = "0005_one_head"
down_revision = ("0002_handoff", "0003_gaps", "0004_security")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
