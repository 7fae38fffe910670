"""mentions: where evidence documents may name a child, and text extraction's warnings

Revision ID: 0017
Revises: 0016

A mention names a document, the page and span of its extracted text, the record it may be
about, a score, the evidence as coded messages, its status (waiting / confirmed /
rejected), who decided and when, and the document's agency. ``document_text_warnings``
keeps what text extraction warned of (OCR missing, pages not read) as coded messages.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

WHEN = sa.DateTime(timezone=True)
_INDEXED = ("agency_id", "document_id", "record_pk", "status")


def upgrade() -> None:
    op.create_table(
        "mentions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("record_pk", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decided_at", WHEN, nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"],
                                name=op.f("fk_mentions_agency_id_agencies")),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"],
                                name=op.f("fk_mentions_document_id_documents")),
        sa.ForeignKeyConstraint(["record_pk"], ["records.id"],
                                name=op.f("fk_mentions_record_pk_records")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentions")),
        sa.UniqueConstraint("document_id", "record_pk", "start",
                            name="uq_mentions_document_record_start"),
    )
    for column in _INDEXED:
        op.create_index(op.f(f"ix_mentions_{column}"), "mentions", [column], unique=False)
    op.create_table(
        "document_text_warnings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=100), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"],
                                name=op.f("fk_document_text_warnings_document_id_documents")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_text_warnings")),
    )
    op.create_index(op.f("ix_document_text_warnings_document_id"), "document_text_warnings",
                    ["document_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_document_text_warnings_document_id"),
                  table_name="document_text_warnings")
    op.drop_table("document_text_warnings")
    for column in reversed(_INDEXED):
        op.drop_index(op.f(f"ix_mentions_{column}"), table_name="mentions")
    op.drop_table("mentions")
