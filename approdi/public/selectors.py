"""Reading the public site's content. Nothing here is about a person: no scope, no audit of reads."""

from dataclasses import dataclass

from django.db.models import Count, Q

from .languages import CODES, HTML_LANG, KEYS, NAMES, SOURCE
from .models import Desk, PublicText

# A text missing in a language is shown in English, else in Italian (a new text before its translation).
FALLBACK = ["en", SOURCE]


def page_texts(language: str) -> dict[str, str]:
    """Every text of the pages in ``language`` (one query)."""
    wanted = [language, *[f for f in FALLBACK if f != language]]
    found: dict[str, dict[str, str]] = {code: {} for code in wanted}
    for code, key, text in PublicText.objects.filter(language__in=wanted).values_list("language", "key", "text"):
        found[code][key] = text
    return {key: next((found[code][key] for code in wanted if key in found[code]), "") for key in KEYS}


def desks() -> list[Desk]:
    return list(Desk.objects.order_by("name"))


@dataclass(frozen=True)
class LanguageState:
    code: str
    name: str
    tag: str
    texts: int
    needing_review: int

    @property
    def missing(self) -> int:
        return len(KEYS) - self.texts


def review_states() -> list[LanguageState]:
    """Per language: how many texts it has and how many need review since the Italian changed (two queries)."""
    italian = dict(PublicText.objects.filter(language=SOURCE).values_list("key", "revision"))
    counts: dict[str, tuple[int, int]] = {
        row["language"]: (row["texts"], row["stale"])
        for row in PublicText.objects.values("language").annotate(
            texts=Count("id"),
            stale=Count("id", filter=_stale(italian)),
        )
    }
    return [
        LanguageState(
            code=code,
            name=NAMES[code],
            tag=HTML_LANG[code],
            texts=counts.get(code, (0, 0))[0],
            needing_review=counts.get(code, (0, 0))[1],
        )
        for code in CODES
    ]


def _stale(italian: dict[str, int]) -> Q:
    condition = Q(pk__in=[])
    for key, revision in italian.items():
        condition |= Q(key=key, source_revision__lt=revision)
    return condition & ~Q(language=SOURCE)


def editing_rows(language: str) -> dict[str, PublicText]:
    return {row.key: row for row in PublicText.objects.filter(language=language)}


def keys_needing_review(language: str) -> set[str]:
    """The texts of ``language`` checked against an older Italian than today's: the rule ``review_states`` counts."""
    italian = dict(PublicText.objects.filter(language=SOURCE).values_list("key", "revision"))
    return set(PublicText.objects.filter(_stale(italian), language=language).values_list("key", flat=True))
