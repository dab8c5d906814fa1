"""`guidegen email`: send each person their guide, exactly once."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command()
@click.argument("manifest", type=click.Path(path_type=Path))
@click.option(
    "--subject", required=True, help='Subject template, e.g. "Your guide, {{ first_name }}".'
)
@click.option(
    "--body",
    "body_file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The message: a Markdown file with {{ placeholders }}.",
)
@click.option("--from", "sender", required=True, help='"Name <address>" the messages come from.')
@click.option("--reply-to", help="Where replies go (default: --from).")
@click.option(
    "--attach",
    type=click.Choice(["docx"]),
    multiple=True,
    help="Attach the Word file too (the PDF is always attached).",
)
@click.option("--send", is_flag=True, help="Really send. Without it: a dry run into outbox/.")
@click.option("--smtp-host", help="SMTP server (or host in [smtp] of guidegen.toml).")
@click.option("--smtp-port", type=int, help="Default: 587 starttls, 465 ssl, 25 none.")
@click.option("--smtp-security", type=click.Choice(["none", "starttls", "ssl"]))
@click.option(
    "--smtp-user", help="Login; the password comes from GUIDEGEN_SMTP_PASSWORD or a prompt."
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
    subject: str,
    body_file: Path,
    sender: str,
    reply_to: str | None,
    attach: tuple[str, ...],
    send: bool,
    smtp_host: str | None,
    smtp_port: int | None,
    smtp_security: str | None,
    smtp_user: str | None,
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

    A dry run by default: every message is written as .eml into outbox/ beside the
    manifest. With --send, a ledger beside the manifest makes sure nobody gets a guide
    twice; run the same command again to resume after any failure."""
    from guidegen.deliver.mail import Composer, SendOptions, deliver, plan_mail, smtp_settings
    from guidegen.errors import UserError

    try:
        body = body_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(f"cannot read the body file {body_file}: {error}") from None
    plan = plan_mail(manifest, attach_docx="docx" in attach)
    if plan.problems and not skip_invalid:
        raise UserError(
            plan.problems,
            hint="Nothing was sent. Fix these, or add --skip-invalid to send to the others.",
        )
    for problem in plan.problems:
        click.echo(f"skipped: {problem}", err=True)
    composer = Composer(subject, body, sender=sender, reply_to=reply_to)
    settings = None
    if send:
        settings = smtp_settings(
            host=smtp_host,
            port=smtp_port,
            security=smtp_security,
            user=smtp_user,
            config=config,
            password=None,
        )
        if settings.user and settings.password is None:
            if not sys.stdin.isatty():
                raise UserError(f"no password for {settings.user}: set GUIDEGEN_SMTP_PASSWORD")
            settings.password = click.prompt(f"SMTP password for {settings.user}", hide_input=True)
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
    if not quiet:
        if send:
            summary = (
                f"sent {counts.get('sent', 0)}, "
                f"already sent before {counts.get('already-sent', 0)}, "
                f"failed {counts.get('failed', 0)}, uncertain {counts.get('uncertain', 0)}"
            )
            if counts.get("skipped"):
                summary += f", not sent (--limit) {counts['skipped']}"
        else:
            summary = (
                f"dry run: {counts.get('written', 0)} messages written to "
                f"{manifest.parent / 'outbox'}; add --send to send them"
            )
        if plan.not_rendered:
            summary += f"; {len(plan.not_rendered)} rows had no guide"
        click.echo(summary, err=True)
        if counts.get("uncertain"):
            click.echo(
                "Uncertain messages may have been delivered: check with the server's logs "
                "or the person, then run again with --resend-uncertain to send them.",
                err=True,
            )
    if counts.get("failed") or counts.get("uncertain") or (plan.problems and send):
        sys.exit(1)


def _count(outcome, counts: dict[str, int]) -> None:
    counts[outcome.status] = counts.get(outcome.status, 0) + 1
    if outcome.status in {"failed", "uncertain"}:
        who = f"{outcome.recipient.name} <{outcome.recipient.email}>"
        click.echo(f"{outcome.status}: {who}: {outcome.detail}", err=True)
