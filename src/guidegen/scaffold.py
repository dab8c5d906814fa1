"""Starting points people fill in: a new transition template, a coach's workspace."""

from __future__ import annotations

import re
from pathlib import Path

from guidegen.branding import scaffold_brand
from guidegen.errors import Problem, UserError
from guidegen.output import ensure_folder, write_atomic

TEMPLATE_SKELETON = """\
# yaml-language-server: $schema={schema}
# Transition template: {from_role} → {to_role}. Replace every TODO; `guidegen validate` checks it.
# Text may use {{{{ first_name }}}}, {{{{ name }}}}, {{{{ current_role }}}},
# {{{{ target_role }}}}, {{{{ location }}}}, {{{{ hours_per_week }}}} and
# {{{{ years_experience }}}}. See docs/templates.md.
id: {id}

from_role:
  name: {from_role}
  aliases: []                      # other titles people write for this role
to_role:
  name: {to_role}
  aliases: []

baseline_hours_per_week: 10        # the pace the phase lengths below assume

overview: |
  TODO: why this move makes sense for someone coming from {from_role}, in the second person.

  TODO: what the move takes, and what it gives.

transferable_skills:
  - name: TODO skill you already have
    why: TODO why it carries over to {to_role}.
    evidenced_by: [TODO skill as written on a CV]

skills_to_learn:
  - name: TODO skill to learn first
    priority: 1
    how: TODO how to learn it, in two or three sentences.
    resources:
      - title: TODO a course, book, certification or tool that really exists
        provider: TODO publisher or platform
        kind: course               # course, certification, book, article, documentation,
                                   # video, podcast, tool, community or practice
        # url: https://...
    covered_by: []                 # profile skills that mean it is already covered

roadmap:
  - name: TODO first phase
    weeks: 6
    tasks:
      - TODO a concrete task
      - TODO another
      - TODO a third

reality_check:
  love: [TODO what people love about {to_role}]
  miss: [TODO what people miss about {from_role}]
  challenges: [TODO the hardest part of the move]

action_plan:
  this_week: [TODO something to do in the first seven days]
  this_month: [TODO something for the first month]
  next_90_days: [TODO something for the first three months]

faq:
  - question: TODO a question candidates ask
    answer: TODO a careful, factual answer.

salary:
  currency: USD
  range: {{min: 60000, max: 120000}}          # TODO what {to_role}s earn
  typical_start: {{min: 65000, max: 80000}}   # TODO what someone making this move starts at
  market: TODO where and when, e.g. United States, 2025

call_to_action:
  heading: Ready to Start Your Transition?
  text: TODO one or two sentences inviting the next step.
"""

COHORT_HEADER = (
    "Full Name,Email,Current Role,Target Role,Skills,Years of Experience,Hours per week,"
    "Start Date,Location,Notes\r\n"
)
PROFILE = """\
# yaml-language-server: $schema=../schemas/profile.schema.json
# A client's profile. Render it with:
#   guidegen render profiles/client.yaml --brand brands/my-practice
name: First Last
email: client@example.com
current_role: Backend Developer
target_role: AI Solutions Architect
skills:
  - Python
  - name: AWS
    level: advanced
years_experience: 5
hours_per_week: 10
# start_date: 2027-01-04         # default: the next Monday
location: City, Country
notes: |
  Your notes for the client: they get a section of their own.
"""
EMAIL = """\
Hi {{ first_name }},

Your personal transition guide, **from {{ current_role }} to {{ target_role }}**, is attached.

Start with the roadmap, then tick off the first item of *This Week*.

Talk soon
"""
SETTINGS = """\
# Settings for `guidegen email --send`. The password is never stored here:
# set GUIDEGEN_SMTP_PASSWORD, or type it when asked.
[smtp]
host = "smtp.example.com"
port = 587
security = "starttls"   # none, starttls or ssl
user = "you@example.com"
"""


def template_skeleton(template_id: str, from_role: str, to_role: str, schema: str) -> str:
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", template_id):
        raise UserError(
            f"template id {template_id!r}: expected lowercase words joined by hyphens, "
            "e.g. 'teacher-to-instructional-designer'"
        )
    for role in (from_role, to_role):
        if not role.strip() or any(char in role for char in "\n:#{}"):
            raise UserError(f"role {role!r}: expected a plain job title")
    return TEMPLATE_SKELETON.format(
        id=template_id, from_role=from_role.strip(), to_role=to_role.strip(), schema=schema
    )


def init_workspace(folder: Path, schemas: dict[str, str]) -> list[Path]:
    """A coach's workspace: a profile, a brand, a cohort sheet, an email body, settings."""
    files = {
        folder / "profiles" / "client.yaml": PROFILE,
        folder / "cohort.csv": COHORT_HEADER,
        folder / "emails" / "welcome.md": EMAIL,
        folder / "guidegen.toml": SETTINGS,
        **{folder / "schemas" / f"{kind}.schema.json": text for kind, text in schemas.items()},
    }
    existing = [path for path in files if path.exists()]
    if existing or (folder / "brands" / "my-practice").exists():
        raise UserError(
            [Problem("already exists; not overwriting it", file=path) for path in existing]
            or Problem("already exists", file=folder / "brands" / "my-practice")
        )
    written = []
    for path, text in files.items():
        ensure_folder(path.parent)
        write_atomic(path, text.encode("utf-8"))
        written.append(path)
    written += scaffold_brand(folder / "brands" / "my-practice")
    ensure_folder(folder / "templates")
    return written
