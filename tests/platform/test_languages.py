"""Italian first, English complete: every string translated, compiled, and switchable."""

import ast
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.builders import verified_client

PO_FILE = Path(__file__).resolve().parents[2] / "locale" / "it" / "LC_MESSAGES" / "django.po"


def po_entries(path: Path = PO_FILE) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) of the Italian catalogue; plural entries give their singular forms.

    An entry with a context has msgid "context\x04msgid", as gettext stores it."""
    entries, current, fuzzy, key = [], {}, False, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if current.get("msgid"):
                msgid = current["msgid"]
                if "msgctxt" in current:
                    msgid = f"{current['msgctxt']}\x04{msgid}"
                entries.append((msgid, current.get("msgstr", current.get("msgstr[0]", "")), fuzzy))
            current, fuzzy, key = {}, False, None
        elif line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("#"):
            continue
        else:
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?|msgctxt)\s+(".*")$', line)
            if match:
                key = match.group(1)
                current[key] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and key:
                current[key] += ast.literal_eval(line)
    return entries


def test_every_string_has_an_italian_translation():
    missing = [msgid for msgid, msgstr, fuzzy in po_entries() if not msgstr or fuzzy]
    assert not missing, f"untranslated or fuzzy: {missing[:10]}"


def test_the_javascript_strings_have_an_italian_translation():
    """The djangojs domain: complete if there is one; and a script that asks for a translation needs one."""
    catalogue = PO_FILE.with_name("djangojs.po")
    scripts = Path(__file__).resolve().parents[2] / "static"
    asking = [p.name for p in scripts.rglob("*.js") if re.search(r"\b(n|p)?gettext\(", p.read_text(encoding="utf-8"))]
    if not catalogue.exists():
        assert not asking, f"{asking} call gettext but locale/it has no djangojs.po (make messages with -d djangojs)"
        return
    missing = [msgid for msgid, msgstr, fuzzy in po_entries(catalogue) if not msgstr or fuzzy]
    assert not missing, f"djangojs: untranslated or fuzzy: {missing[:10]}"


def test_compiled_catalogue_matches_the_po_file():
    stale = []
    with translation.override("it"):
        for msgid, msgstr, _fuzzy in po_entries():
            context, _sep, text = msgid.rpartition("\x04")
            found = translation.pgettext(context, text) if context else translation.gettext(text)
            if "%" not in msgid and found != msgstr:
                stale.append(msgid)
    assert not stale, f"locale/it/LC_MESSAGES/django.mo is older than the .po: {stale[:5]} (run make messages)"


@pytest.mark.django_db
def test_italian_is_the_default_and_english_is_a_click_away(network, make_user):
    client = Client()
    italian = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="it">' in italian and "Accedi" in italian
    client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    english = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="en">' in english and "Sign in to Approdi" in english


@pytest.mark.django_db
def test_pages_stay_italian_whatever_the_browser_asks(network):
    page = Client().get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="it">' in page.content.decode()
    api = Client().get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en").json()
    assert api["error"]["message"] == "A valid API token is required."


@pytest.mark.django_db
def test_pages_speak_the_chosen_language(network, make_user):
    user = make_user("marta", network.lead, "filtro", network.programme)
    client = verified_client(user)
    assert "Esci" in client.get("/").content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Sign out" in client.get("/").content.decode()
