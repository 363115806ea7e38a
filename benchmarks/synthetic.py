"""Seeded synthetic networks for round benchmarks and `rex match` previews.

Why synthetic: real member data is private, and a benchmark needs the shape that makes
rounds expensive: a large workplace vocabulary with skewed (Zipf) popularity, and the
spellings people really type (case, typos, abbreviations, French wordings, "basics of X"),
so that distinct labels are many but far fewer than entries.

Who can meet is drawn the way a French company with offices abroad looks: most people on
a few big French sites, the rest on smaller sites in Europe, the Americas and Asia (sites
typed with the same slips as skills, some left empty), each site's timezone and usual
languages (many French speakers speak only French), and 15% who meet only in person.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.cli.match import network_json
from bot.matching.meeting import MeetingMode, utc_offset_minutes
from bot.matching.rounds.model import Candidate, PastExchange

LANGUAGES = (
    "Python", "JavaScript", "TypeScript", "Java", "Go", "Rust", "C++", "C#", "Kotlin",
    "Swift", "Ruby", "PHP", "Scala", "R", "SQL", "Bash", "PowerShell", "VBA", "Elixir",
    "Haskell", "Dart", "Julia", "MATLAB", "Perl", "Lua", "Clojure", "F#", "Objective-C",
    "COBOL", "Fortran",
)  # fmt: skip
LANGUAGE_TOPICS = (
    "testing", "performance tuning", "best practices", "code review", "debugging",
    "packaging", "concurrency", "design patterns", "for data analysis", "web development",
    "scripting", "type hints", "memory management", "async programming", "unit testing",
    "refactoring", "secure coding", "profiling", "tooling", "interview preparation",
)  # fmt: skip
DATA_TOOLS = (
    "Excel", "Google Sheets", "Power BI", "Tableau", "Looker", "pandas", "NumPy", "Spark",
    "Airflow", "dbt", "Snowflake", "BigQuery", "PostgreSQL", "MySQL", "MongoDB", "Redis",
    "Kafka", "Elasticsearch", "Databricks", "Jupyter", "SAS", "SPSS", "Alteryx", "Qlik",
)  # fmt: skip
DATA_TOPICS = (
    "pivot tables", "dashboards", "formulas", "macros", "data modeling",
    "query optimization", "visualization", "data cleaning", "reporting", "automation",
    "administration", "performance tuning", "ETL pipelines", "security",
)  # fmt: skip
OPS_TOOLS = (
    "Kubernetes", "Docker", "Terraform", "Ansible", "AWS", "Azure", "Google Cloud", "Linux",
    "Git", "GitHub Actions", "Jenkins", "GitLab CI", "Helm", "Prometheus", "Grafana",
    "Nginx", "HashiCorp Vault", "OpenShift", "Serverless", "Datadog", "Splunk", "VMware",
)  # fmt: skip
OPS_TOPICS = (
    "networking", "security", "monitoring", "cost optimization", "troubleshooting",
    "administration", "deployment", "fundamentals", "certification prep", "best practices",
    "automation", "scaling", "disaster recovery",
)  # fmt: skip
APPS = (
    "Salesforce", "SAP", "HubSpot", "Jira", "Confluence", "Notion", "Slack", "Asana",
    "Trello", "Workday", "ServiceNow", "Zendesk", "Microsoft Teams", "SharePoint", "Outlook",
    "PowerPoint", "Word", "Google Docs", "Miro", "Airtable", "Figma", "Photoshop",
    "Illustrator", "InDesign", "Sketch", "After Effects", "Premiere Pro", "Blender", "Canva",
    "AutoCAD", "SolidWorks", "Zapier", "Marketo", "Google Analytics", "Shopify", "WordPress",
)  # fmt: skip
APP_TOPICS = (
    "administration", "reporting", "automation", "workflows", "integrations",
    "best practices", "advanced features", "for managers", "templates", "shortcuts",
)  # fmt: skip
PRACTICES = (
    "public speaking", "negotiation", "project management", "agile", "scrum", "kanban",
    "product management", "people management", "leadership", "coaching", "mentoring",
    "time management", "conflict resolution", "giving feedback", "hiring interviews",
    "storytelling", "business writing", "technical writing", "presentation skills",
    "stakeholder management", "strategic planning", "budgeting", "financial modeling",
    "accounting", "corporate finance", "marketing", "SEO", "copywriting",
    "social media marketing", "content strategy", "sales prospecting", "customer success",
    "pricing strategy", "market research", "OKRs", "change management", "design thinking",
    "facilitation", "remote team management", "emotional intelligence", "decision making",
    "critical thinking", "data literacy", "machine learning", "deep learning", "statistics",
    "A/B testing", "natural language processing", "computer vision", "prompt engineering",
    "cybersecurity", "GDPR compliance", "risk management", "supply chain management",
    "procurement", "contract law", "labor law", "tax planning", "payroll", "UX research",
    "UI design", "typography", "color theory", "prototyping", "accessibility",
    "design systems", "motion design", "video editing", "photography", "illustration",
    "Spanish", "German", "English", "Italian", "Mandarin", "Japanese", "Portuguese",
    "sign language", "first aid", "ergonomics", "mindfulness", "personal finance",
    "system design", "software architecture", "microservices", "API design", "REST APIs",
    "GraphQL", "data engineering", "data science", "MLOps", "DevOps", "site reliability",
    "incident management", "threat modeling", "penetration testing", "mobile development",
    "iOS development", "Android development", "frontend development", "backend development",
    "game development", "embedded systems", "quantum computing", "blockchain",
)  # fmt: skip
PRACTICE_TOPICS = ("fundamentals", "for engineers", "for managers", "in practice", "advanced")

# Wordings people type instead of the canonical name.
ABBREVIATIONS = {
    "Kubernetes": ("k8s", "kube"),
    "JavaScript": ("JS", "javascript es6"),
    "TypeScript": ("TS",),
    "PostgreSQL": ("Postgres", "psql"),
    "Google Cloud": ("GCP", "Google Cloud Platform"),
    "AWS": ("Amazon Web Services",),
    "Azure": ("Microsoft Azure",),
    "machine learning": ("ML",),
    "deep learning": ("DL",),
    "natural language processing": ("NLP",),
    "Excel": ("MS Excel", "Microsoft Excel"),
    "Power BI": ("PowerBI", "Microsoft Power BI"),
    "PowerPoint": ("ppt", "MS PowerPoint"),
    "C#": ("C sharp", "csharp"),
    "C++": ("cpp",),
    "Objective-C": ("ObjC",),
    "project management": ("PM", "project mgmt"),
    "product management": ("product mgmt",),
    "UX research": ("user research",),
    "A/B testing": ("AB testing", "split testing"),
    "site reliability": ("SRE",),
    "GitHub Actions": ("GH actions",),
    "Google Analytics": ("GA4",),
}
FRENCH = {
    "public speaking": "prise de parole en public",
    "negotiation": "négociation",
    "project management": "gestion de projet",
    "time management": "gestion du temps",
    "people management": "management d'équipe",
    "accounting": "comptabilité",
    "English": "anglais",
    "Spanish": "espagnol",
    "German": "allemand",
    "Italian": "italien",
    "leadership": "leadership",
    "giving feedback": "donner du feedback",
    "conflict resolution": "gestion des conflits",
    "machine learning": "apprentissage automatique",
    "statistics": "statistiques",
    "first aid": "premiers secours",
    "personal finance": "finances personnelles",
    "Excel pivot tables": "tableaux croisés dynamiques Excel",
    "business writing": "écriture professionnelle",
    "data science": "science des données",
}
PREFIXES = ("basics of {}", "{} basics", "intro to {}", "{} for beginners", "advanced {}")
FRENCH_PREFIXES = ("bases de {}", "initiation à {}", "{} avancé", "{} (débutant)")

# (site, timezone, weight, languages spoken there: "fr 50, fr+en 45" = 50% French only,
# 45% French and English): a French company with offices abroad.
SITES: tuple[tuple[str, str, float, str], ...] = (
    ("Paris", "Europe/Paris", 30, "fr 50, fr+en 45, fr+en+es 5"),
    ("Lyon", "Europe/Paris", 9, "fr 60, fr+en 40"),
    ("Toulouse", "Europe/Paris", 8, "fr 55, fr+en 40, fr+es 5"),
    ("Bordeaux", "Europe/Paris", 5, "fr 60, fr+en 40"),
    ("Lille", "Europe/Paris", 5, "fr 60, fr+en 40"),
    ("Nantes", "Europe/Paris", 4, "fr 60, fr+en 40"),
    ("Marseille", "Europe/Paris", 4, "fr 65, fr+en 35"),
    ("Strasbourg", "Europe/Paris", 3, "fr+de 40, fr 30, fr+en 30"),
    ("Rennes", "Europe/Paris", 3, "fr 60, fr+en 40"),
    ("Montpellier", "Europe/Paris", 2, "fr 60, fr+en 40"),
    ("Grenoble", "Europe/Paris", 2, "fr+en 60, fr 40"),
    ("Saint-Étienne", "Europe/Paris", 1, "fr 70, fr+en 30"),
    ("Brussels", "Europe/Brussels", 3, "fr+en 50, fr+nl+en 30, nl+en 20"),
    ("London", "Europe/London", 4, "en 80, en+fr 20"),
    ("Berlin", "Europe/Berlin", 3, "de+en 80, de 20"),
    ("Madrid", "Europe/Madrid", 3, "es+en 60, es 40"),
    ("Milan", "Europe/Rome", 2, "it+en 60, it 40"),
    ("Lisbon", "Europe/Lisbon", 1, "pt+en 70, pt 30"),
    ("Montréal", "America/Toronto", 3, "fr+en 70, fr 30"),
    ("New York", "America/New_York", 3, "en 85, en+es 15"),
    ("São Paulo", "America/Sao_Paulo", 2, "pt+en 50, pt 50"),
    ("San Francisco", "America/Los_Angeles", 1, "en 90, en+zh 10"),
    ("Casablanca", "Africa/Casablanca", 2, "fr+ar 60, fr+ar+en 40"),
    ("Bangalore", "Asia/Kolkata", 2, "en+hi 70, en 30"),
    ("Singapore", "Asia/Singapore", 2, "en+zh 60, en 40"),
    ("Tokyo", "Asia/Tokyo", 1, "ja+en 60, ja 40"),
)  # fmt: skip
NO_SITE_RATE = 0.1
SITE_TYPO_RATE = 0.05
MODE_SHARES: tuple[tuple[MeetingMode, float], ...] = (
    ("in_person", 0.15),
    ("remote", 0.25),
    ("either", 0.6),
)
OFFSETS_AT = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # the synthetic members' UTC offsets

TYPO_RATE = 0.02
WORDING_RATE = 0.22
HOT_SKILLS = 40
HOT_SHARE = 0.05  # weight of the hottest skill, next to 0.31 for the most wanted usual one


def vocabulary() -> list[str]:
    """~1,900 canonical skills, most popular first: every tool alone, then its topics."""
    bare = [*LANGUAGES[:6], "Excel", "SQL", *PRACTICES[:8], *DATA_TOOLS, *OPS_TOOLS]
    bare += [*LANGUAGES[6:], *APPS, *PRACTICES[8:]]
    combos = [f"{tool} {topic}" for tool in LANGUAGES for topic in LANGUAGE_TOPICS]
    combos += [f"{tool} {topic}" for tool in DATA_TOOLS for topic in DATA_TOPICS]
    combos += [f"{tool} {topic}" for tool in OPS_TOOLS for topic in OPS_TOPICS]
    combos += [f"{tool} {topic}" for tool in APPS for topic in APP_TOPICS]
    combos += [f"{topic} {tail}" for topic in PRACTICES for tail in PRACTICE_TOPICS]
    random.Random(7).shuffle(combos)
    seen: dict[str, None] = {}
    for skill in [*dict.fromkeys(bare), *combos]:
        seen.setdefault(skill, None)
    return list(seen)


def wordings(skill: str) -> list[str]:
    """Other ways people write `skill`, most common first."""
    found = [*ABBREVIATIONS.get(skill, ())]
    if skill in FRENCH:
        found.append(FRENCH[skill])
    base = FRENCH.get(skill)
    found += [pattern.format(skill) for pattern in PREFIXES]
    if base is not None:
        found += [pattern.format(base) for pattern in FRENCH_PREFIXES]
    for name, short in ABBREVIATIONS.items():
        if skill.startswith(name + " "):
            found += [skill.replace(name, alias, 1) for alias in short]
    return found


def typo(text: str, rng: random.Random) -> str:
    """One slip of the keyboard: a swapped, dropped or doubled letter."""
    if len(text) < 4:
        return text + text[-1]
    i = rng.randrange(1, len(text) - 1)
    match rng.randrange(3):
        case 0:
            return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        case 1:
            return text[:i] + text[i + 1 :]
        case _:
            return text[:i] + text[i] + text[i:]


def casing(text: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.7:
        return text
    if roll < 0.88:
        return text.lower()
    if roll < 0.93:
        return text.upper()
    if roll < 0.97:
        return text.title()
    return f" {text}  "


def spell(skill: str, rng: random.Random) -> str:
    """How one person types `skill`."""
    roll = rng.random()
    if roll < TYPO_RATE:
        return casing(typo(skill, rng), rng)
    if roll < TYPO_RATE + WORDING_RATE:
        options = wordings(skill)
        weights = [1.0 / (k + 1) for k in range(len(options))]
        return casing(rng.choices(options, weights)[0], rng)
    return casing(skill, rng)


def _zipf_weights(n: int, exponent: float, offset: float) -> list[float]:
    return [1.0 / (rank + offset) ** exponent for rank in range(n)]


def meeting_fields(
    ids: Sequence[str], seed: int = 0
) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """Who each member can meet: the Candidate fields `languages`, `mode`, `site` and
    `utc_offset` (at OFFSETS_AT) by id, and each member's timezone name (drawn apart from
    the skills, so adding them left the skill draws unchanged)."""
    rng = random.Random(seed + 1)
    weights = [weight for _, _, weight, _ in SITES]
    fields: dict[str, dict[str, Any]] = {}
    timezones: dict[str, str] = {}
    for member_id, k in zip(ids, rng.choices(range(len(SITES)), weights, k=len(ids)), strict=True):
        name, tz, _, spoken = SITES[k]
        options = [share.split() for share in spoken.split(",")]
        languages = rng.choices(
            [codes.split("+") for codes, _ in options], [float(w) for _, w in options]
        )[0]
        mode = rng.choices([m for m, _ in MODE_SHARES], [w for _, w in MODE_SHARES])[0]
        roll = rng.random()
        site = None if roll < NO_SITE_RATE else casing(name, rng)
        if site is not None and roll > 1 - SITE_TYPO_RATE:
            site = typo(site, rng)
        timezones[member_id] = tz
        fields[member_id] = {
            "languages": frozenset(languages),
            "mode": mode,
            "site": site,
            "utc_offset": utc_offset_minutes(tz, OFFSETS_AT),
        }
    return fields, timezones


def generate_network(n_members: int, seed: int = 0) -> tuple[list[Candidate], list[PastExchange]]:
    """A realistic network of `n_members` (about 5 skills each, and who they can meet, see
    `meeting_fields`) and its recent history."""
    members, history, _ = generate_people(n_members, seed)
    return members, history


def generate_people(
    n_members: int, seed: int = 0
) -> tuple[list[Candidate], list[PastExchange], dict[str, str]]:
    """`generate_network`, with each member's timezone name by id."""
    members, history = _skills_network(n_members, seed)
    fields, timezones = meeting_fields([c.id for c in members], seed)
    return [replace(c, **fields[c.id]) for c in members], history, timezones


def _skills_network(n_members: int, seed: int) -> tuple[list[Candidate], list[PastExchange]]:
    """Members with skills, capacities, waits and balances, and the recent history."""
    rng = random.Random(seed)
    skills = vocabulary()
    teach_weights = _zipf_weights(len(skills), 1.05, 3.0)
    # Demand follows supply loosely, except for a few hot skills that are wanted by many and
    # taught by few (that is where teachers run out and people wait).
    learn_order = sorted(range(len(skills)), key=lambda k: k * rng.lognormvariate(0, 0.8))
    learn_weights = [0.0] * len(skills)
    for position, k in enumerate(learn_order):
        learn_weights[k] = 1.0 / (position + 3.0) ** 1.05
    for position, k in enumerate(rng.sample(range(200, len(skills)), HOT_SKILLS)):
        learn_weights[k] = HOT_SHARE / (position + 1.0)
    ids = [f"U{k:07d}" for k in range(n_members)]
    teach_draws = rng.choices(range(len(skills)), teach_weights, k=n_members * 6)
    learn_draws = rng.choices(range(len(skills)), learn_weights, k=n_members * 6)
    members: list[Candidate] = []
    teachers_of: dict[int, list[int]] = {}
    for k, member_id in enumerate(ids):
        n_teach = 0 if rng.random() < 0.02 else 1 + sum(rng.random() < 0.5 for _ in range(3))
        n_learn = 0 if rng.random() < 0.03 else 1 + sum(rng.random() < 0.5 for _ in range(3))
        teach = list(dict.fromkeys(teach_draws[k * 6 : k * 6 + n_teach]))
        learn = [s for s in dict.fromkeys(learn_draws[k * 6 : k * 6 + n_learn]) if s not in teach]
        for s in teach:
            teachers_of.setdefault(s, []).append(k)
        avoid = frozenset({rng.choice(ids)} - {member_id}) if rng.random() < 0.02 else frozenset()
        members.append(
            Candidate(
                id=member_id,
                teach=tuple(spell(skills[s], rng) for s in teach),
                learn=tuple(spell(skills[s], rng) for s in learn),
                avoid=avoid,
                teacher_capacity=rng.choices((1, 2, 3), (3, 5, 2))[0],
                open_as_teacher=1 if rng.random() < 0.1 else 0,
                open_as_learner=1 if rng.random() < 0.05 else 0,
                waited_days=round(rng.expovariate(1 / 20), 1),
                hours_taught=round(rng.gammavariate(1.5, 4), 1),
                hours_learned=round(rng.gammavariate(1.5, 4), 1),
            )
        )
    history: list[PastExchange] = []
    for _ in range(n_members // 3):
        learner = rng.randrange(n_members)
        wanted = learn_draws[learner * 6]
        if not teachers_of.get(wanted):
            continue
        teacher = rng.choice(teachers_of[wanted])
        if teacher != learner:
            history.append(
                PastExchange(
                    teacher=ids[teacher],
                    learner=ids[learner],
                    days_ago=round(rng.uniform(0, 365), 1),
                    met=rng.random() < 0.85,
                )
            )
    return members, history


def write_network(path: Path, n_members: int, seed: int = 0) -> None:
    """Write a `rex match` input file (for managers' previews and manual benchmarks)."""
    members, history, timezones = generate_people(n_members, seed)
    path.write_text(json.dumps(network_json(members, history, timezones), ensure_ascii=False))
