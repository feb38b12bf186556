"""The public site, /help/: no sign-in, no cookie, no tracking, nothing of a person's data kept but her request.

Every page is in the language of its address (``/help/<code>/``), whatever the staff's language settings.
"""

import hashlib

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from approdi.core.forms import add_errors
from approdi.core.permissions import allow_unverified
from approdi.intake.help_requests import NoQueue, new_reference, receive_help_request

from . import abuse, leaflet, selectors
from .forms import HelpRequestForm
from .languages import CODES, HELPLINE, HELPLINE_LINK, HTML_LANG, LANGUAGES, LIST_KEYS, RIGHT_TO_LEFT


def _render(request: HttpRequest, language: str, template: str, context: dict, status: int = 200) -> HttpResponse:
    with translation.override(language):  # Django's own words (a required field) in the page's language
        response = render(
            request,
            template,
            {
                "language": language,
                "html_lang": HTML_LANG[language],
                "direction": "rtl" if language in RIGHT_TO_LEFT else "ltr",
                "languages": LANGUAGES,
                "helpline": HELPLINE,
                "helpline_link": HELPLINE_LINK,
                **context,
            },
            status=status,
        )
    response["Content-Language"] = HTML_LANG[language]
    return response


def _texts(language: str) -> dict:
    if language not in CODES:
        raise Http404
    texts = selectors.page_texts(language)
    return {"texts": texts, "lines": {key: [s for s in texts[key].splitlines() if s.strip()] for key in LIST_KEYS}}


@allow_unverified
@require_GET
def choose_language(request: HttpRequest) -> HttpResponse:
    return _render(request, "it", "public/choose.html", _texts("it"))


@allow_unverified
@require_GET
def page(request: HttpRequest, language: str) -> HttpResponse:
    return _render(request, language, "public/page.html", {**_texts(language), "desks": selectors.desks()})


@csrf_exempt  # no cookie may be set: abuse.py says what protects the form instead
@allow_unverified
@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest, language: str) -> HttpResponse:
    content = _texts(language)
    texts = content["texts"]
    if request.method == "GET":
        return _render(request, language, "public/ask.html", {**content, "form": HelpRequestForm(texts=texts)})
    if not abuse.from_this_site(request):
        return _render(request, language, "public/refused.html", {**content, "reason": texts["form_expired"]}, 403)
    if not abuse.take_a_turn(request):
        return _render(request, language, "public/refused.html", {**content, "reason": texts["too_many"]}, 429)
    with translation.override(language):
        form = HelpRequestForm(request.POST, texts=texts)
        valid = form.is_valid()
    if form.data.get(abuse.HONEYPOT):  # a robot: answered as a person would be, and nothing is kept
        return _render(request, language, "public/thanks.html", {**content, "reference": new_reference()})
    if not abuse.token_is_fresh(form.data.get("token", "")):
        form = HelpRequestForm(texts=texts, initial={k: v for k, v in request.POST.items() if k != "token"})
        form.fresh_start_reason = texts["form_expired"]
        return _render(request, language, "public/ask.html", {**content, "form": form}, 400)
    if valid:
        data = form.cleaned_data
        try:
            referral = receive_help_request(
                contact_way=data["contact_way"],
                phone=data["phone"],
                email=data["email"],
                safe_times=data["safe_times"],
                language=data["language"],
                message=data["message"],
                page_language=language,
            )
        except NoQueue:  # no edition is running: nobody would read it; the helpline answers
            return _render(request, language, "public/refused.html", {**content, "reason": ""}, 503)
        except ValidationError as error:  # a rule of every referral: said on the form, as any other error
            add_errors(form, error)
        else:
            return _render(request, language, "public/thanks.html", {**content, "reference": referral.reference})
    return _render(request, language, "public/ask.html", {**content, "form": form}, 400)


@allow_unverified
@require_GET
def neutral(request: HttpRequest) -> HttpResponse:
    """Where "leave quickly" goes: a page that says nothing about help."""
    return render(request, "public/neutral.html")


@allow_unverified
@require_GET
def leaflet_pdf(request: HttpRequest, language: str, size: str) -> HttpResponse:
    """The printable leaflet of the page in ``language``: drawn again whenever a text or the site's address changes."""
    if size not in leaflet.SIZES:
        raise Http404
    texts = _texts(language)["texts"]
    address = request.build_absolute_uri(reverse("public:page", args=[language]))
    # A Chinese leaflet takes a second or two to draw (its font is large): kept until its words change.
    key = "leaflet:" + hashlib.sha256(repr((language, size, address, sorted(texts.items()))).encode()).hexdigest()
    pdf = cache.get(key)
    if pdf is None:
        pdf = leaflet.leaflet_pdf(language=language, size=size, texts=texts, address=address)
        cache.set(key, pdf, timeout=7 * 24 * 3600)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="approdi-{language}-{size}.pdf"'
    response["Content-Language"] = HTML_LANG[language]
    return response
