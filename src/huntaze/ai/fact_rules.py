"""Facts about a fan read from their messages by fixed rules: what the memory extraction uses
when the router has only its offline `local` provider, which does not extract facts.

Deterministic and conservative: a rule fires only on a first-person statement ("my birthday
is May 4", "I live in Lyon", "I work as a nurse", "my dog Max", "I love sushi"), in English or
French, and the fact keeps the words that triggered it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

MAX_OBJECT_WORDS = 5
MAX_QUOTE_LENGTH = 300

MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
MONTHS_FR = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
_MONTH_NUMBER = {name: index + 1 for index, name in enumerate(MONTHS)}
_MONTH_NUMBER.update({name[:3]: index + 1 for index, name in enumerate(MONTHS)})
_MONTH_NUMBER.update({name: index + 1 for index, name in enumerate(MONTHS_FR)})
_MONTH = r"(?:" + "|".join(sorted(_MONTH_NUMBER, key=len, reverse=True)) + r")\.?"
_DAY = r"[0-3]?\d(?:st|nd|rd|th|er)?"
_DATE = rf"(?P<date>{_MONTH}\s+{_DAY}\b|{_DAY}(?:\s+of)?\s+{_MONTH})"
_DATE_PARTS = re.compile(r"(?P<day>\d+)|(?P<month>[^\W\d_]+)")
_BIRTHDAY = r"(?:birthday|bday|b-day|anniversaire)"

PETS = {
    "dog": "dog", "puppy": "dog", "pup": "dog", "cat": "cat", "kitten": "cat", "kitty": "cat",
    "parrot": "parrot", "bird": "bird", "rabbit": "rabbit", "bunny": "rabbit",
    "hamster": "hamster", "horse": "horse", "snake": "snake", "turtle": "turtle",
    "lizard": "lizard", "fish": "fish", "ferret": "ferret", "chien": "dog", "chat": "cat",
    "chienne": "dog", "chiot": "dog", "chaton": "cat", "lapin": "rabbit", "cheval": "horse",
}  # fmt: skip
_PET = r"(?P<pet>" + "|".join(sorted(PETS, key=len, reverse=True)) + r")s?"
JOBS = [
    "nurse",
    "teacher",
    "engineer",
    "developer",
    "programmer",
    "doctor",
    "lawyer",
    "firefighter",
    "cop",
    "student",
    "trucker",
    "chef",
    "cook",
    "mechanic",
    "electrician",
    "plumber",
    "accountant",
    "soldier",
    "pilot",
    "farmer",
    "bartender",
    "waiter",
    "waitress",
    "designer",
    "manager",
    "contractor",
    "carpenter",
    "dentist",
    "pharmacist",
    "paramedic",
    "veteran",
    "marine",
    "sailor",
    "welder",
    "architect",
    "photographer",
    "musician",
    "artist",
    "writer",
    "banker",
    "consultant",
    "salesman",
    "realtor",
    "barber",
    "therapist",
    "scientist",
    "professor",
    "surgeon",
    "driver",
]
_JOB = r"(?P<job>" + "|".join(JOBS) + r")"

# Words that end the object of a statement ("I live in Lyon and I ..." -> "Lyon").
_STOP_WORDS = frozenset(
    [
        "and",
        "but",
        "or",
        "so",
        "because",
        "since",
        "with",
        "when",
        "while",
        "if",
        "then",
        "though",
        "now",
        "too",
        "also",
        "lol",
        "haha",
        "btw",
        "tbh",
        "rn",
        "atm",
        "xx",
        "xo",
        "xoxo",
        "lmao",
        "babe",
        "baby",
        "hun",
        "honey",
        "you",
        "u",
        "your",
        "ur",
        "how",
        "what",
        "that",
        "which",
        "who",
        "et",
        "mais",
        "ou",
        "donc",
        "car",
        "avec",
        "quand",
    ]
)
# Objects that say nothing about the fan ("I love you", "I like that").
_EMPTY_OBJECTS = frozenset(
    [
        "you",
        "u",
        "ya",
        "it",
        "that",
        "this",
        "them",
        "him",
        "her",
        "yours",
        "your",
        "it's",
        "its",
        "everything",
        "all",
        "me",
        "myself",
        "te",
        "toi",
        "ça",
        "ca",
    ]
)
# Words an object does not end with ("I love the way you..." -> "the way" -> nothing).
_DANGLING_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "to",
        "of",
        "in",
        "on",
        "at",
        "for",
        "my",
        "way",
        "le",
        "la",
        "les",
        "un",
        "une",
        "de",
    ]
)
_PREFIX = r"(?:^|(?<=[\s,.;!?(]))"
_ME = r"(?:i\s*am|i'?m|im)"
_OBJECT = r"(?P<object>[^\n.,;!?]{2,80})"

PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        ("birthday", rf"{_PREFIX}my\s+{_BIRTHDAY}\s+is\s+(?:on\s+)?{_DATE}"),
        ("birthday", rf"{_PREFIX}(?:mon\s+)?{_BIRTHDAY}\s+(?:est\s+le|c'est\s+le)\s+{_DATE}"),
        ("birthday", rf"{_PREFIX}{_ME}\s+turning\s+\d{{1,2}}\s+on\s+{_DATE}"),
        ("birthday_today", rf"{_PREFIX}(?:it'?s|its|today\s+is)\s+my\s+{_BIRTHDAY}"),
        ("birthday_tomorrow", rf"{_PREFIX}tomorrow\s+is\s+my\s+{_BIRTHDAY}"),
        ("age", rf"{_PREFIX}{_ME}\s+(?P<age>[1-9]\d)\s*(?:years?\s+old|yo|y/o)\b"),
        ("age", rf"{_PREFIX}j'ai\s+(?P<age>[1-9]\d)\s+ans\b"),
        ("location", rf"{_PREFIX}i\s+(?:live|stay)\s+in\s+{_OBJECT}"),
        ("location", rf"{_PREFIX}(?:i\s+moved|i'?ve\s+moved|i\s+just\s+moved)\s+to\s+{_OBJECT}"),
        ("location", rf"{_PREFIX}{_ME}\s+(?:from|based\s+in|living\s+in)\s+{_OBJECT}"),
        ("location", rf"{_PREFIX}(?:j'habite|je\s+vis|je\s+suis\s+de)\s+(?:à|a|en|au)\s+{_OBJECT}"),
        ("job_as", rf"{_PREFIX}i\s+work\s+as\s+{_OBJECT}"),
        ("job_is", rf"{_PREFIX}my\s+job\s+is\s+{_OBJECT}"),
        ("job_at", rf"{_PREFIX}i\s+work\s+(?:at|for)\s+{_OBJECT}"),
        ("job", rf"{_PREFIX}{_ME}\s+(?:an?\s+)?{_JOB}\b"),
        ("job", rf"{_PREFIX}je\s+suis\s+(?P<object>infirmi[eè]re?|professeur|ingénieur|médecin|étudiante?|pompier|policier)\b"),
        ("pet_named", rf"{_PREFIX}my\s+{_PET}(?:'?s\s+name\s+is|\s+is\s+called|\s+named|,)?\s+(?P<name>(?-i:[A-Z][a-z][\w'-]*))"),
        ("pet", rf"{_PREFIX}i\s+(?:have|got|own)\s+(?:a|an|two|three|\d)\s+(?:little\s+|big\s+)?{_PET}\b"),
        ("pet", rf"{_PREFIX}my\s+(?:little\s+)?{_PET}\b"),
        ("pet", rf"{_PREFIX}(?:mon|ma)\s+{_PET}\b"),
        ("favorite", rf"{_PREFIX}my\s+fav(?:ou?rite)?\s+(?P<what>[a-z]+(?:\s+[a-z]+)?)\s+is\s+{_OBJECT}"),
        ("likes", rf"{_PREFIX}i\s+(?:really\s+|just\s+|absolutely\s+)?(?:love|like|adore|enjoy)\s+{_OBJECT}"),
        ("likes", rf"{_PREFIX}j'(?:adore|aime)\s+{_OBJECT}"),
        ("dislikes", rf"{_PREFIX}i\s+(?:really\s+)?(?:hate|dislike|can'?t\s+stand|don'?t\s+like)\s+{_OBJECT}"),
        ("dislikes", rf"{_PREFIX}je\s+(?:déteste|n'aime\s+pas)\s+{_OBJECT}"),
    )
)  # fmt: skip

KIND_OF_RULE = {
    "birthday_today": "birthday",
    "birthday_tomorrow": "birthday",
    "job_at": "job",
    "job_as": "job",
    "job_is": "job",
    "pet_named": "pet",
    "favorite": "preference",
    "likes": "preference",
    "dislikes": "preference",
}


@dataclass(frozen=True, slots=True)
class RuleFact:
    kind: str  # birthday, age, location, job, pet, preference
    text: str


def _object(raw: str, *, title: bool = False) -> str:
    """The statement's object, cut at the first joining word, at most a few words."""
    words: list[str] = []
    for word in raw.strip().split():
        if word.casefold().strip("'\"") in _STOP_WORDS or len(words) >= MAX_OBJECT_WORDS:
            break
        words.append(word)
    while words and words[-1].casefold() in _DANGLING_WORDS:
        words.pop()
    text = " ".join(words).strip(" '\"-")
    if not text or text.casefold() in _EMPTY_OBJECTS or text.split()[0].casefold() in {
        "you", "u", "it", "that", "this", "them", "your", "ur", "te", "toi"
    }:  # fmt: skip
        return ""
    if title:
        return " ".join(
            word if word.isupper() or word in _DANGLING_WORDS else word.capitalize()
            for word in text.split()
        )
    return text


def _date_text(match: re.Match[str]) -> str:
    month, day = None, 0
    for part in _DATE_PARTS.finditer(match.group("date")):
        if part.group("day"):
            day = int(part.group("day"))
        elif part.group("month").casefold() in _MONTH_NUMBER:
            month = _MONTH_NUMBER[part.group("month").casefold()]
    if month is None or not 1 <= day <= 31:
        return ""
    return f"{MONTHS[month - 1].capitalize()} {day}"


def _day_text(moment: date) -> str:
    return f"{MONTHS[moment.month - 1].capitalize()} {moment.day}"


def _fact(rule: str, match: re.Match[str], said_at: datetime) -> RuleFact | None:  # noqa: PLR0911
    groups = match.groupdict()
    kind = KIND_OF_RULE.get(rule, rule)
    if rule == "birthday":
        day = _date_text(match)
        return RuleFact(kind, f"Birthday: {day}") if day else None
    if rule == "birthday_today":
        return RuleFact(kind, f"Birthday: {_day_text(said_at.date())}")
    if rule == "birthday_tomorrow":
        return RuleFact(kind, f"Birthday: {_day_text(said_at.date() + timedelta(days=1))}")
    if rule == "age":
        return RuleFact(kind, f"Age: {groups['age']} (in {said_at.year})")
    if rule == "pet_named":
        return RuleFact(kind, f"Has a {PETS[groups['pet'].casefold()]} named {groups['name']}")
    if rule == "pet":
        return RuleFact(kind, f"Has a {PETS[groups['pet'].casefold()]}")
    if rule == "job" and groups.get("job"):
        return RuleFact(kind, f"Works as a {groups['job'].casefold()}")
    obj = _object(groups.get("object") or "", title=rule == "location")
    if not obj:
        return None
    texts = {
        "location": f"Lives in {obj}",
        "job": f"Works as {obj}",
        "job_as": f"Works as {obj}",
        "job_is": f"Job: {obj}",
        "job_at": f"Works at {obj}",
        "likes": f"Likes {obj}",
        "dislikes": f"Dislikes {obj}",
    }
    if rule == "favorite":
        return RuleFact(kind, f"Favorite {groups['what'].casefold()}: {obj}")
    return RuleFact(kind, texts[rule])


def facts_from_text(text: str, *, said_at: datetime) -> list[RuleFact]:
    """The facts stated in one fan message, in the order the rules list them, without
    repeats; a more precise rule of a kind (a pet's name) hides the vaguer one."""
    facts: list[RuleFact] = []
    seen_texts: set[str] = set()
    named_pets: set[str] = set()
    for rule, pattern in PATTERNS:
        for match in pattern.finditer(text):
            fact = _fact(rule, match, said_at)
            if fact is None or fact.text.casefold() in seen_texts:
                continue
            if rule == "pet_named":
                named_pets.add(PETS[match.group("pet").casefold()])
            if rule == "pet" and PETS[match.group("pet").casefold()] in named_pets:
                continue
            seen_texts.add(fact.text.casefold())
            facts.append(fact)
    return facts
