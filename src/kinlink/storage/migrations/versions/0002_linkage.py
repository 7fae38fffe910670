"""record linkage: trained models, runs, candidate pairs, linked sources

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "linkage_models",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=100), nullable=False),
        sa.Column("spec_version", sa.String(length=100), nullable=False),
        sa.Column("spec_digest", sa.String(length=64), nullable=False),
        sa.Column("spec", sa.JSON(), nullable=False),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("records_used", sa.Integer(), nullable=False),
        sa.Column("engine", sa.String(length=200), nullable=False),
        sa.Column("trained_by", sa.String(length=200), nullable=False),
        sa.Column("trained_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_linkage_models")),
        sa.UniqueConstraint("version", name=op.f("uq_linkage_models_version")),
    )
    op.create_table(
        "linkage_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("model_id", sa.Integer(), nullable=False),
        sa.Column("spec_digest", sa.String(length=64), nullable=False),
        sa.Column("started_by", sa.String(length=200), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("new_records", sa.Integer(), nullable=False),
        sa.Column("existing_records", sa.Integer(), nullable=False),
        sa.Column("pairs", sa.Integer(), nullable=False),
        sa.Column("matches", sa.Integer(), nullable=False),
        sa.Column("reviews", sa.Integer(), nullable=False),
        sa.Column("skipped_rules", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["model_id"], ["linkage_models.id"],
                                name=op.f("fk_linkage_runs_model_id_linkage_models")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_linkage_runs")),
    )
    with op.batch_alter_table("linkage_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_linkage_runs_model_id"), ["model_id"],
                              unique=False)

    op.create_table(
        "candidate_pairs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_low", sa.Integer(), nullable=False),
        sa.Column("record_high", sa.Integer(), nullable=False),
        sa.Column("model_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("match_weight", sa.Float(), nullable=False),
        sa.Column("match_probability", sa.Float(), nullable=False),
        sa.Column("decision", sa.String(length=8), nullable=False),
        sa.Column("explanation", sa.JSON(), nullable=False),
        sa.Column("scored_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["model_id"], ["linkage_models.id"],
                                name=op.f("fk_candidate_pairs_model_id_linkage_models")),
        sa.ForeignKeyConstraint(["record_high"], ["records.id"],
                                name=op.f("fk_candidate_pairs_record_high_records")),
        sa.ForeignKeyConstraint(["record_low"], ["records.id"],
                                name=op.f("fk_candidate_pairs_record_low_records")),
        sa.ForeignKeyConstraint(["run_id"], ["linkage_runs.id"],
                                name=op.f("fk_candidate_pairs_run_id_linkage_runs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidate_pairs")),
        sa.UniqueConstraint("record_low", "record_high", name="uq_candidate_pairs_pair"),
    )
    with op.batch_alter_table("candidate_pairs", schema=None) as batch_op:
        batch_op.create_index("ix_candidate_pairs_decision", ["decision", "match_probability"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_candidate_pairs_record_high"), ["record_high"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_candidate_pairs_run_id"), ["run_id"],
                              unique=False)

    op.create_table(
        "linked_sources",
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("model_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["model_id"], ["linkage_models.id"],
                                name=op.f("fk_linked_sources_model_id_linkage_models")),
        sa.ForeignKeyConstraint(["run_id"], ["linkage_runs.id"],
                                name=op.f("fk_linked_sources_run_id_linkage_runs")),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"],
                                name=op.f("fk_linked_sources_source_id_sources")),
        sa.PrimaryKeyConstraint("source_id", "model_id", name=op.f("pk_linked_sources")),
    )


def downgrade() -> None:
    op.drop_table("linked_sources")
    with op.batch_alter_table("candidate_pairs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_candidate_pairs_run_id"))
        batch_op.drop_index(batch_op.f("ix_candidate_pairs_record_high"))
        batch_op.drop_index("ix_candidate_pairs_decision")
    op.drop_table("candidate_pairs")
    with op.batch_alter_table("linkage_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_linkage_runs_model_id"))
    op.drop_table("linkage_runs")
    op.drop_table("linkage_models")
