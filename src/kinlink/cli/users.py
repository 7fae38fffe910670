"""``kinlink users``: accounts at the command line (the first administrator above all).

Passwords are generated and printed once; kinlink keeps only their hashes, and the person
must replace a generated password with their own at their first sign-in. The first
administrator's second factor is made here too and printed once (secret, URI and a QR
code for the terminal), because nobody can sign in yet to set it up.
"""

from __future__ import annotations

from typing import Annotated

import segno
import typer
from rich.table import Table
from rich.text import Text

from kinlink.accounts import AccountAdmin, NewUser
from kinlink.cli.context import (
    acting,
    actor,
    friendly_errors,
    local_time,
    out,
    settings,
    store,
    term,
    tr,
)
from kinlink.domain.access import HOME_AGENCY_ID
from kinlink.domain.users import UserRole
from kinlink.usecases.demo_accounts import create_demo_accounts
from kinlink.web.labels import DEFAULT_AGENCY, USER_ROLES

app = typer.Typer(help="Manage the people who sign in to the web application: create the "
                       "first administrator, create users, reset passwords and second "
                       "factors, unlock.", no_args_is_help=True)

Username = Annotated[str, typer.Argument(help="The user name (letters, digits, . _ -).",
                                         show_default=False)]


def _print_secrets(made: NewUser) -> None:
    """Print the account's one-time secrets, each whole on one line whatever the
    terminal's width (a URI or password broken by the wrap cannot be copied), escaped
    so that no character of them is taken for markup."""
    labels = {"user": tr("User name:"), "password": tr("Password:"),
              "secret": tr("TOTP secret:"), "uri": tr("TOTP URI:")}
    width = max(len(label) for label in labels.values()) + 1
    labels = {key: label.ljust(width) for key, label in labels.items()}
    _secret(labels["user"], made.user.username)
    if made.password:
        _secret(labels["password"], made.password)
        out.print(tr("(shown only now; to be replaced by one of the person's own at the "
                     "first sign-in)"))
    if made.totp_secret and made.totp_uri:
        _secret(labels["secret"], made.totp_secret)
        out.print(tr("(shown only now)"))
        _secret(labels["uri"], made.totp_uri, style="")
        out.print(tr("Scan this with an authenticator app, or type the secret into it:"))
        segno.make(made.totp_uri, error="m").terminal(compact=True)


def _agency(name: str | None) -> str:
    """An agency's name; the first agency's default name in the reader's language."""
    return tr(DEFAULT_AGENCY) if name == DEFAULT_AGENCY else name or ""


def _secret(title: str, value: str, style: str = "bold") -> None:
    """``title`` and ``value`` on one line, never wrapped."""
    out.print(Text.assemble(title, (value, style)), soft_wrap=True)


@app.command("create-admin")
@friendly_errors
def create_admin_command(
    username: Annotated[str, typer.Option(help="User name of the administrator.")] = "admin",
    agency: Annotated[str | None, typer.Option(
        help="Name of an existing agency (default: the home agency).",
        show_default=False)] = None,
) -> None:
    """Create the first administrator if there is none; print the password and the
    second factor once. Does nothing when an administrator exists already."""
    config = settings()
    with store(config) as opened:
        admin = AccountAdmin(opened)
        if admin.has_admin():
            out.print(tr("An administrator exists already; nothing was created. Reset a "
                         "password with `kinlink users reset-password NAME`."))
            return
        agency_id = admin.agency_id_named(agency) if agency else HOME_AGENCY_ID
        made = admin.create_user(actor(config), username, UserRole.ADMIN, agency_id,
                                 with_second_factor=True)
    out.print("[bold green]" + tr("Administrator created.") + "[/]")
    _print_secrets(made)


@app.command("create-demo")
@friendly_errors
def create_demo_command(
    language: Annotated[str, typer.Option(help="Interface language of the accounts: uk "
                                          "or en.")] = "uk",
) -> None:
    """Create the demo supervisor and the demo case worker of the demo agency (the one
    `kinlink demo run` loads its lists into); print each one's password and second factor
    once. Does nothing for an account that exists already."""
    config = settings()
    with store(config) as opened:
        made = create_demo_accounts(opened, acting(config), language)
    if not made.created:
        out.print(tr("The demo accounts exist already; nothing was created. Reset a "
                     "password with `kinlink users reset-password NAME`."))
        return
    for name in made.existing:
        out.print(tr("{user} exists already; nothing was created for it.").format(user=name))
    for account in made.created:
        out.print("\n" + tr("[bold green]Demo {role} created[/] (agency: {agency}).").format(
            role=term(USER_ROLES, account.user.role), agency=_agency(account.user.agency)))
        _print_secrets(account)


@app.command("create")
@friendly_errors
def create_command(
    username: Username,
    role: Annotated[UserRole, typer.Option(help="The person's role.")] = UserRole.CASE_WORKER,
    agency: Annotated[str | None, typer.Option(
        help="Name of an existing agency (default: the home agency).",
        show_default=False)] = None,
    language: Annotated[str, typer.Option(help="Interface language: uk or en.")] = "uk",
) -> None:
    """Create a user with a generated password (printed once); they set up the second
    factor at first sign-in."""
    config = settings()
    with store(config) as opened:
        admin = AccountAdmin(opened)
        agency_id = admin.agency_id_named(agency) if agency else HOME_AGENCY_ID
        made = admin.create_user(actor(config), username, role, agency_id, language)
    _print_secrets(made)


@app.command("list")
@friendly_errors
def list_command() -> None:
    """List users: role, agency, second factor, whether they may sign in."""
    config = settings()
    with store(config) as opened:
        users = AccountAdmin(opened).users()
    table = Table(tr("id"), tr("user name"), tr("role"), tr("agency"), tr("second factor"),
                  tr("password"), tr("state"), tr("failed sign-ins"),
                  title=tr("Users: {count}").format(count=len(users)))
    for user in users:
        state = tr("disabled") if user.disabled else (
            tr("throttled until {moment}").format(
                moment=local_time(user.throttled_until, config))
            if user.throttled_until else tr("active"))
        table.add_row(str(user.id), user.username, term(USER_ROLES, user.role),
                      _agency(user.agency),
                      tr("set up") if user.second_factor else tr("at next sign-in"),
                      tr("to change") if user.must_change_password else tr("own"), state,
                      str(user.failed_sign_ins))
    out.print(table)


@app.command("reset-password")
@friendly_errors
def reset_password_command(username: Username) -> None:
    """Give a user a new generated password (printed once) and end their sessions."""
    config = settings()
    with store(config) as opened:
        admin = AccountAdmin(opened)
        made = admin.reset_password(actor(config), admin.user_id_named(username))
    _print_secrets(made)


@app.command("reset-second-factor")
@friendly_errors
def reset_second_factor_command(username: Username) -> None:
    """Forget a user's second factor: they set up a new one at next sign-in."""
    config = settings()
    with store(config) as opened:
        admin = AccountAdmin(opened)
        admin.reset_second_factor(actor(config), admin.user_id_named(username))
    out.print(tr("{user} sets up a new second factor at the next sign-in.").format(
        user=username))


@app.command("unlock")
@friendly_errors
def unlock_command(username: Username) -> None:
    """Clear an account's failed sign-ins and the wait they imposed on its next sign-in."""
    config = settings()
    with store(config) as opened:
        admin = AccountAdmin(opened)
        admin.unlock(actor(config), admin.user_id_named(username))
    out.print(tr("The failed sign-ins of {user} are cleared; the next sign-in need not "
                 "wait.").format(user=username))
