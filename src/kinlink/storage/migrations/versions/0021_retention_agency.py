"""retention rules of an agency: ``retention_rules.agency_id``

Revision ID: 0021
Revises: 0020

A retention rule set by an agency's supervisor applies to that agency's data only and is
changed by that agency only (``agency_id``); a rule with no agency (the defaults, and the
rules an administrator sets) applies to every agency's data. Before this revision every
rule was store-wide, so a supervisor of one agency could put out of force the rule that
erased another agency's data: the existing rules stay store-wide (NULL).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("retention_rules") as batch:
        batch.add_column(sa.Column("agency_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f("fk_retention_rules_agency_id_agencies"), "agencies",
                                 ["agency_id"], ["id"])
        batch.create_index(op.f("ix_retention_rules_agency_id"), ["agency_id"])


def downgrade() -> None:
    with op.batch_alter_table("retention_rules") as batch:
        batch.drop_index(op.f("ix_retention_rules_agency_id"))
        batch.drop_constraint(op.f("fk_retention_rules_agency_id_agencies"),
                              type_="foreignkey")
        batch.drop_column("agency_id")
