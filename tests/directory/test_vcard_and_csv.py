"""The directory's vCard file reads back into the same contacts (a minimal RFC 2426 reader: unfold, split,
unescape); the CSV has a row per referent and neutralises formulas."""

import csv
import io
import re

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.directory.models import Referent
from tests.builders import verified_client
from tests.builders.directory import build_directory

pytestmark = pytest.mark.django_db


def parse_vcards(text: str) -> list[dict[str, str]]:
    assert "\n" not in text.replace("\r\n", ""), "lines end in CRLF"
    unfolded = re.sub(r"\r\n[ \t]", "", text)
    cards, card = [], None
    for line in unfolded.split("\r\n"):
        if not line:
            continue
        name, _, value = line.partition(":")
        key = name.split(";")[0].upper()
        if key == "BEGIN":
            card = {}
        elif key == "END":
            cards.append(card)
            card = None
        else:
            parts = re.split(r"(?<!\\);", value) if key in ("N", "ADR") else [value]
            card[key] = ";".join(
                p.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\") for p in parts
            )
    return cards


def test_every_physical_line_is_at_most_75_octets_and_cards_parse_back(network, make_user):
    member = make_user("reader", network.partner, "outreach", network.programme)
    d = build_directory(network.programme, follower=member)
    with scopes_disabled():
        Referent.objects.create(
            body=d.questura,
            name="Ispettrice Lunga, Nome; con \\ segni",
            role="Responsabile dell'ufficio immigrazione, sezione protezione vittime di tratta"
            " e sfruttamento lavorativo",
            email="ispettrice@example.invalid",
        )
        d.questura.address = "Via Fatebenefratelli 11, 20121 Milano"
        d.questura.save()
    answer = verified_client(member).get(reverse("directory:export_vcard"))
    assert answer["Content-Type"].startswith("text/vcard")
    text = answer.content.decode()
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    cards = {c["FN"]: c for c in parse_vcards(text)}
    questura = cards["Questura di Prova · Ufficio Immigrazione"]
    assert questura["VERSION"] == "3.0"
    assert questura["TEL"] == "02 6226 1" and questura["EMAIL"] == "immigrazione.prova@example.invalid"
    assert questura["ADR"] == ";;Via Fatebenefratelli 11, 20121 Milano;;;;"
    inspector = cards["Ispettrice Lunga, Nome; con \\ segni"]
    assert inspector["ORG"] == "Questura di Prova · Ufficio Immigrazione"
    assert inspector["TITLE"].startswith("Responsabile dell'ufficio immigrazione, sezione")
    assert inspector["TITLE"].endswith("sfruttamento lavorativo")
    referent = cards["Dott.ssa Referente Prova"]
    assert (referent["TEL"], referent["EMAIL"]) == ("02 1111 2223", "referente.prova@example.invalid")
    assert len(cards) == 4  # two bodies, two referents


def test_the_csv_lists_a_row_per_referent_and_neutralises_formulas(network, make_user):
    member = make_user("reader", network.partner, "outreach", network.programme)
    d = build_directory(network.programme, follower=member)
    with scopes_disabled():
        d.questura.services = "=HYPERLINK(1)"
        d.questura.save()
    client = verified_client(member)
    client.cookies["django_language"] = "en"
    rows = list(csv.reader(io.StringIO(client.get(reverse("directory:export_csv")).content.decode())))
    assert rows[0][0] == "Body"
    by_name = {(r[0], r[10]) for r in rows[1:]}
    assert ("Commissione Territoriale di Prova", "Dott.ssa Referente Prova") in by_name
    assert ("Questura di Prova · Ufficio Immigrazione", "") in by_name
    questura = next(r for r in rows if r[0].startswith("Questura"))
    assert not questura[3].startswith("=")


def test_search_narrows_the_list_and_the_exports(network, make_user):
    member = make_user("reader", network.partner, "outreach", network.programme)
    build_directory(network.programme, follower=member, area=network.area)
    client = verified_client(member)
    page = client.get(reverse("directory:body_list"), {"q": "art. 18"}).content.decode()
    assert "Questura di Prova" in page and "Commissione Territoriale di Prova" not in page
    page = client.get(reverse("directory:body_list"), {"q": "Funzionaria"}).content.decode()  # a referent's role
    assert "Commissione Territoriale di Prova" in page and "Questura di Prova" not in page
    page = client.get(reverse("directory:body_list"), {"type": "commissione"}).content.decode()
    assert "Commissione Territoriale di Prova" in page and "Questura di Prova" not in page
    page = client.get(reverse("directory:body_list"), {"area": network.area.pk}).content.decode()
    assert "Questura di Prova" in page and "Commissione Territoriale di Prova" not in page
    cards = client.get(reverse("directory:export_vcard"), {"type": "questura"}).content.decode()
    assert "Questura di Prova" in cards and "Commissione" not in cards
    assert client.get(reverse("directory:body_list"), {"q": "x" * 500}).status_code == 200
