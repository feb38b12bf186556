"""The texts the public site starts with, in all its languages (``data/texts.json``): the coordinators edit them after.

Short sentences, for people with little schooling, read aloud by a screen reader. The content is seed 003's:
what protection offers, who can ask, how to reach it, and the safe-reporting promise (VISA RoC).
Migration 0002 adds them to every installation; the demo loader adds any that are missing.
"""

import json
from pathlib import Path

from .languages import SOURCE

TEXTS_FILE = Path(__file__).resolve().parent / "data" / "texts.json"


def starting_texts() -> dict[str, dict[str, str]]:
    return json.loads(TEXTS_FILE.read_text(encoding="utf-8"))


def add_missing_texts(model) -> int:
    """Adds the starting texts a language lacks, never touching an edited one. ``model``: PublicText, or a
    migration's historical model of it. Answers how many were added."""
    present = set(model.objects.values_list("language", "key"))
    rows = [
        model(language=language, key=key, text=text, source_revision=None if language == SOURCE else 1)
        for language, texts in starting_texts().items()
        for key, text in texts.items()
        if (language, key) not in present
    ]
    model.objects.bulk_create(rows)
    return len(rows)
