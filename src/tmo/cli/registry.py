"""`tmo registry`: the diaspora registry's database (docs/registry.md): make or upgrade
it, fill it with synthetic registrants, print its suppressed aggregates."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click

from tmo.cli.store import db_option
from tmo.config import settings
from tmo.errors import InputError
from tmo.pipeline import store_registry
from tmo.registry import (
    accounts,
    aggregates,
    demo,
    outbox,
    publication,
    registrations,
    retention,
)
from tmo.registry.database import engine, migrate, require_current, resolve_url, transaction, where
from tmo.skills import aggregates as skills_aggregates
from tmo.skills import saved
from tmo.store import facts
from tmo.store.query import connect

registry_option = click.option(
    "--registry", "url", default=None, metavar="URL",
    help="The registry's database: sqlite:///PATH or postgresql://USER@HOST/DB (default "
         "$TMO_REGISTRY_URL, else registry.sqlite beside the store).")


def _url(url: str | None, db: Path | None) -> str:
    return resolve_url(url, settings(db=db).db_path)


@click.group()
def registry() -> None:
    """The diaspora registry: citizens abroad registered with their missions."""


@registry.command("init")
@registry_option
@db_option
@click.option("--admin", "admin_email", default=None, metavar="EMAIL",
              help="Create the first administrator with this e-mail (password from "
                   "TMO_REGISTRY_ADMIN_PASSWORD or a prompt).")
@click.option("--password", envvar="TMO_REGISTRY_ADMIN_PASSWORD", default=None,
              hidden=True)
def init_command(url: str | None, db: Path | None, admin_email: str | None,
                 password: str | None) -> None:
    """Create the registry's database, or upgrade it to this version's schema."""
    made = engine(_url(url, db))
    migrate(made)
    click.echo(f"registry ready at {where(made)}")
    if admin_email:
        if password is None:
            password = click.prompt("administrator's password", hide_input=True,
                                    confirmation_prompt=True)
        with transaction(made) as session:
            accounts.create_admin(session, admin_email, password)
        click.echo(f"administrator {admin_email} created")


@registry.command("demo")
@registry_option
@db_option
@click.option("--country", required=True, metavar="ISO3",
              help="The country of origin whose registry this is.")
@click.option("--n", "n", type=int, default=1000, show_default=True,
              help="How many synthetic registrants to add.")
@click.option("--seed", type=int, default=0, show_default=True)
def demo_command(url: str | None, db: Path | None, country: str, n: int, seed: int) -> None:
    """Add N SYNTHETIC registrants whose countries of residence follow the UN DESA
    emigrant stocks of COUNTRY (read from the store)."""
    made = require_current(engine(_url(url, db)))
    con = connect(settings(db=db).db_path)
    try:
        code = facts.require_country(con, country)
        result = demo.populate(made, con, code, n, seed=seed)
    finally:
        con.close()
    click.echo(f"added {result['added']:,} SYNTHETIC registrants of {code} in "
               f"{result['countries_of_residence']} countries of residence, following UN "
               f"DESA {result['revision']} ({result['year']}, {result['source']})")


@registry.command("purge")
@registry_option
@db_option
@click.option("--unverified-days", type=int, default=None, metavar="DAYS",
              help="Erase registrants who have not verified their e-mail DAYS days after "
                   "registering.")
@click.option("--idle-staff-days", type=int, default=None, metavar="DAYS",
              help="Remove officer, analyst and administrator accounts not used for DAYS "
                   "days (one administrator is always kept).")
@click.option("--audit-days", type=int, default=None, metavar="DAYS",
              help="Delete audit entries older than DAYS days.")
def purge_command(url: str | None, db: Path | None, unverified_days: int | None,
                  idle_staff_days: int | None, audit_days: int | None) -> None:
    """Apply retention rules (audit-logged): unverified registrations, idle staff
    accounts, old audit entries."""
    if unverified_days is None and idle_staff_days is None and audit_days is None:
        raise InputError("no retention rule given",
                         hint="pass --unverified-days, --idle-staff-days or --audit-days")
    made = require_current(engine(_url(url, db)))
    if unverified_days is not None:
        with transaction(made) as session:
            count = registrations.purge_unverified(session, unverified_days)
        click.echo(f"erased {count:,} registrations not verified within {unverified_days} "
                   "days")
    if idle_staff_days is not None:
        with transaction(made) as session:
            count = retention.purge_idle_staff(session, idle_staff_days)
        click.echo(f"removed {count:,} staff accounts unused for {idle_staff_days} days")
    if audit_days is not None:
        with transaction(made) as session:
            count = retention.purge_audit(session, audit_days)
        click.echo(f"deleted {count:,} audit entries older than {audit_days} days")
    registrations.scrub(made)


@registry.command("publish-aggregates")
@registry_option
@db_option
@click.option("--k", type=click.IntRange(min=aggregates.K), default=aggregates.K,
              show_default=True,
              help="Suppress counts under K (at least 10) and those that would reveal them.")
@click.option("--wait", type=float, default=0, metavar="SECONDS",
              help="Wait this long for another writer of the store to finish.")
def publish_command(url: str | None, db: Path | None, k: int, wait: float) -> None:
    """Publish the registry's suppressed registrants by country of residence into the
    statistics store (views registry_residence and registry_skills, the skills composition),
    where the Migration Profile of the registry's country shows them as "Registered
    diaspora"."""
    made = require_current(engine(_url(url, db)))
    rows = publication.publication(made, k)
    skills = skills_aggregates.publication(made, k)
    store_registry(settings(db=db).db_path, rows, wait=wait, skills=skills)
    total = rows[-1]["registered"]
    label = " SYNTHETIC" if rows[-1]["synthetic"] else ""
    click.echo(f"published{label} registrants of {rows[-1]['origin']} in {len(rows) - 1} "
               f"countries of residence (total {_shown(total)}; counts under {k} "
               "suppressed) into the store; its profile was rebuilt")


@registry.command("send-mail")
@registry_option
@db_option
@click.option("--watch", type=click.FloatRange(min=1), default=None, metavar="SECONDS",
              help="Keep sending: look for due mail every SECONDS (a worker); else send "
                   "what is due once (from cron).")
@click.option("--limit", type=click.IntRange(min=1), default=100, show_default=True,
              help="Messages per SMTP connection.")
@click.option("--failed", is_flag=True, help="List the messages given up (id, tries, error).")
@click.option("--retry", "retry_failed", is_flag=True,
              help="Queue the messages given up again.")
def send_mail_command(url: str | None, db: Path | None, *, watch: float | None, limit: int,
                      failed: bool, retry_failed: bool) -> None:
    """Send the registry's outbox by SMTP (TMO_SMTP_HOST, TMO_SMTP_PORT, TMO_SMTP_SECURITY,
    TMO_SMTP_USER, TMO_SMTP_PASSWORD, TMO_SMTP_FROM), retrying refusals with back-off."""
    made = require_current(engine(_url(url, db)))
    if failed:
        for row in outbox.given_up(made):
            click.echo(f"{row['id']}\t{row['attempts']} tries\t{row['last_error']}")
        return
    if retry_failed:
        click.echo(f"queued again: {outbox.retry(made)}")
        return
    smtp = outbox.Smtp.from_env()
    while True:
        total = outbox.Report()
        while True:
            done = outbox.send_due(made, smtp, limit)
            total.sent += done.sent
            total.failed += done.failed
            total.given_up += done.given_up
            if done.sent + done.failed + done.given_up < limit:
                break
        if watch is None or total.sent + total.failed + total.given_up:
            left = outbox.pending(made)
            click.echo(f"sent {total.sent}, refused {total.failed} (to retry), given up "
                       f"{total.given_up}; waiting {left['waiting']}, given up in all "
                       f"{left['given_up']}")
        if watch is None:
            return
        time.sleep(watch)


@registry.command("notify")
@registry_option
@db_option
@click.option("--base-url", envvar="TMO_PUBLIC_URL", required=True, metavar="URL",
              help="The registry's public address, for the links in the mail "
                   "(or TMO_PUBLIC_URL), e.g. https://registry.example.gov")
def notify_command(url: str | None, db: Path | None, base_url: str) -> None:
    """Queue one message per saved search of an institution that new consenting profiles
    match (sent by `tmo registry send-mail`); from cron."""
    if not base_url.startswith(("https://", "http://localhost")):
        raise InputError(f"--base-url {base_url!r}: an https:// address",
                         hint="the links in the mail open the registry's pages")
    made = require_current(engine(_url(url, db)))
    with transaction(made) as session:
        count = saved.notify(session, base_url.rstrip("/"))
    click.echo(f"queued {count} notifications of new matching profiles")


@registry.command("stats")
@registry_option
@db_option
@click.option("--k", type=click.IntRange(min=1), default=aggregates.K, show_default=True,
              help="Suppress figures under K (and those that would reveal them).")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="text",
              show_default=True)
def stats_command(url: str | None, db: Path | None, k: int, fmt: str) -> None:
    """The registry's aggregates, with small-cell and complementary suppression."""
    made = require_current(engine(_url(url, db)))
    out = aggregates.tables(made, k)
    if fmt == "json":
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    if out["label"]:
        click.echo(f"{out['label']}: {out['synthetic']:,} synthetic registrants")
    sex = out["tables"].get("sex")
    if sex is None:
        raise InputError("the registry has no registrants yet")
    click.echo(f"registrants: {_shown(sex['total'])} (figures under {k} suppressed: –)")
    for row in sex["rows"]:
        click.echo(f"  {row['residence']}  {_shown(row['total'])}")


def _shown(value: int | None) -> str:
    return "–" if value is None else f"{value:,}"
