"""import mappings: the column mapping chosen on the web per (agency, producer); the CSV
delimiter of each source

Revision ID: 0015
Revises: 0014

The Imports page previews an upload and lets a person map the headers kinlink does not
recognise; the mapping is kept per agency and producer (``import_mappings``) and offered
for that producer's next list. ``sources.delimiter`` keeps the CSV's delimiter so the
rejected rows and the error report come back as the file came in (NULL: XLSX, or a list
imported before this revision, written with commas).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("sources", sa.Column("delimiter", sa.String(length=1), nullable=True))
    op.create_table(
        "import_mappings",
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("producer", sa.String(length=300), nullable=False),
        sa.Column("columns", sa.JSON(), nullable=False),
        sa.Column("saved_by", sa.String(length=200), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"],
                                name=op.f("fk_import_mappings_agency_id_agencies")),
        sa.PrimaryKeyConstraint("agency_id", "producer", name=op.f("pk_import_mappings")),
    )


def downgrade() -> None:
    op.drop_table("import_mappings")
    op.drop_column("sources", "delimiter")
