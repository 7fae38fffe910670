"""audit_events: the id of the key each event was authenticated with, and its HMAC

Revision ID: 0010
Revises: 0009

An unkeyed SHA-256 chain can be recomputed by anyone who can write the database, so
every event written from now on also carries an HMAC-SHA256 of its chained hash, made
with a key kept outside the database (``data_dir/keys`` or ``KINLINK_AUDIT_KEY``), and
the id of that key. Events written before this revision have neither: verification
checks them by their hash alone and reports how many there are.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("key_id", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("mac", sa.String(length=64), nullable=True))


def downgrade() -> None:
    # The chain of hashes stays whole without them; only the keyed check is lost.
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_column("mac")
        batch_op.drop_column("key_id")
