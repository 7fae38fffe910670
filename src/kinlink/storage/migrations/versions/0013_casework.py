"""casework: reports registered by hand, consent, corrected records, case owners,
contact logs and tasks

Revision ID: 0013
Revises: 0012

A report taken on the hotline becomes a source of kind ``form`` with its intake (channel,
who took it, when, language) and the reporter's consent (tracing, sharing with named
channels, contact; a withdrawal is dated, never deleted). A correction keeps the record's
earlier parsed fields in ``record_versions`` and raises ``records.version`` (1 for every
record before this revision); a decision says which versions it was made on. A case gets
an owner, the time of its last activity, a contact log and tasks with due dates.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1",
                                      nullable=False))
    with op.batch_alter_table("reporters", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=True))
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("low_version", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("high_version", sa.Integer(), nullable=True))
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("owner_since", WHEN, nullable=True))
        batch_op.add_column(sa.Column("last_activity_at", WHEN, nullable=True))
        batch_op.create_index(batch_op.f("ix_cases_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_last_activity_at"), ["last_activity_at"],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_cases_owner_id_users"), "users",
                                    ["owner_id"], ["id"])
    _create_intake_and_consent()
    _create_record_versions()
    _create_case_log()


def _create_intake_and_consent() -> None:
    op.create_table(
        "intakes",
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("taken_by", sa.String(length=200), nullable=False),
        sa.Column("taken_at", WHEN, nullable=False),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"],
                                name=op.f("fk_intakes_source_id_sources")),
        sa.PrimaryKeyConstraint("source_id", name=op.f("pk_intakes")),
    )
    op.create_table(
        "consents",
        sa.Column("record_pk", sa.Integer(), nullable=False),
        sa.Column("tracing", sa.Boolean(), nullable=False),
        sa.Column("sharing", sa.Boolean(), nullable=False),
        sa.Column("channels", sa.JSON(), nullable=False),
        sa.Column("contact", sa.Boolean(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", WHEN, nullable=False),
        sa.Column("withdrawn_at", WHEN, nullable=True),
        sa.Column("withdrawn_by", sa.String(length=200), nullable=True),
        sa.Column("withdrawn_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["record_pk"], ["records.id"],
                                name=op.f("fk_consents_record_pk_records")),
        sa.PrimaryKeyConstraint("record_pk", name=op.f("pk_consents")),
    )
    op.create_index(op.f("ix_consents_withdrawn_at"), "consents", ["withdrawn_at"],
                    unique=False)


def _create_record_versions() -> None:
    op.create_table(
        "record_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_pk", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("changed_by", sa.String(length=200), nullable=False),
        sa.Column("changed_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["record_pk"], ["records.id"],
                                name=op.f("fk_record_versions_record_pk_records")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_versions")),
        sa.UniqueConstraint("record_pk", "version", name="uq_record_versions_record_version"),
    )
    op.create_index(op.f("ix_record_versions_record_pk"), "record_versions", ["record_pk"],
                    unique=False)


def _create_case_log() -> None:
    op.create_table(
        "case_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("at", WHEN, nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("with_whom", sa.String(length=300), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("logged_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"],
                                name=op.f("fk_case_contacts_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_contacts")),
    )
    op.create_index(op.f("ix_case_contacts_case_id"), "case_contacts", ["case_id"],
                    unique=False)
    op.create_table(
        "case_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("done_at", WHEN, nullable=True),
        sa.Column("done_by", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"],
                                name=op.f("fk_case_tasks_case_id_cases")),
        sa.ForeignKeyConstraint(["assignee_id"], ["users.id"],
                                name=op.f("fk_case_tasks_assignee_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_tasks")),
    )
    for column in ("case_id", "due_on", "assignee_id"):
        op.create_index(op.f(f"ix_case_tasks_{column}"), "case_tasks", [column],
                        unique=False)


def downgrade() -> None:
    for column in ("assignee_id", "due_on", "case_id"):
        op.drop_index(op.f(f"ix_case_tasks_{column}"), table_name="case_tasks")
    op.drop_table("case_tasks")
    op.drop_index(op.f("ix_case_contacts_case_id"), table_name="case_contacts")
    op.drop_table("case_contacts")
    op.drop_index(op.f("ix_record_versions_record_pk"), table_name="record_versions")
    op.drop_table("record_versions")
    op.drop_index(op.f("ix_consents_withdrawn_at"), table_name="consents")
    op.drop_table("consents")
    op.drop_table("intakes")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_cases_owner_id_users"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_cases_last_activity_at"))
        batch_op.drop_index(batch_op.f("ix_cases_owner_id"))
        for column in ("last_activity_at", "owner_since", "owner_id"):
            batch_op.drop_column(column)
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_column("high_version")
        batch_op.drop_column("low_version")
    with op.batch_alter_table("reporters", schema=None) as batch_op:
        batch_op.drop_column("language")
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.drop_column("version")
