"""retention: legal holds, retention rules and erasure tombstones

Revision ID: 0020
Revises: 0019

``legal_holds`` keeps a hold on a case, record, list or document (its reference, reason,
who placed and lifted it, when); ``retention_rules`` keeps how long each group of fields
is kept, and starts with the default rules (:data:`kinlink.domain.retention.DEFAULT_RULES`
as they were at this revision); ``erasures`` keeps one tombstone per erasure: what, the
fields that were there, when, by whom, why — never a value.
"""

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

WHEN = sa.DateTime(timezone=True)

_DEFAULTS = (
    ("reporter_contact", "case_closed", 730,
     "the reporter's contact: 2 years after the case is closed"),
    ("notes", "case_closed", 1825,
     "contact log and task titles: 5 years after the case is closed"),
    ("photographs", "case_closed", 365,
     "the case's photograph: 1 year after the case is closed"),
    ("documents", "case_closed", 3650,
     "evidence documents of a case: 10 years after it is closed"),
    ("record", "consent_withdrawn", 30,
     "a report whose consent was withdrawn: 30 days after the withdrawal"),
)


def upgrade() -> None:
    op.create_table(
        "legal_holds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("target", sa.String(length=16), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=300), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("placed_by", sa.String(length=200), nullable=False),
        sa.Column("placed_at", WHEN, nullable=False),
        sa.Column("lifted_by", sa.String(length=200), nullable=True),
        sa.Column("lifted_at", WHEN, nullable=True),
        sa.Column("lift_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"],
                                name=op.f("fk_legal_holds_agency_id_agencies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_holds")),
    )
    op.create_index(op.f("ix_legal_holds_agency_id"), "legal_holds", ["agency_id"])
    op.create_index("ix_legal_holds_target", "legal_holds", ["target", "target_id"])
    rules = op.create_table(
        "retention_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("field_group", sa.String(length=24), nullable=False),
        sa.Column("anchor", sa.String(length=24), nullable=False),
        sa.Column("keep_days", sa.Integer(), nullable=False),
        sa.Column("source_kind", sa.String(length=32), nullable=True),
        sa.Column("case_status", sa.String(length=24), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("set_by", sa.String(length=200), nullable=False),
        sa.Column("set_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_rules")),
    )
    now = dt.datetime.now(dt.UTC)
    op.bulk_insert(rules, [
        {"field_group": group, "anchor": anchor, "keep_days": days, "source_kind": None,
         "case_status": None, "note": note, "active": True, "set_by": "kinlink",
         "set_at": now} for group, anchor, days, note in _DEFAULTS])
    op.create_table(
        "erasures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("basis", sa.String(length=24), nullable=False),
        sa.Column("rule_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("erased_by", sa.String(length=200), nullable=False),
        sa.Column("erased_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["rule_id"], ["retention_rules.id"],
                                name=op.f("fk_erasures_rule_id_retention_rules")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erasures")),
    )
    op.create_index(op.f("ix_erasures_erased_at"), "erasures", ["erased_at"])
    op.create_index("ix_erasures_target", "erasures", ["kind", "target_id"])


def downgrade() -> None:
    op.drop_index("ix_erasures_target", table_name="erasures")
    op.drop_index(op.f("ix_erasures_erased_at"), table_name="erasures")
    op.drop_table("erasures")
    op.drop_table("retention_rules")
    op.drop_index("ix_legal_holds_target", table_name="legal_holds")
    op.drop_index(op.f("ix_legal_holds_agency_id"), table_name="legal_holds")
    op.drop_table("legal_holds")
