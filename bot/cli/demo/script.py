"""The demo's script: who plays, what they teach and learn, and the moments written for them.

The community is designed so one round shows every kind of introduction; beyond twenty
people, made-up colleagues teach and learn the same skills. The section titles are also
how tests find their way around the transcript.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

MANAGER_ID = "UMANAGER"
DIGEST_CHANNEL = "CDIGEST"

# Section titles, also how tests find their way around the transcript.
JOINING = "1. Joining"
ROUND = "2. The matching round"
WEEK = "3. The week"
DIGEST = "4. The digest"
SEEN = "5. What each person saw"
MANAGERS_CHANNEL = "The managers' channel"

# What people write in the evaluation's private comment: never shown to managers.
PRIVATE_COMMENTS = (
    "Honestly, we spent half the time on small talk, but I got what I needed.",
    "My partner was twenty minutes late and seemed in a rush.",
    "Great session, I would happily do it again next month.",
    "Too theoretical for me; I hoped for hands-on examples.",
)
PLACES = ("Room 4.12", "Café Lumière, 2nd floor", "video call")
PARIS, NEW_YORK, SINGAPORE = "Europe/Paris", "America/New_York", "Asia/Singapore"
BOTH = ("fr", "en")  # the French speakers of the demo exchange in English too


@dataclass(frozen=True)
class Person:
    """A simulated member: who they are and what they put in the join modal."""

    name: str
    tz: str
    teach: tuple[str, ...]
    learn: tuple[str, ...]
    locale: str = "en-US"
    languages: tuple[str, ...] = ()  # ticked in the profile; else their Slack locale's


# Designed so the round shows every kind of introduction: swaps (Amélie and Rahul, Sophie and
# Lucas, Chloé and Daniel), a 3-cycle (Mei Lin, Olivia, Hiroshi), a public speaking group led
# by Émilie, and one-way pairs; spellings differ in case and accents as people really type.
COMMUNITY = (
    Person("Amélie Durand", PARIS, ("Excel",), ("Python",), "fr-FR", BOTH),
    Person("Rahul Mehta", SINGAPORE, ("python",), ("excel",)),
    Person(
        "Sophie Martin", PARIS, ("Prise de parole en public",), ("Photographie",), "fr-FR", BOTH
    ),
    Person(
        "Lucas Bernard", PARIS, ("photographie",), ("prise de parole en public",), "fr-FR", BOTH
    ),
    Person("Chloé Lefèvre", PARIS, ("Négociation",), ("SQL",), "fr-FR", BOTH),
    Person("Daniel Kim", NEW_YORK, ("SQL",), ("negociation",)),
    Person("Mei Lin Tan", SINGAPORE, ("Kubernetes",), ("Figma",)),
    Person("Olivia Brown", NEW_YORK, ("Figma",), ("Data visualisation",)),
    Person("Hiroshi Sato", SINGAPORE, ("data visualisation",), ("kubernetes",)),
    Person("Émilie Rousseau", PARIS, ("Public speaking",), ("Spanish",), "fr-FR", BOTH),
    Person("James Carter", NEW_YORK, ("Project management",), ("public speaking",)),
    Person("Priya Nair", SINGAPORE, ("Machine learning",), ("Public Speaking",)),
    Person("Thomas Petit", PARIS, ("Gestion de projet",), ("public speaking",), "fr-FR", BOTH),
    Person("Carmen García", NEW_YORK, ("Spanish",), ("négociation",)),
    Person("Marc Dubois", PARIS, ("Rédaction web",), ("excel",), "fr-FR", BOTH),
    Person("Aisha Rahman", SINGAPORE, ("Design thinking",), ("machine learning",)),
    Person("Noah Williams", NEW_YORK, ("Git",), ("design thinking",)),
    Person("Léa Moreau", PARIS, ("Copywriting",), ("git",), "fr-FR", BOTH),
    Person("Ethan Cohen", NEW_YORK, ("Customer interviews",), ("Kubernetes",)),
    Person("Nadia Haddad", PARIS, ("Arabic",), ("Photographie",), "fr-FR", BOTH),
)
MANAGER = Person("Camille Laurent", PARIS, (), (), "fr-FR")
# Scripted moments, by position in the community (the pause goes to the last person).
REFUSED, TEACHES, SHOWS_PROFILE = 0, 1, 11
LEADERBOARD_FANS = 8  # people 1 to 7 let the digest name them
EXTRA_SKILL = "Pandas"

FIRST_NAMES = ("Inès", "Yuki", "Omar", "Grace", "Mateo", "Zoé", "Arjun", "Hannah", "Kenji", "Elif")
LAST_NAMES = ("Fontaine", "Nakamura", "Okafor", "Schmidt", "Rossi", "Lim", "Dupont", "Silva")


def community(size: int, rng: random.Random) -> list[Person]:
    """The designed community, then made-up colleagues teaching and learning the same skills."""
    people = list(COMMUNITY[:size])
    taught = sorted({s for p in COMMUNITY for s in p.teach})
    wanted = sorted({s for p in COMMUNITY for s in p.learn})
    spellings: tuple[Callable[[str], str], ...] = (str, str.lower, str.capitalize)
    names = [f"{first} {last}" for last in LAST_NAMES for first in FIRST_NAMES]
    while len(people) < size:
        extra = len(people) - len(COMMUNITY)
        rounds, index = divmod(extra, len(names))
        name = names[index] + (f" {rounds + 1}" if rounds else "")
        teach = rng.choice(spellings)(rng.choice(wanted))
        learn = rng.choice([s for s in taught if s.lower() != teach.lower()])
        tz = rng.choice((PARIS, NEW_YORK, SINGAPORE))
        people.append(Person(name, tz, (teach,), (rng.choice(spellings)(learn),)))
    return people
