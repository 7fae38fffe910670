"""sources: a state, so an import can write in chunks that nobody sees until it ends

Revision ID: 0006
Revises: 0005

An import now writes its records in many short transactions (other people's reads and
small writes go on between them) into a source whose state is ``importing``; its last
transaction turns the source ``ready``, and only ready sources and their records are
seen anywhere. Every source that exists already was imported in one transaction: it is
``ready`` (server default).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.add_column(sa.Column("state", sa.String(length=16), nullable=False,
                                      server_default="ready"))


_REMOVE_UNFINISHED = (
    "DELETE FROM search_keys WHERE record_pk IN (SELECT r.id FROM records r JOIN sources s "
    "ON s.id = r.source_id WHERE s.state = 'importing')",
    "DELETE FROM reporters WHERE record_pk IN (SELECT r.id FROM records r JOIN sources s "
    "ON s.id = r.source_id WHERE s.state = 'importing')",
    "DELETE FROM import_issues WHERE record_pk IN (SELECT r.id FROM records r JOIN sources s "
    "ON s.id = r.source_id WHERE s.state = 'importing')",
    "DELETE FROM records WHERE source_id IN (SELECT id FROM sources WHERE state = 'importing')",
    "DELETE FROM source_shares WHERE source_id IN "
    "(SELECT id FROM sources WHERE state = 'importing')",
    "DELETE FROM sources WHERE state = 'importing'",
)


def downgrade() -> None:
    # Without the state, the rows of imports that never finished would become visible:
    # remove them (importing the file again after the downgrade writes them anew).
    for statement in _REMOVE_UNFINISHED:
        op.execute(statement)
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.drop_column("state")
