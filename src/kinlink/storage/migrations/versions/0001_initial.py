"""initial schema: sources, records, reporters, imports, audit

Revision ID: 0001
Revises: (none)
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.String(length=40), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("entity_type", sa.String(length=64), nullable=False),
        sa.Column("entity_id", sa.String(length=100), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_events_hash")),
    )
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("producer", sa.String(length=300), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("original_filename", sa.String(length=500), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("file_format", sa.String(length=8), nullable=False),
        sa.Column("encoding", sa.String(length=32), nullable=True),
        sa.Column("header", sa.JSON(), nullable=False),
        sa.Column("column_map", sa.JSON(), nullable=False),
        sa.Column("imported_by", sa.String(length=200), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sources")),
    )
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sources_sha256"), ["sha256"], unique=False)

    op.create_table(
        "import_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("original_filename", sa.String(length=500), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("started_by", sa.String(length=200), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rows_total", sa.Integer(), nullable=False),
        sa.Column("imported", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("field_errors", sa.Integer(), nullable=False),
        sa.Column("blank_lines", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_import_runs_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_runs")),
    )
    with op.batch_alter_table("import_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_runs_sha256"), ["sha256"], unique=False)

    op.create_table(
        "records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("import_run_id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=200), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.Column("raw", sa.JSON(), nullable=False),
        sa.Column("given_name", sa.String(length=200), nullable=True),
        sa.Column("surname", sa.String(length=200), nullable=True),
        sa.Column("patronymic", sa.String(length=200), nullable=True),
        sa.Column("full_name", sa.String(length=400), nullable=True),
        sa.Column("sex", sa.String(length=1), nullable=True),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("birth_month", sa.Integer(), nullable=True),
        sa.Column("birth_day", sa.Integer(), nullable=True),
        sa.Column("birth_place", sa.String(length=300), nullable=True),
        sa.Column("last_known_place", sa.String(length=300), nullable=True),
        sa.Column("event_year", sa.Integer(), nullable=True),
        sa.Column("event_month", sa.Integer(), nullable=True),
        sa.Column("event_day", sa.Integer(), nullable=True),
        sa.Column("source_text", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_run_id"], ["import_runs.id"], name=op.f("fk_records_import_run_id_import_runs")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_records_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_records")),
        sa.UniqueConstraint("source_id", "record_id", name="uq_records_source_record"),
    )
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.create_index(
            "ix_records_birth", ["birth_year", "birth_month", "birth_day"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_records_source_id"), ["source_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_records_surname"), ["surname"], unique=False)

    op.create_table(
        "import_issues",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_run_id", sa.Integer(), nullable=False),
        sa.Column("record_pk", sa.Integer(), nullable=True),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("column", sa.String(length=300), nullable=True),
        sa.Column("severity", sa.String(length=8), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("raw", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_run_id"],
            ["import_runs.id"],
            name=op.f("fk_import_issues_import_run_id_import_runs"),
        ),
        sa.ForeignKeyConstraint(
            ["record_pk"], ["records.id"], name=op.f("fk_import_issues_record_pk_records")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_issues")),
    )
    with op.batch_alter_table("import_issues", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_import_issues_import_run_id"), ["import_run_id"], unique=False
        )

    op.create_table(
        "reporters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_pk", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=True),
        sa.Column("relationship", sa.String(length=100), nullable=True),
        sa.Column("contact", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["record_pk"], ["records.id"], name=op.f("fk_reporters_record_pk_records")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reporters")),
        sa.UniqueConstraint("record_pk", name=op.f("uq_reporters_record_pk")),
    )


def downgrade() -> None:
    op.drop_table("reporters")
    with op.batch_alter_table("import_issues", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_issues_import_run_id"))

    op.drop_table("import_issues")
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_records_surname"))
        batch_op.drop_index(batch_op.f("ix_records_source_id"))
        batch_op.drop_index("ix_records_birth")

    op.drop_table("records")
    with op.batch_alter_table("import_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_runs_sha256"))

    op.drop_table("import_runs")
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sources_sha256"))

    op.drop_table("sources")
    op.drop_table("audit_events")
