"""Starting points people fill in: a new transition template, a brand, a coach's workspace."""

from __future__ import annotations

import re
from pathlib import Path

from guidegen.deliver.output import ensure_folder, write_atomic
from guidegen.errors import Problem, UserError
from guidegen.load.branding import BRAND_FILE

TEMPLATE_SKELETON = """\
# yaml-language-server: $schema={schema}
# Transition template: {from_role} → {to_role}. Replace every TODO; `guidegen validate` checks it.
# Text may use {{{{ first_name }}}}, {{{{ name }}}}, {{{{ current_role }}}},
# {{{{ target_role }}}}, {{{{ location }}}}, {{{{ years_experience }}}}, and the person's own
# plan: {{{{ pace }}}}, {{{{ hours_per_week }}}}, {{{{ plan_duration }}}}, {{{{ total_weeks }}}},
# {{{{ start_date }}}}, {{{{ end_date }}}}, {{{{ end_month }}}} and {{{{ phases[0].span }}}}.
# Never write a pace or a duration out ("ten hours a week", "in six months"): it would be
# wrong for everyone at another pace. See docs/templates.md.
id: {id}

from_role:
  name: {from_role}
  aliases: []                      # other titles people write for this role
to_role:
  name: {to_role}
  aliases: []

baseline_hours_per_week: 10        # the weekly hours your task efforts are written for

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

first_steps:                       # small things for the first days: sign up, install, join
  - step: TODO sign up for what the first phase uses
    hours: 0.5                     # 0 for a minute's work; at most 8
  - step: TODO join a community of people working as {to_role}
    hours: 0.5

# A phase lasts as long as its tasks' hours at each person's pace. At the baseline pace,
# a phase of N weeks has tasks adding up to N x baseline_hours_per_week hours (the first
# phase: together with the first steps). This one: 1 + 20 + 20 + 19 = 60 hours, 6 weeks.
roadmap:
  - name: TODO first phase
    tasks:
      - task: TODO a concrete task that builds the skill to learn
        hours: 20
        teaches: [TODO skill to learn first]  # skills_to_learn names; who has them skips it
        # refresher_hours: 4       # or keep it, this short, for who has them
      - task: TODO another
        hours: 20
      - task: TODO a third, which everyone making the move needs (no `teaches`)
        hours: 19

reality_check:
  love: [TODO what people love about {to_role}]
  miss: [TODO what people miss about {from_role}]
  challenges: [TODO the hardest part of the move]

faq:
  - question: TODO a question candidates ask
    answer: TODO a careful, factual answer.

salary:
  currency: USD
  range: {{min: 60000, max: 120000}}          # TODO what {to_role}s earn
  typical_start: {{min: 65000, max: 80000}}   # TODO what someone making this move starts at
  market: TODO where and when, e.g. United States, 2025
  countries: [US]                             # TODO the market's countries (ISO codes)

call_to_action:
  heading: Ready to Start Your Transition?
  text: TODO one or two sentences inviting the next step.
"""

# The columns guidegen reads, with three example rows to replace: the first finds its
# template from the two roles; the second names its template in the Template column
# (any id from `guidegen templates list`) and gets its guide and email in Spanish; the
# third is found by its roles in French, and gets both in French.
COHORT_HEADER = (
    "Full Name,Email,Current Role,Target Role,Template,Language,Skills,Years of Experience,"
    "Hours per week,Start Date,Pace,Breaks,Location,Notes\r\n"
    "Ana Example,ana@example.com,Backend Developer,AI Solutions Architect,,en,"
    '"Python (advanced); AWS; Docker",5,10 hrs,2027-01-04,,"Summer: 2027-07-01..2027-08-31",'
    '"Austin, TX",\r\n'
    "Bruno Ejemplo,bruno@example.com,Profesor,Diseñador instruccional,"
    "teacher-to-instructional-designer,es,Lesson Planning; Canva,8,6,2027-01-04,"
    '"2027-03-01: 10",,"Bogotá, Colombia","Template column: this row names its template"\r\n'
    "Chloé Exemple,chloe@example.com,Infirmière,Spécialiste en informatique de santé,,fr,"
    '"Soins aux patients; Dossier patient informatisé",12,4,2027-01-04,,,"Lyon, France",\r\n'
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
# pace:                          # from a date on, another number of hours a week
#   - from: 2027-06-01
#     hours_per_week: 20
# breaks:                        # days with no study at all
#   - start: 2027-07-01
#     end: 2027-08-31
#     label: Summer
location: City, Country
notes: |
  Your notes for the client: they get a section of their own.
"""
# Line breaks in an email body are kept as typed, so a paragraph is one long line.
EMAIL = (
    "---\n"
    "subject: Your career transition guide, {{ first_name }}\n"
    "---\n"
    "Hi {{ first_name }},\n"
    "\n"
    "Your personal transition guide, **from {{ current_role }} to {{ target_role }}**, "
    "is attached. Your plan starts on {{ start_date }}.\n"
    "\n"
    "Start with the roadmap, then tick off the first item of *This Week*.\n"
    "\n"
    "Talk soon,\n"
    "Your Name\n"
)
EMAIL_ES = (
    "---\n"
    "subject: Tu guía de transición profesional, {{ first_name }}\n"
    "---\n"
    "Hola, {{ first_name }}:\n"
    "\n"
    "Te adjunto tu guía personal para pasar **de {{ current_role }} a {{ target_role }}**. "
    "Tu plan arranca el {{ start_date | date(\"EEEE d 'de' MMMM\") }}.\n"
    "\n"
    "Empieza por la hoja de ruta y marca como hecha la primera tarea de *Esta semana*.\n"
    "\n"
    "¡Hablamos pronto!\n"
    "Tu nombre\n"
)
EMAIL_FR = (
    "---\n"
    "subject: Votre guide de reconversion, {{ first_name }}\n"
    "---\n"
    "Bonjour {{ first_name }},\n"
    "\n"
    # Role names after a colon, not after "de": "de Infirmière" needs an elision no
    # template can know.
    "Vous trouverez ci-joint votre guide personnel de reconversion : **{{ current_role }} "
    '→ {{ target_role }}**. Votre plan commence le {{ start_date | date("EEEE d MMMM") }}.\n'
    "\n"
    "Commencez par la feuille de route, puis cochez la première action de "
    "*Cette semaine*.\n"
    "\n"
    "À très bientôt,\n"
    "Votre nom\n"
)
SETTINGS = """\
# Settings for `guidegen email --send`. The password is never stored here:
# set GUIDEGEN_SMTP_PASSWORD, or type it when asked. The README has the settings
# for Microsoft 365, Gmail / Google Workspace, Amazon SES and a plain relay.
[smtp]
host = "smtp.example.com"
port = 587
security = "starttls"   # none, starttls or ssl: the certificate is always verified
user = "you@example.com"
# token_command = "oama access you@example.com"   # OAuth2 (XOAUTH2) instead of a password
# ca_file = "company-ca.pem"                       # a private CA, instead of the system's
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
        folder / "emails" / "welcome.es.md": EMAIL_ES,
        folder / "emails" / "welcome.fr.md": EMAIL_FR,
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


def scaffold_brand(folder: Path) -> list[Path]:
    """Write brand.yaml and a placeholder logo into `folder`; return what was written."""
    brand_file = folder / BRAND_FILE
    if brand_file.exists():
        raise UserError(Problem("a brand already exists here; not overwriting it", file=brand_file))
    ensure_folder(folder)
    name = " ".join(word.capitalize() for word in re.split(r"[-_\s]+", folder.name) if word)
    name = name or "My Practice"
    logo = folder / "logo.svg"
    write_atomic(logo, _placeholder_logo(name).encode())
    write_atomic(brand_file, BRAND_TEMPLATE.format(name=name).encode())
    return [brand_file, logo]


def _placeholder_logo(name: str) -> str:
    initials = "".join(word[0] for word in name.split()[:2]).upper() or "G"
    initials = re.sub(r"[^A-Z0-9]", "", initials) or "G"
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="240" viewBox="0 0 240 240">\n'
        "  <!-- A placeholder: replace logo.svg with your own logo (SVG, PNG or JPEG). -->\n"
        '  <rect width="240" height="240" rx="36" fill="#1B3A5C"/>\n'
        '  <circle cx="190" cy="50" r="18" fill="#E07A2E"/>\n'
        f'  <text x="120" y="152" font-family="sans-serif" font-size="96" font-weight="bold"\n'
        f'        fill="#FFFFFF" text-anchor="middle">{initials}</text>\n'
        "</svg>\n"
    )


BRAND_TEMPLATE = """\
# yaml-language-server: $schema=../../schemas/brand.schema.json
# A guidegen brand: the look of your guides, and how you sign them.
# Paths are relative to this folder. Render with:
#   guidegen render PROFILE --brand path/to/this/folder
name: {name}
coach: Your Name
logo: logo.svg                 # SVG, PNG or JPEG in this folder
colors:
  primary: "#1B3A5C"           # headings, table headers, the roadmap chart
  accent: "#E07A2E"            # rules and highlights
  accent_text: "#AB5819"       # the accent as text (ranks, phase labels): readable (WCAG AA)
  text: "#1F2933"
font:
  family: Noto Sans            # an installed font, or give its files:
  # files:
  #   regular: fonts/MyFont-Regular.ttf
  #   bold: fonts/MyFont-Bold.ttf
page_size: A4                  # A4 or Letter
contact:
  email: you@example.com
  phone: "+1 555 0100"
  website: https://example.com
footer: "{name} · Prepared for one client, in confidence"
call_to_action:
  heading: Let's plan your next step together
  text: Book a free 30-minute session to turn this guide into a plan that fits your week.
  url: https://example.com/book
# reference_doc: reference.dotx  # a Word file whose styles, header and footer to inherit
"""
