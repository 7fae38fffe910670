"""documents: evidence documents with their collection record, and derived artefacts

Revision ID: 0016
Revises: 0015

A document row holds the SHA-256 of an original kept in the content store (the bytes are
outside the database), its collection record, its owner agency, and at most one of a
case, a record or a list it is attached to (none: the agency's inbox); the roles it is
restricted to. ``document_derived`` holds what is made from an original (a working copy;
later extracted text, OCR) with the tool and version that made it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

WHEN = sa.DateTime(timezone=True)
_INDEXED = ("agency_id", "sha256", "case_id", "record_pk", "source_id", "uploaded_at")


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("doc_type", sa.String(length=16), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("record_pk", sa.Integer(), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("restricted_to", sa.JSON(), nullable=False),
        sa.Column("collected_at", WHEN, nullable=False),
        sa.Column("collected_offset", sa.Integer(), nullable=False),
        sa.Column("collected_by", sa.String(length=300), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("source_url", sa.Text(), nullable=True),
        sa.Column("device", sa.String(length=300), nullable=True),
        sa.Column("from_person", sa.String(length=300), nullable=True),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("uploaded_by", sa.String(length=200), nullable=False),
        sa.Column("uploaded_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"],
                                name=op.f("fk_documents_agency_id_agencies")),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"],
                                name=op.f("fk_documents_case_id_cases")),
        sa.ForeignKeyConstraint(["record_pk"], ["records.id"],
                                name=op.f("fk_documents_record_pk_records")),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"],
                                name=op.f("fk_documents_source_id_sources")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
    )
    for column in _INDEXED:
        op.create_index(op.f(f"ix_documents_{column}"), "documents", [column], unique=False)
    op.create_table(
        "document_derived",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("tool", sa.String(length=100), nullable=False),
        sa.Column("tool_version", sa.String(length=100), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"],
                                name=op.f("fk_document_derived_document_id_documents")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_derived")),
        sa.UniqueConstraint("document_id", "kind", "sha256",
                            name="uq_document_derived_document_kind_sha256"),
    )
    op.create_index(op.f("ix_document_derived_document_id"), "document_derived",
                    ["document_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_document_derived_document_id"), table_name="document_derived")
    op.drop_table("document_derived")
    for column in reversed(_INDEXED):
        op.drop_index(op.f(f"ix_documents_{column}"), table_name="documents")
    op.drop_table("documents")
