"""linkage keys: each record's blocking keys, so one record links through an index

Revision ID: 0014
Revises: 0013

Registering or correcting one record linked it by running the engine over the whole store
(about a minute at 100,000 children). ``linkage_keys`` keeps, per record, the value of
each blocking rule's columns (and its term-frequency values), written by every linkage
run; one record then finds its candidates by (name, value). ``linkage_runs.keys_written``
says how many records' keys a run wrote: a store linked before this revision has none
until its next run, and links a record over the whole store until then.

Plain ``op.add_column`` and ``op.drop_column`` (no batch mode): a batch copy of
``linkage_runs`` on a filled SQLite store fails on the foreign keys that point at it, and
SQLite adds and drops a plain column in place.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("linkage_runs", sa.Column("keys_written", sa.Integer(), server_default="0",
                                            nullable=False))
    op.create_table(
        "linkage_keys",
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"],
                                name=op.f("fk_linkage_keys_record_id_records")),
        sa.PrimaryKeyConstraint("record_id", "name", "value", name=op.f("pk_linkage_keys")),
    )
    op.create_index("ix_linkage_keys_name_value", "linkage_keys", ["name", "value"],
                    unique=False)


def downgrade() -> None:
    op.drop_index("ix_linkage_keys_name_value", table_name="linkage_keys")
    op.drop_table("linkage_keys")
    op.drop_column("linkage_runs", "keys_written")
