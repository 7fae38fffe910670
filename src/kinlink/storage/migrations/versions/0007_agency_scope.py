"""channels belong to an agency: need to know for mediation

Revision ID: 0007
Revises: 0006

A mediation channel, and through it every list sent through it, its exports and its
answers, belongs to one agency; only that agency's people see them. Every channel that
exists already goes to the home agency (id 1, created by 0004). A channel's name is
unique within its agency only: another agency's channel names are none of its business,
and a refused name must not tell them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

HOME_AGENCY = "1"
"""The home agency's id (``kinlink.domain.access.HOME_AGENCY_ID``), as 0004 created it."""


def upgrade() -> None:
    with op.batch_alter_table("channels", schema=None) as batch_op:
        batch_op.add_column(sa.Column("agency_id", sa.Integer(), nullable=False,
                                      server_default=HOME_AGENCY))
        batch_op.create_foreign_key(op.f("fk_channels_agency_id_agencies"), "agencies",
                                    ["agency_id"], ["id"])
        batch_op.create_index(op.f("ix_channels_agency_id"), ["agency_id"], unique=False)
        batch_op.drop_constraint(op.f("uq_channels_name"), type_="unique")
        batch_op.create_unique_constraint("uq_channels_agency_id_name",
                                          ["agency_id", "name"])


def downgrade() -> None:
    # Two agencies' channels of one name cannot stay apart without their agency: the
    # later ones get their id appended, so that no channel (and none of its lists) is lost.
    op.execute("UPDATE channels SET name = name || ' (' || CAST(id AS VARCHAR(20)) || ')' "
               "WHERE id NOT IN (SELECT MIN(id) FROM channels GROUP BY name)")
    with op.batch_alter_table("channels", schema=None) as batch_op:
        batch_op.drop_constraint("uq_channels_agency_id_name", type_="unique")
        batch_op.create_unique_constraint(op.f("uq_channels_name"), ["name"])
        batch_op.drop_index(op.f("ix_channels_agency_id"))
        batch_op.drop_constraint(op.f("fk_channels_agency_id_agencies"), type_="foreignkey")
        batch_op.drop_column("agency_id")
