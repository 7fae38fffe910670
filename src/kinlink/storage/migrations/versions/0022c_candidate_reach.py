"""records whose child has a pair waiting for review: ``candidate_reach``

Revision ID: 0022c
Revises: 0021

The caseload's *has candidates* filter walked every link from every pair waiting for
review at each request (a recursive query, 0.3–0.7 s on a 100k store). This table keeps
the walk's answer for every list (:mod:`kinlink.storage.candidate_reach`), refreshed
where pairs, decisions, links and consents change; it is filled here from the store as
it is (one read of the links and of the waiting pairs).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision: str = "0022c"
down_revision: str | None = "0021"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "candidate_reach",
        sa.Column("record_pk", sa.Integer(), nullable=False),
        sa.Column("low_source", sa.Integer(), nullable=False),
        sa.Column("high_source", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["record_pk"], ["records.id"],
                                name=op.f("fk_candidate_reach_record_pk_records")),
        sa.PrimaryKeyConstraint("record_pk", "low_source", "high_source",
                                name=op.f("pk_candidate_reach")),
    )
    # The application's own rebuild fills it (the same code that keeps it afterwards).
    from kinlink.storage.candidate_reach import rebuild

    rebuild(Session(bind=op.get_bind()))


def downgrade() -> None:
    op.drop_table("candidate_reach")
