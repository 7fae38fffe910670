"""exports waiting for their download and import jobs' progress in the store:
``pending_exports``; ``import_jobs.done``, ``total``, ``cancel_by``

Revision ID: 0022p
Revises: 0022c

``kinlink serve --workers N`` runs several processes on PostgreSQL; a request may reach
any of them. An export's one-time download and an import job's progress and cancel were
kept in the memory of the process that made them, so another process answered 404 or
"already ended": they are kept in the store now (the export's token as its hash only).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022p"
down_revision: str | None = "0022c"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pending_exports",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=200), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["list_id"], ["mediation_lists.id"],
                                name=op.f("fk_pending_exports_list_id_mediation_lists")),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_pending_exports")),
    )
    op.create_index(op.f("ix_pending_exports_expires_at"), "pending_exports", ["expires_at"])
    with op.batch_alter_table("import_jobs") as batch:
        batch.add_column(sa.Column("done", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("total", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("cancel_by", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("import_jobs") as batch:
        batch.drop_column("cancel_by")
        batch.drop_column("total")
        batch.drop_column("done")
    op.drop_index(op.f("ix_pending_exports_expires_at"), table_name="pending_exports")
    op.drop_table("pending_exports")
