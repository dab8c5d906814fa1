"""`guidegen email`: send each person their guide, exactly once, in their language."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command()
@click.argument("manifest", type=click.Path(path_type=Path))
@click.option(
    "--body",
    "body_file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The message: a Markdown file with {{ placeholders }}, optionally starting with "
    "front matter (---, subject: ..., ---). welcome.es.md, welcome.fr.md... beside it "
    "serve the rows in that language.",
)
@click.option(
    "--subject",
    help='Subject template for the body files that give none, e.g. "Your guide, {{ first_name }}".',
)
@click.option("--from", "sender", required=True, help='"Name <address>" the messages come from.')
@click.option("--reply-to", help="Where replies go (default: --from).")
@click.option(
    "--attach",
    type=click.Choice(["docx"]),
    multiple=True,
    help="Attach the Word file too (the PDF is always attached).",
)
@click.option(
    "--check",
    is_flag=True,
    help="Pre-flight: who gets mail and who won't (and why), each body's first subject, "
    "and the server's certificate and login. Sends and writes nothing.",
)
@click.option("--send", is_flag=True, help="Really send. Without it: a dry run into outbox/.")
@click.option("--smtp-host", help="SMTP server (or host in [smtp] of guidegen.toml).")
@click.option("--smtp-port", type=int, help="Default: 587 starttls, 465 ssl, 25 none.")
@click.option("--smtp-security", type=click.Choice(["none", "starttls", "ssl"]))
@click.option(
    "--smtp-user", help="Login; the password comes from GUIDEGEN_SMTP_PASSWORD or a prompt."
)
@click.option(
    "--smtp-token-command",
    metavar="COMMAND",
    help="Log in with OAuth2 (XOAUTH2): a command that prints an access token for "
    "--smtp-user, run for each connection (or token_command in [smtp]).",
)
@click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Settings file with an [smtp] section (default: ./guidegen.toml when it exists).",
)
@click.option("--rate", type=click.FloatRange(min=0.1), help="At most N messages a minute.")
@click.option("--limit", type=click.IntRange(min=0), help="Send at most N messages this run.")
@click.option("--retries", type=click.IntRange(min=0), default=3, show_default=True)
@click.option(
    "--retry-delay",
    type=click.FloatRange(min=0),
    default=2.0,
    show_default=True,
    help="Seconds before the first retry; doubled each time.",
)
@click.option(
    "--resend-uncertain", is_flag=True, help="Send again the messages whose delivery is uncertain."
)
@click.option(
    "--resend",
    "resend",
    multiple=True,
    metavar="EMAIL",
    help="Send this person's message again, whatever the ledger says. Repeatable.",
)
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Send to the valid rows even when some addresses or attachments are bad.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress output.")
def email(
    manifest: Path,
    body_file: Path,
    subject: str | None,
    sender: str,
    reply_to: str | None,
    attach: tuple[str, ...],
    check: bool,
    send: bool,
    smtp_host: str | None,
    smtp_port: int | None,
    smtp_security: str | None,
    smtp_user: str | None,
    smtp_token_command: str | None,
    config: Path | None,
    rate: float | None,
    limit: int | None,
    retries: int,
    retry_delay: float,
    resend_uncertain: bool,
    resend: tuple[str, ...],
    skip_invalid: bool,
    quiet: bool,
) -> None:
    """Email every person in MANIFEST (from `guidegen batch`) their own guide.

    A dry run by default: every message that can be sent is written as .eml into
    outbox/ beside the manifest, and every row that would get nothing is listed with
    the reason. With --send, a ledger beside the manifest makes sure nobody gets a
    guide twice; run the same command again to resume after any failure. Exit code 0
    when everyone has (or would have) their message, 1 when someone does not, 2 for
    a problem to fix first (settings, certificate, login, a body template)."""
    from guidegen.deliver.compose import Composer, load_templates
    from guidegen.deliver.locks import FolderLock
    from guidegen.deliver.mail import (
        SendOptions,
        check_header_option,
        deliver,
        plan_mail,
        rehearse,
    )
    from guidegen.errors import UserError

    if check and send:
        raise UserError("--check sends nothing: run it first, then --send")
    check_header_option(sender, "--from")
    check_header_option(reply_to, "--reply-to")
    if not check:
        # One run at a time in the folder, held until this command ends: a second send
        # could mail people twice, a batch would rewrite the manifest being sent from.
        lock = FolderLock(manifest.parent, busy=EMAIL_BUSY)
        click.get_current_context().with_resource(lock)
        if lock.warning:
            click.echo(f"warning: {lock.warning}", err=True)
    plan = plan_mail(manifest, attach_docx="docx" in attach)
    composer = Composer(load_templates(body_file, subject), sender=sender, reply_to=reply_to)
    uses = rehearse(plan, composer)  # every message renders, or stop before any is sent
    smtp = {
        "host": smtp_host,
        "port": smtp_port,
        "security": smtp_security,
        "user": smtp_user,
        "config": config,
        "token_command": smtp_token_command,
    }
    if check:
        _preflight(plan, uses, smtp, retries)
        return
    for use in uses:
        _warn_fallback(use)
    if send and plan.invalid and not skip_invalid:
        raise UserError(
            plan.problems,
            hint="Nothing was sent. Fix these, or add --skip-invalid to send to the others.",
        )
    settings = _settings(smtp, ask=True) if send else None
    options = SendOptions(
        dry_run=not send,
        resend_uncertain=resend_uncertain,
        resend={address.casefold() for address in resend},
        rate_per_minute=rate,
        limit=limit,
        retries=retries,
        retry_delay=retry_delay,
    )
    counts: dict[str, int] = {}
    outcomes = deliver(plan, composer, options, settings)
    total = len(plan.recipients)
    try:
        if not quiet and sys.stderr.isatty() and total:
            with click.progressbar(length=total, label="Emailing", file=sys.stderr) as bar:
                for outcome in outcomes:
                    _count(outcome, counts)
                    bar.update(1)
        else:
            for outcome in outcomes:
                _count(outcome, counts)
    except KeyboardInterrupt:
        outcomes.close()  # closes the SMTP connection and the ledger
        click.echo(
            f"\nInterrupted after {counts.get('sent', counts.get('written', 0))} messages. "
            "The ledger keeps what was sent: run the same command again to send the rest.",
            err=True,
        )
        sys.exit(130)
    except UserError:
        # A setup problem (certificate, TLS, login): the run stops at the first one.
        if counts.get("sent"):
            click.echo(
                f"Stopped after sending {counts['sent']}: fix the problem below, then run "
                "the same command again to send the rest (nobody gets a message twice).",
                err=True,
            )
        raise
    for row in plan.unsendable:  # said even with -q: these people get nothing
        click.echo(f"not emailed: {row}", err=True)
    if not quiet:
        click.echo(_summary(plan, uses, counts, send, manifest), err=True)
        if counts.get("uncertain"):
            click.echo(
                "Uncertain messages may have been delivered: check with the server's logs "
                "or the person, then run again with --resend-uncertain to send them.",
                err=True,
            )
    if any(counts.get(status) for status in ("failed", "uncertain", "elsewhere")) or (
        plan.unsendable
    ):
        sys.exit(1)


EMAIL_BUSY = (
    "Two runs at once in one folder could mail someone twice, or send from a manifest "
    "that a batch is rewriting; this run sent nothing."
)


def _settings(smtp: dict, *, ask: bool):
    from guidegen.deliver.mail import PASSWORD_VARIABLE, smtp_settings
    from guidegen.errors import UserError

    settings = smtp_settings(**smtp, password=None)
    if settings.user and not settings.token_command and settings.password is None:
        if not ask or not sys.stdin.isatty():
            raise UserError(f"no password for {settings.user}: set {PASSWORD_VARIABLE}")
        settings.password = click.prompt(f"SMTP password for {settings.user}", hide_input=True)
    return settings


def _preflight(plan, uses, smtp: dict, retries: int) -> None:
    """What --check prints: everything a coach wants to know before pressing send."""
    from guidegen.deliver.locks import holder_of
    from guidegen.deliver.mail import SmtpSender
    from guidegen.errors import UserError

    echo = click.echo
    echo(f"Pre-flight of {plan.manifest}: nothing is sent or written.")
    holder = holder_of(plan.manifest.parent)
    if holder is not None:
        echo(
            f"Note: this folder is in use by {holder.describe()}: --send would stop at "
            "once: wait for that run to end."
        )
    echo(f"{len(plan.recipients)} of {plan.rows} people will get their guide by email:")
    for use in uses:
        echo(
            f"  {use.people} with {use.path} ({use.language}); first subject "
            f"(row {use.first_row}): {use.first_subject}"
        )
        _warn_fallback(use)
    if plan.unsendable:
        echo(f"{len(plan.unsendable)} will not:")
        for row in plan.unsendable:
            echo(f"  {row}")
    missing = [p for p in plan.problems if p.field in ("pdf", "docx")]
    if missing:
        echo(f"Attachments missing or damaged: {len(missing)} (listed above).")
    try:
        settings = _settings(smtp, ask=True)
    except UserError as error:
        echo(f"SMTP: not checked: {error.report()}")
    else:
        # Connect, verify and log in; a setup problem is raised as the error it is.
        echo(f"SMTP: {SmtpSender(settings, retries=min(retries, 1)).verify()}")
    if plan.unsendable:
        sys.exit(1)


def _warn_fallback(use) -> None:
    if use.languages:
        languages = ", ".join(sorted(use.languages))
        stem, suffix = use.path.stem, use.path.suffix
        examples = ", ".join(f"{stem}.{code}{suffix}" for code in sorted(use.languages))
        click.echo(
            f"warning: rows in {languages} get {use.path}, written in {use.language}: "
            f"there is no {examples} beside it",
            err=True,
        )


def _summary(plan, uses, counts: dict[str, int], send: bool, manifest: Path) -> str:
    if send:
        summary = (
            f"sent {counts.get('sent', 0)}, "
            f"already sent before {counts.get('already-sent', 0)}, "
            f"failed {counts.get('failed', 0)}, uncertain {counts.get('uncertain', 0)}"
        )
        if counts.get("skipped"):
            summary += f", not sent (--limit) {counts['skipped']}"
        if counts.get("elsewhere"):
            summary += f", being sent by another run {counts['elsewhere']}"
    else:
        bodies = ", ".join(f"{use.people} from {use.path.name}" for use in uses)
        summary = (
            f"dry run: {counts.get('written', 0)} messages written to "
            f"{manifest.parent / 'outbox'}" + (f" ({bodies})" if len(uses) > 1 else "")
        )
    if plan.unsendable:
        summary += f"; {len(plan.unsendable)} of {plan.rows} rows get no message (listed above)"
    if not send:
        summary += "; add --send to send them"
    return summary


def _count(outcome, counts: dict[str, int]) -> None:
    counts[outcome.status] = counts.get(outcome.status, 0) + 1
    if outcome.status in {"failed", "uncertain", "elsewhere"}:
        who = f"{outcome.recipient.name} <{outcome.recipient.email}>"
        click.echo(f"{outcome.status}: {who}: {outcome.detail}", err=True)
