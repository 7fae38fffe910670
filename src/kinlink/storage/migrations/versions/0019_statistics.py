"""statistics: an agency's releases of public statistics and its public page switch

Revision ID: 0019
Revises: 0018

``statistics_releases`` holds one release per row: agency, as-of day, status (draft,
published, withdrawn), the release as JSON, its raw counts (never public), the release it
was protected against, and who prepared, published and withdrew it, when.
``statistics_public`` holds an agency's public page switch (no row: off until a release
is published).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

WHEN = sa.DateTime(timezone=True)
_INDEXED = ("agency_id", "status")


def upgrade() -> None:
    op.create_table(
        "statistics_releases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.Column("previous_id", sa.Integer(), nullable=True),
        sa.Column("prepared_by", sa.String(length=200), nullable=False),
        sa.Column("prepared_at", WHEN, nullable=False),
        sa.Column("published_by", sa.String(length=200), nullable=True),
        sa.Column("published_at", WHEN, nullable=True),
        sa.Column("withdrawn_by", sa.String(length=200), nullable=True),
        sa.Column("withdrawn_at", WHEN, nullable=True),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"],
                                name=op.f("fk_statistics_releases_agency_id_agencies")),
        sa.ForeignKeyConstraint(
            ["previous_id"], ["statistics_releases.id"],
            name=op.f("fk_statistics_releases_previous_id_statistics_releases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statistics_releases")),
    )
    for column in _INDEXED:
        op.create_index(op.f(f"ix_statistics_releases_{column}"), "statistics_releases",
                        [column], unique=False)
    op.create_table(
        "statistics_public",
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("changed_by", sa.String(length=200), nullable=False),
        sa.Column("changed_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"],
                                name=op.f("fk_statistics_public_agency_id_agencies")),
        sa.PrimaryKeyConstraint("agency_id", name=op.f("pk_statistics_public")),
    )


def downgrade() -> None:
    op.drop_table("statistics_public")
    for column in reversed(_INDEXED):
        op.drop_index(op.f(f"ix_statistics_releases_{column}"),
                      table_name="statistics_releases")
    op.drop_table("statistics_releases")
