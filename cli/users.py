"""`talent users create|revoke|list`: accounts and API keys, for the talent office."""

from typing import Annotated

import typer

from cli.console import handle_errors, out, print_json
from matcher.config import get_settings
from matcher.people import accounts
from matcher.people.accounts import Role
from matcher.platform import Platform

users_app = typer.Typer(help="Accounts and API keys (the talent office's job).", no_args_is_help=True)


@users_app.command("create")
@handle_errors
def create(
    role: Annotated[Role, typer.Option(help="admin, partner, enterprise or candidate.")],
    name: Annotated[str, typer.Option(help="Who will use the key.")],
    organization: Annotated[
        str | None, typer.Option("--org", help="The partner firm or enterprise (made on first use).")
    ] = None,
    candidate: Annotated[int | None, typer.Option(help="For a candidate account: the candidate's id.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Create an account and print its API key — the only time it is shown."""
    platform = Platform(get_settings())
    with platform.session() as session:
        account, key = accounts.open_account(
            session, None, role, name, organization=organization, candidate_id=candidate, via="cli"
        )
        payload = {"account_id": account.id, "role": role.value, "organization_id": account.organization_id, "key": key}
    if as_json:
        print_json(payload)
        return
    out.print(f"account {payload['account_id']} ({role.value}) created. Its API key, shown this once:")
    out.print(key, markup=False, highlight=False)


@users_app.command("revoke")
@handle_errors
def revoke(
    prefix: Annotated[str, typer.Argument(help="The key's first characters, as `talent users list` shows.")],
) -> None:
    """Revoke an API key: it stops working at once, and the console sessions signed in with it end."""
    platform = Platform(get_settings())
    with platform.session() as session:
        key = accounts.revoke_key(session, None, prefix, via="cli")
        shown = key.prefix
    out.print(f"key {shown}… revoked")


@users_app.command("list")
@handle_errors
def list_(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Every account's keys (first characters only) and whether they are revoked."""
    platform = Platform(get_settings())
    with platform.session() as session:
        rows = [
            {
                "account_id": account.id,
                "role": account.role,
                "name": account.name,
                "organization": account.organization.name if account.organization else None,
                "key": key.prefix + "…",
                "revoked": key.revoked_at is not None,
            }
            for account, key in accounts.list_keys(session)
        ]
    if as_json:
        print_json(rows)
        return
    for row in rows:
        state = "revoked" if row["revoked"] else "active"
        org = f" · {row['organization']}" if row["organization"] else ""
        out.print(f"{row['key']}  {state:7}  #{row['account_id']} {row['role']:10} {row['name']}{org}", markup=False)
