"""The leaflets the street units hand out: the public site's words as a PDF per language, right to left in Arabic."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from approdi.public.languages import CODES, HELPLINE
from approdi.public.models import PublicText
from tests.builders import verified_client
from tests.builders.pages import open_as

pytestmark = pytest.mark.django_db


def leaflet(language: str, size: str = "a5") -> PdfReader:
    response = Client().get(reverse("public:leaflet", args=[language, size]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert not response.cookies
    return PdfReader(io.BytesIO(response.content))


def text_of(pdf: PdfReader) -> str:
    """The words of every page, in reading order, a line break read as a space."""
    return " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)


def fonts_of(pdf: PdfReader) -> set[str]:
    return {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in pdf.pages
        for font in page["/Resources"]["/Font"].values()
    }


def starts_of_line(pdf: PdfReader, words: str) -> list[float]:
    """Where on the page (mm from the left edge) each drawn piece of ``words`` begins."""
    found: list[float] = []

    def visit(text, cm, tm, font, size):
        if text.strip() and text.strip() in words:
            found.append(tm[4] * 25.4 / 72)

    pdf.pages[0].extract_text(visitor_text=visit)
    return found


def title(language: str) -> str:
    return PublicText.objects.get(language=language, key="title").text


@pytest.mark.parametrize("language", CODES)
def test_every_language_has_a_leaflet_with_the_helpline_and_the_page_address(language):
    words = text_of(leaflet(language))
    assert HELPLINE in words  # left to right even in Arabic: "290 290 800" would be a wrong number
    assert f"/help/{language}/" in words  # printed under the QR code that leads there


@pytest.mark.parametrize("language", ["it", "ar"])
def test_a_leaflet_comes_in_a5_and_a6_with_everything_on_it(language):
    for size, width in (("a5", 148), ("a6", 105)):
        pdf = leaflet(language, size)
        assert round(float(pdf.pages[0].mediabox.width) * 25.4 / 72) == width
        assert HELPLINE in text_of(pdf) and title(language) in text_of(pdf)


def test_the_arabic_leaflet_reads_right_to_left_in_a_font_that_joins_its_letters():
    pdf = leaflet("ar")
    heading = title("ar")
    assert heading in text_of(pdf)  # extracted in reading order, letters mapped back from their joined forms
    assert "NotoNaskhArabic" in fonts_of(pdf)
    # Right-aligned: the title ends at the right margin, so it begins well inside the page; Italian at the margin.
    assert min(starts_of_line(pdf, heading)) > 40
    assert min(starts_of_line(leaflet("it"), title("it"))) == pytest.approx(10, abs=1)


def test_the_chinese_leaflet_is_drawn_in_a_font_that_has_its_characters():
    pdf = leaflet("zh-hans")
    assert title("zh-hans") in text_of(pdf)
    assert "DroidSansFallback" in fonts_of(pdf)


def test_a_changed_text_is_in_the_next_leaflet(people, network):
    coordinator = people("coordinator", at=network.lead).owner
    assert "Aiuto e protezione" not in text_of(leaflet("it"))
    texts = dict(PublicText.objects.filter(language="it").values_list("key", "text"))
    url = reverse("public_texts:edit", args=["it"])
    saved = open_as(coordinator).post(url, {**texts, "title": "Aiuto e protezione"})
    assert saved.status_code == 302
    assert "Aiuto e protezione" in text_of(leaflet("it"))


def test_an_unknown_language_or_size_is_not_found():
    assert Client().get("/help/xx/leaflet-a5.pdf").status_code == 404
    assert Client().get("/help/it/leaflet-a3.pdf").status_code == 404


def test_every_member_finds_the_leaflets_of_every_language(people, network):
    trio = people("outreach", at=network.partner)
    for user in (trio.owner, trio.member, trio.outsider):  # public words: every signed-in member may print them
        page = verified_client(user).get(reverse("public_texts:leaflets")).content.decode()
        for language in CODES:
            assert reverse("public:leaflet", args=[language, "a5"]) in page
            assert reverse("public:leaflet", args=[language, "a6"]) in page
    assert Client().get(reverse("public_texts:leaflets")).status_code == 302  # to the sign-in
    home = verified_client(trio.owner).get(reverse("core:home")).content.decode()
    assert reverse("public_texts:leaflets") in home
