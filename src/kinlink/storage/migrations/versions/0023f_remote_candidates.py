"""records of another party that privacy-preserving linkage pairs with ours:
``remote_candidates``, ``remote_decisions``

Revision ID: 0023f
Revises: 0022p

``kinlink pprl link`` returns pairs of record ids: one of ours, one the other party
holds. They are kept as remote candidates of our records (the party's name and its
opaque id, never anything about its child), with the decisions people take on them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023f"
down_revision: str | None = "0022p"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "remote_candidates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("record_pk", sa.Integer(), nullable=False),
        sa.Column("party", sa.String(length=100), nullable=False),
        sa.Column("remote_ref", sa.String(length=200), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("imported_by", sa.String(length=200), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"],
                                name=op.f("fk_remote_candidates_agency_id_agencies")),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"],
                                name=op.f("fk_remote_candidates_source_id_sources")),
        sa.ForeignKeyConstraint(["record_pk"], ["records.id"],
                                name=op.f("fk_remote_candidates_record_pk_records")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_remote_candidates")),
        sa.UniqueConstraint("record_pk", "party", "remote_ref",
                            name="uq_remote_candidates_pair"),
    )
    for column in ("agency_id", "source_id", "record_pk"):
        op.create_index(op.f(f"ix_remote_candidates_{column}"), "remote_candidates", [column])
    op.create_table(
        "remote_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("verdict", sa.String(length=12), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["candidate_id"], ["remote_candidates.id"],
                                name=op.f("fk_remote_decisions_candidate_id_remote_candidates")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_remote_decisions")),
    )
    op.create_index("ix_remote_decisions_candidate", "remote_decisions", ["candidate_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_remote_decisions_candidate", table_name="remote_decisions")
    op.drop_table("remote_decisions")
    for column in ("record_pk", "source_id", "agency_id"):
        op.drop_index(op.f(f"ix_remote_candidates_{column}"), table_name="remote_candidates")
    op.drop_table("remote_candidates")
