"""web application: agencies, users, sessions, source shares, search keys; owners of lists

Revision ID: 0004
Revises: 0003

Creates the first agency (id 1) and makes it the owner of every source and import run
that exists already; lists imported at the command line keep going to it (server
default). ``search_keys`` starts empty: the server fills it for records that have no
keys yet when it starts, and every import fills it for its own records.
"""

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def _agencies() -> None:
    agencies = op.create_table(
        "agencies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agencies")),
        sa.UniqueConstraint("name", name=op.f("uq_agencies_name")),
    )
    # No explicit id: the first row of a fresh table is 1 on SQLite and PostgreSQL alike,
    # and PostgreSQL's sequence stays in step.
    op.bulk_insert(agencies, [{"name": "Home agency", "created_at": dt.datetime.now(dt.UTC)}])


def _users() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=24), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("totp_secret", sa.String(length=64), nullable=True),
        sa.Column("totp_confirmed", sa.Boolean(), nullable=False),
        sa.Column("totp_last_step", sa.Integer(), nullable=True),
        sa.Column("failed_count", sa.Integer(), nullable=False),
        sa.Column("failed_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"],
                                name=op.f("fk_users_agency_id_agencies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_index(op.f("ix_users_agency_id"), "users", ["agency_id"])
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_web_sessions_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_web_sessions_token_hash")),
    )
    op.create_index(op.f("ix_web_sessions_user_id"), "web_sessions", ["user_id"])


def _shares_and_keys() -> None:
    op.create_table(
        "source_shares",
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("shared_by", sa.String(length=200), nullable=False),
        sa.Column("shared_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"],
                                name=op.f("fk_source_shares_agency_id_agencies")),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"],
                                name=op.f("fk_source_shares_source_id_sources")),
        sa.PrimaryKeyConstraint("source_id", "agency_id", name=op.f("pk_source_shares")),
    )
    op.create_index(op.f("ix_source_shares_agency_id"), "source_shares", ["agency_id"])
    op.create_table(
        "search_keys",
        sa.Column("record_pk", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=120), nullable=False),
        sa.Column("surname_key", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(["record_pk"], ["records.id"],
                                name=op.f("fk_search_keys_record_pk_records")),
        sa.PrimaryKeyConstraint("record_pk", "token", name=op.f("pk_search_keys")),
    )
    op.create_index("ix_search_keys_surname_token", "search_keys",
                    ["surname_key", "token", "record_pk"])
    op.create_index("ix_search_keys_token_surname", "search_keys",
                    ["token", "surname_key", "record_pk"])


def _owners() -> None:
    for table in ("sources", "import_runs"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("agency_id", sa.Integer(), nullable=False,
                                          server_default="1"))
            batch_op.create_foreign_key(op.f(f"fk_{table}_agency_id_agencies"), "agencies",
                                        ["agency_id"], ["id"])
            batch_op.create_index(op.f(f"ix_{table}_agency_id"), ["agency_id"], unique=False)


def upgrade() -> None:
    _agencies()
    _users()
    _shares_and_keys()
    _owners()


def downgrade() -> None:
    for table in ("import_runs", "sources"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(op.f(f"ix_{table}_agency_id"))
            batch_op.drop_constraint(op.f(f"fk_{table}_agency_id_agencies"),
                                     type_="foreignkey")
            batch_op.drop_column("agency_id")
    op.drop_index("ix_search_keys_token_surname", table_name="search_keys")
    op.drop_index("ix_search_keys_surname_token", table_name="search_keys")
    op.drop_table("search_keys")
    op.drop_index(op.f("ix_source_shares_agency_id"), table_name="source_shares")
    op.drop_table("source_shares")
    op.drop_index(op.f("ix_web_sessions_user_id"), table_name="web_sessions")
    op.drop_table("web_sessions")
    op.drop_index(op.f("ix_users_agency_id"), table_name="users")
    op.drop_table("users")
    op.drop_table("agencies")
