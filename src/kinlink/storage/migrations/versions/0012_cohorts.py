"""records: the institution a child was moved from or arrived at, when, and the group

Revision ID: 0012
Revises: 0011

Children were moved in groups — a whole institution's children on one day — and an
adoption renames a child but not the move. The record list format's optional columns
``institution``, ``moved_on`` (a partial date, kept as three parts like the other
dates), ``group`` (the source's identifier of children moved or listed together; the
column is ``move_group``, as ``group`` is an SQL keyword) and ``siblings_count`` become
nullable columns of ``records``. Records imported before this revision have none of
them: their rows still hold the cells as written.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("institution", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("moved_year", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("moved_month", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("moved_day", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("move_group", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("siblings_count", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("records", schema=None) as batch_op:
        for column in ("siblings_count", "move_group", "moved_day", "moved_month",
                       "moved_year", "institution"):
            batch_op.drop_column(column)
