"""The `flask --app wsgi unscar ...` commands: thin wrappers around services."""
from pathlib import Path

import click
from flask.cli import AppGroup

from .errors import DomainError
from .extensions import db

unscar_cli = AppGroup("unscar", help="UNSCAR Grants administration commands.")


@unscar_cli.command("create-user")
@click.option("--email", required=True, help="The log-in e-mail address.")
@click.option("--password", required=True, help="At least 10 characters.")
@click.option("--name", required=True, help="The person's name.")
@click.option("--role", "roles", multiple=True, required=True,
              type=click.Choice(["applicant", "reviewer", "secretariat", "donor", "admin"]),
              help="A role; repeat for several.")
@click.option("--organisation-id", type=int, default=None, help="The organisation the user belongs to.")
def create_user_command(email, password, name, roles, organisation_id):
    """Create a user (how the first administrator comes to be)."""
    from .accounts.services import create_user

    try:
        user = create_user(None, email, name, password, list(roles), organisation_id)
    except DomainError as error:
        db.session.rollback()
        details = "; ".join(f"{k}: {' '.join(v)}" for k, v in (error.errors or {}).items())
        raise click.ClickException(f"{error.detail} {details}".strip()) from None
    db.session.commit()
    click.echo(f"Created user {user.id} <{user.email}> with roles {', '.join(user.roles)}.")


@unscar_cli.command("send-mail")
@click.option("--limit", default=50, show_default=True, help="At most this many messages per run.")
def send_mail_command(limit):
    """Send the e-mail that is due from the outbox (run it on a timer)."""
    from .outbox.services import send_due_mail

    result = send_due_mail(limit)
    click.echo(f"Sent {result.sent}, failed {result.failed} (gave up on {result.gave_up}).")


@unscar_cli.command("remind")
def remind_command():
    """Queue the reminder e-mails that are due (run it daily; each goes out once).

    Organisations with an unsubmitted draft hear REMIND_DAYS_BEFORE_DEADLINE days
    before the call closes; reviewers with an unsubmitted review, REVIEW_REMIND_DAYS
    days before the call's reviews close; grantees with a scheduled report still due,
    REPORT_REMIND_DAYS before its due date and once more when it is overdue.
    """
    from .worker import remind

    for label, count in remind():
        click.echo(f"{label}: {count}")


@unscar_cli.command("worker")
@click.option("--interval", default=30.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds between passes over the outbox.")
@click.option("--remind-every", default=3600.0, show_default=True, type=click.FloatRange(min=1),
              help="Seconds between passes over the reminders (each reminder goes out once anyway).")
def worker_command(interval, remind_every):
    """Send the outbox's mail and queue reminders until SIGTERM or SIGINT.

    The one process that mails, so web requests never wait on the SMTP server. A pass
    that fails (the database or the SMTP server away) is logged and tried again on the
    next round; the worker itself never needs restarting.
    """
    from .worker import run_worker

    click.echo(f"Worker started: mail every {interval:g} s, reminders every {remind_every:g} s.")
    run_worker(interval, remind_every)
    click.echo("Worker stopped.")


@unscar_cli.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has users.")
def demo_command(if_empty):
    """Load demo data and print the demo log-ins."""
    from .demo import DEMO_PASSWORD, demo_logins, load_demo

    if load_demo(only_if_empty=if_empty):
        db.session.commit()
    else:
        click.echo("The database already has data; demo data not loaded again.")
    click.echo(f"Demo log-ins (password for all: {DEMO_PASSWORD}):")
    for who, email in demo_logins():
        click.echo(f"  {who:<40} {email}")


@unscar_cli.command("import-history")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def import_history_command(file):
    """Import the fund's past projects from a CSV FILE (the columns of API.md "Portfolio").

    Bad rows are reported with their line number and left out; rows whose reference is
    already in the portfolio are skipped, so importing a file twice changes nothing.
    """
    from .dates import utcnow
    from .portfolio.history import import_history, read_rows

    try:
        with open(file, encoding="utf-8") as handle:
            rows = read_rows(handle.read())
    except UnicodeDecodeError:
        raise click.ClickException("The file is not UTF-8 text.") from None
    except DomainError as error:
        details = "; ".join(f"{' '.join(v)}" for v in (error.errors or {}).values())
        raise click.ClickException(f"{error.detail} {details}".strip()) from None
    with click.progressbar(length=len(rows), label="Importing past projects") as bar:
        result = import_history(None, rows, utcnow().year, on_row=bar.update)
    db.session.commit()
    for error in result.errors:
        click.echo(f"line {error['line']}: {error['message']}", err=True)
    click.echo(f"Imported {result.imported}, skipped {result.skipped} already there, {len(result.errors)} with errors.")


@unscar_cli.command("backup")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def backup_command(folder):
    """Back up the database and the stored files into FOLDER (new, or empty).

    The rows are read in one consistent snapshot while the application keeps running;
    FOLDER/manifest.json lists every file with its size and SHA-256. Restore with
    `unscar restore FOLDER`, on SQLite or PostgreSQL.
    """
    from .backup import BackupError, write_backup

    try:
        manifest = write_backup(folder)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    rows = sum(table["rows"] for table in manifest["tables"])
    stored = sum(1 for name in manifest["files"] if name.startswith("files/"))
    click.echo(f"Backed up {rows} rows of {len(manifest['tables'])} tables and {stored} stored files "
               f"(schema revision {manifest['revision']}) into {folder}.")
    if manifest["unreadable_files"]:
        for problem in manifest["unreadable_files"]:
            click.echo(f"  {problem['table']} {problem['id']}: stored file {problem['storage_key']} "
                       f"{problem['problem']}", err=True)
        raise click.ClickException(f"{len(manifest['unreadable_files'])} stored files could not be backed up "
                                   "(listed above and in the manifest); the rest of the backup is complete.")


@unscar_cli.command("restore")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--wipe", is_flag=True,
              help="Delete everything in the database first (without it, the database must be empty).")
def restore_command(folder, wipe):
    """Restore the backup in FOLDER into the database and the upload folder.

    Every file is checked against the manifest before anything is changed; the database
    must be empty (or --wipe given) and is migrated to the backup's schema revision.
    """
    from .backup import BackupError, restore_backup

    try:
        manifest = restore_backup(folder, wipe=wipe)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    stored = sum(1 for name in manifest["files"] if name.startswith("files/"))
    click.echo(f"Restored {manifest['restored_rows']} rows and {stored} stored files from the backup of "
               f"{manifest['created_at']} (schema revision {manifest['revision']}).")
    for problem in manifest.get("unreadable_files", []):
        click.echo(f"  Not in the backup: {problem['table']} {problem['id']}'s stored file {problem['storage_key']} "
                   f"({problem['problem']}).", err=True)


@unscar_cli.command("verify-audit")
@click.option("--expect-head", default=None, metavar="SEQ:HASH",
              help="A head printed by an earlier run (kept outside the database): it must still be on the chain.")
def verify_audit_command(expect_head):
    """Check the audit log's hash chain; exit status 1 naming the first broken link.

    Finds events edited, deleted, reordered or inserted directly in the database.
    """
    from .audit.verify import verify_chain

    anchor = None
    if expect_head:
        seq, _, digest = expect_head.partition(":")
        if not seq.isdigit() or int(seq) < 1 or len(digest) != 64:
            raise click.BadParameter("give SEQ:HASH, as printed by verify-audit.", param_hint="--expect-head")
        anchor = (int(seq), digest.lower())
    verdict = verify_chain(anchor)
    db.session.rollback()
    if verdict.intact:
        click.echo(f"Audit chain intact: {verdict.checked} events. Head: {verdict.head_seq}:{verdict.head_hash}")
        return
    where = f"link seq {verdict.broken_seq}" if verdict.broken_seq is not None else "no link"
    event = f"event id {verdict.broken_event_id}" if verdict.broken_event_id is not None else "no event"
    click.echo(f"Audit chain BROKEN at {where} ({event}): {verdict.problem}. "
               f"{verdict.checked} links verified before it.", err=True)
    raise SystemExit(1)
