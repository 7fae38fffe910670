"""photo_hashes: perceptual hashes of photographs, and the flags of pictures found near

Revision ID: 0018
Revises: 0017

``photo_hashes`` holds one row per picture of a document or per case photograph: its
place in the document, its PDF page, pHash and dHash, size, agency, and whether it is
retired (a replaced case photograph). ``photo_flags`` holds two pictures found near, the
distances, and a person's verdict (waiting, confirmed, dismissed), who and when.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

WHEN = sa.DateTime(timezone=True)
_HASH_INDEXED = ("agency_id", "document_id", "case_photo_id", "retired")
_FLAG_INDEXED = ("agency_id", "new_id", "old_id", "status")


def upgrade() -> None:
    op.create_table(
        "photo_hashes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("case_photo_id", sa.Integer(), nullable=True),
        sa.Column("picture", sa.Integer(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=True),
        sa.Column("phash", sa.String(length=16), nullable=False),
        sa.Column("dhash", sa.String(length=16), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"],
                                name=op.f("fk_photo_hashes_agency_id_agencies")),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"],
                                name=op.f("fk_photo_hashes_document_id_documents")),
        sa.ForeignKeyConstraint(["case_photo_id"], ["case_photos.id"],
                                name=op.f("fk_photo_hashes_case_photo_id_case_photos")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_photo_hashes")),
    )
    for column in _HASH_INDEXED:
        op.create_index(op.f(f"ix_photo_hashes_{column}"), "photo_hashes", [column],
                        unique=False)
    op.create_table(
        "photo_flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("new_id", sa.Integer(), nullable=False),
        sa.Column("old_id", sa.Integer(), nullable=False),
        sa.Column("phash_distance", sa.Integer(), nullable=False),
        sa.Column("dhash_distance", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("raised_at", WHEN, nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decided_at", WHEN, nullable=True),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"],
                                name=op.f("fk_photo_flags_agency_id_agencies")),
        sa.ForeignKeyConstraint(["new_id"], ["photo_hashes.id"],
                                name=op.f("fk_photo_flags_new_id_photo_hashes")),
        sa.ForeignKeyConstraint(["old_id"], ["photo_hashes.id"],
                                name=op.f("fk_photo_flags_old_id_photo_hashes")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_photo_flags")),
        sa.UniqueConstraint("new_id", "old_id", name="uq_photo_flags_new_id_old_id"),
    )
    for column in _FLAG_INDEXED:
        op.create_index(op.f(f"ix_photo_flags_{column}"), "photo_flags", [column],
                        unique=False)


def downgrade() -> None:
    for column in reversed(_FLAG_INDEXED):
        op.drop_index(op.f(f"ix_photo_flags_{column}"), table_name="photo_flags")
    op.drop_table("photo_flags")
    for column in reversed(_HASH_INDEXED):
        op.drop_index(op.f(f"ix_photo_hashes_{column}"), table_name="photo_hashes")
    op.drop_table("photo_hashes")
