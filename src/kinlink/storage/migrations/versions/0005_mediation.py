"""mediation: channels, lists of children sent through them, exports, answers, photos

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "channels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channels")),
        sa.UniqueConstraint("name", name=op.f("uq_channels_name")),
    )
    op.create_table(
        "mediation_lists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_by", sa.String(length=200), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"], ["channels.id"], name=op.f("fk_mediation_lists_channel_id_channels")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mediation_lists")),
    )
    op.create_index(
        op.f("ix_mediation_lists_channel_id"), "mediation_lists", ["channel_id"], unique=False
    )
    op.create_table(
        "answer_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("imported_by", sa.String(length=200), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["list_id"],
            ["mediation_lists.id"],
            name=op.f("fk_answer_imports_list_id_mediation_lists"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answer_imports")),
    )
    op.create_index(op.f("ix_answer_imports_list_id"), "answer_imports", ["list_id"], unique=False)
    op.create_table(
        "list_exports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("formats", sa.JSON(), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("children", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["list_id"],
            ["mediation_lists.id"],
            name=op.f("fk_list_exports_list_id_mediation_lists"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_list_exports")),
    )
    op.create_index(op.f("ix_list_exports_list_id"), "list_exports", ["list_id"], unique=False)
    op.create_table(
        "list_children",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=16), nullable=False),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_values", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_list_children_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["list_id"],
            ["mediation_lists.id"],
            name=op.f("fk_list_children_list_id_mediation_lists"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_list_children")),
        sa.UniqueConstraint("list_id", "case_id", name=op.f("uq_list_children_list_id")),
        sa.UniqueConstraint("reference", name=op.f("uq_list_children_reference")),
    )
    op.create_index(op.f("ix_list_children_case_id"), "list_children", ["case_id"], unique=False)
    op.create_index(op.f("ix_list_children_list_id"), "list_children", ["list_id"], unique=False)
    op.create_table(
        "answer_rows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("list_child_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("how", sa.String(length=12), nullable=True),
        sa.Column("probability", sa.Float(), nullable=True),
        sa.Column("sure", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=True),
        sa.Column("status_text", sa.Text(), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("problem", sa.Text(), nullable=True),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("state_note", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["answer_imports.id"],
            name=op.f("fk_answer_rows_import_id_answer_imports"),
        ),
        sa.ForeignKeyConstraint(
            ["list_child_id"],
            ["list_children.id"],
            name=op.f("fk_answer_rows_list_child_id_list_children"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answer_rows")),
    )
    op.create_index(op.f("ix_answer_rows_import_id"), "answer_rows", ["import_id"], unique=False)
    op.create_index(
        op.f("ix_answer_rows_list_child_id"), "answer_rows", ["list_child_id"], unique=False
    )

    op.create_table(
        "case_photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(length=20), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_photos_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_photos")),
        sa.UniqueConstraint("case_id", name=op.f("uq_case_photos_case_id")),
    )


def downgrade() -> None:
    op.drop_table("case_photos")
    op.drop_index(op.f("ix_answer_rows_list_child_id"), table_name="answer_rows")
    op.drop_index(op.f("ix_answer_rows_import_id"), table_name="answer_rows")
    op.drop_table("answer_rows")
    op.drop_index(op.f("ix_list_children_list_id"), table_name="list_children")
    op.drop_index(op.f("ix_list_children_case_id"), table_name="list_children")
    op.drop_table("list_children")
    op.drop_index(op.f("ix_list_exports_list_id"), table_name="list_exports")
    op.drop_table("list_exports")
    op.drop_index(op.f("ix_answer_imports_list_id"), table_name="answer_imports")
    op.drop_table("answer_imports")
    op.drop_index(op.f("ix_mediation_lists_channel_id"), table_name="mediation_lists")
    op.drop_table("mediation_lists")
    op.drop_table("channels")
