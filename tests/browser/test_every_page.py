"""Every page each demo role can open, at 360 px and at 1280 px (issue #19: "nothing hides on a phone", axe clean).

The pages come from the URL conf, not from a list: each role starts from every route that needs no argument and
follows the links it is shown to the routes that need one (one page per route and role), so a page added later is
walked as soon as something links to it; a route no role reached fails the test (``NOT_WALKED`` says why a few
are left out). At 360 px: nothing wider than the screen, and in every table the first column and the links and
buttons in view (a table may scroll sideways only if they stay in view); at both sizes: no serious or critical axe
violation. Then the same pages in English at 360 px (width, tables, axe). One browser, one context per role, each
page once per size and language, axe run on the same load as the width check.

The world is the demo (``load_demo``) plus what people write that a layout must survive: a 60,000-character case
note without a space, a goal and a diary entry as long and unbroken; and a day's work of the roles (walk_world.py),
so that every page showing one record has one: an outing and its contact, a referral in the queue, a screening, a
woman waiting for a place, a transfer, permits to issue and renew (one expiring in ten days: its badge), a course
under way, a co-funding line, a funder report to approve and an export."""

from __future__ import annotations

from collections import deque
from urllib.parse import urljoin, urlparse

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import NoReverseMatch, Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.accounts.models import User
from tests.builders import verified_client
from tests.platform.test_every_route import POST_ONLY

from . import walk_world
from .conftest import AXE_OPTIONS, BLOCKING_IMPACTS, VIEWPORTS
from .walk_world import acting_in

pytestmark = pytest.mark.browser

DEMO_ROLES = ["coordinatrice", "referente", "filtro", "strada", "accoglienza", "operatrice", "legale"]
DEMO_ROLES += ["amministratore", "dpo"]
PHONE, DESK = 360, 1280
# Moderate for axe, blocking here: several table regions named alike cannot be told apart in a list of landmarks.
ALSO_BLOCKING = {"landmark-unique"}
PUBLIC_SITE = ("/help/", "/today/")  # public pages: in the language of their address
UNBROKEN = "x" * 60_000  # a paste without a space: it must wrap, not widen the page for the whole team

# Routes a signed-in walk must not open, and why.
NOT_WALKED = {
    "accounts:logout": "signs the walker out",
    "accounts:logout_everywhere": "signs the walker out",
    "accounts:login": "a signed-in user is sent on (tests/browser/test_accessibility.py checks the sign-in steps)",
    "accounts:two_factor": "as accounts:login",
    "accounts:password_reset_confirm": "needs a token sent by e-mail",
    "set_language": "a form's target (POST)",
    "accounts:switch": "a form's target (POST)",
    "healthz": "not a page",
    "javascript_catalog": "not a page",
}

# Routes no demo role reaches with a GET that answers a page. A route missing from the walk and from here fails the
# test: link it from a page, or say here why it is no page.
NO_PAGE = {  # files, and the targets of forms (POST only: tests/platform/test_every_route.py lists them)
    "outreach:service_worker",  # the offline app: a script, a manifest, the queue's JSON door (POST)
    "outreach:manifest",
    "outreach_sync",
    "outreach:offline_key",  # the offline app's key (JSON)
    # The page of an outing opened on the phone with no signal: reached from the new outing form offline, filled
    # from the phone (tests/browser/test_offline_outing.py opens it, with axe).
    "outreach:outing_offline",
    "intake:records_export",
    "outreach:export",
    "audit:export",
    "outreach:import_template",
    "reports:funder_file",
    "reports:job_download",
    "outreach:person_code",
    "reports:job_create",
    "accounts:revoke_token",
    "accounts:deactivate",
    "accounts:grant_approve",
    "accounts:grant_reject",
    "network:remove_co_funding",
    "oncall:roster_ical",  # the roster's calendar file
    "governance:meeting_ics",  # a meeting's invitation (a calendar file)
    "conferences:case_conference_ics",  # a case conference's invitation (a calendar file)
    # The decisions of a conference scheduled ahead, once it has taken place: the demo's conferences are recorded
    # after the fact, decisions and all (tests/intake/test_conference_meeting_engine.py opens it).
    "conferences:case_conference_decisions",
    "governance:minutes_pdf",  # a meeting's minutes (a PDF file)
    "governance:calendar_feed",  # a user's calendar feed, opened by its token (a calendar file)
    "oncall:shift_remove",
    "public_texts:desk_remove",
    "accounts:oidc_start",  # redirects to the identity provider (404 unless single sign-on is configured)
    "accounts:oidc_callback",
    "metrics",  # Prometheus' text, for its scraper
    "cases:document_download",  # a document's file, an attachment
    "cases:document_purge",  # the DPO's purge (POST)
    "directory:export_csv",  # the directory's files, and a protocol's signed PDF
    "directory:export_vcard",
    "directory:protocol_document",
    "training:export_csv",  # the events' CSV and an event's material (PDF)
    "training:event_material",
    "accounts:notice_emails",  # the targets of My account's and My work's forms (POST)
    "accounts:notice_read",
    "audit:processing_record_pdf",  # the register of processing as a PDF file
    "access:erasure_decide",  # the coordinator's decision on an erasure request (POST)
    "public:leaflet",  # the public site's leaflets, PDF files (tests/public/test_leaflets.py)
}


def _routes(resolver: URLResolver, namespace: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


PAGE_NAMES = sorted({name for name in _routes(get_resolver()) if not name.startswith("api:")} - set(NOT_WALKED))


def starting_points() -> list[str]:
    """The page routes that need no argument."""
    urls = []
    for name in PAGE_NAMES:
        try:
            urls.append(reverse(name))
        except NoReverseMatch:
            continue  # reached through the links of the pages
    return urls


def route_of(url: str) -> str | None:
    try:
        name = resolve(urlparse(url).path).view_name
    except Resolver404:
        return None
    return name if name in PAGE_NAMES else None


# What a phone hides: the page wider than the screen, anything poking out of it, a table whose first column or
# links and buttons lie off screen. Elements inside a box that scrolls sideways are left to the table rule.
WIDTH_PROBLEMS = """(vw) => {
  const out = [];
  const name = (el) => {
    const text = (el.innerText || el.value || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
    return `<${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string'
      ? '.' + el.className.trim().split(/\\s+/).join('.') : ''}> "${text}"`;
  };
  const tiny = (el) => { const r = el.getBoundingClientRect(); return r.width <= 1 || r.height <= 1; };
  const shown = (el) => {  // not visually hidden words for screen readers, nor inside them
    if (tiny(el) || getComputedStyle(el).visibility === 'hidden') return false;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) if (tiny(p)) return false;
    return true;
  };
  const off = (el) => { const r = el.getBoundingClientRect(); return r.right > vw + 0.5 || r.left < -0.5; };
  const scrolls = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const x = getComputedStyle(p).overflowX;
      if (x === 'auto' || x === 'scroll') return true;
    }
    return false;
  };
  const wide = document.documentElement.scrollWidth;
  if (wide > vw) out.push(`the page is ${wide} px wide`);
  for (const el of document.body.querySelectorAll('*')) {
    if (!shown(el) || !off(el) || scrolls(el)) continue;
    if (el.parentElement && shown(el.parentElement) && off(el.parentElement) && !scrolls(el.parentElement)) continue;
    const r = el.getBoundingClientRect();
    out.push(`${name(el)} spans ${Math.round(r.left)}–${Math.round(r.right)} px`);
  }
  for (const table of document.querySelectorAll('main table')) {
    if (!shown(table)) continue;
    const label = table.dataset.testid || table.getAttribute('aria-label')
      || (table.caption && table.caption.innerText) || '';
    for (const row of table.rows) {
      const first = row.cells[0];
      if (first && shown(first) && off(first)) out.push(`table ${label}: first column ${name(first)} off screen`);
    }
    for (const action of table.querySelectorAll('a[href], button')) {
      if (shown(action) && off(action)) out.push(`table ${label}: ${name(action)} off screen`);
    }
  }
  return out.slice(0, 12);
}"""


@pytest.fixture
def demo(transactional_db, live_server):
    """The demo, with long unbroken text where people write: a case note, a goal, a diary entry."""
    from approdi.cases.models import Case
    from approdi.cases.services import case as case_services
    from approdi.cases.services import plan
    from approdi.shelter.models import Placement
    from approdi.shelter.services import write_diary

    call_command("load_demo", "--quiet")
    worker = User.objects.get(username="operatrice")
    educator = User.objects.get(username="accoglienza")
    with scopes_disabled():
        cases = list(Case.objects.filter(case_manager=worker).exclude(status="closed"))
        placements = list(Placement.objects.filter(end__isnull=True, structure__organisation__code="somaschi"))
    for case in cases:  # whichever case the walk opens
        with acting_in(worker, case.programme):
            case_services.write_note(
                actor=worker,
                case=case,
                day=timezone.localdate(),
                text=UNBROKEN,
                domain="general",
                confidentiality="team",
            )
            plan.add_goal(actor=worker, case=case, domain="work", description=UNBROKEN[:300])
    # A day's work of the roles, so that every page that shows one record has one (walk_world.py).
    today, programme = timezone.localdate(), cases[0].programme
    _contact, referral = walk_world.outreach_night(programme, today)
    walk_world.filtro_day(programme, today, referral)
    walk_world.case_work(programme, today)
    walk_world.coordination(programme, today)
    for placement in placements:
        with acting_in(educator, placement.programme):
            write_diary(
                actor=educator, placement=placement, day=timezone.localdate(), kind="note", text=UNBROKEN[:2000]
            )
    return live_server


def axe_violations(axe, page) -> list[str]:
    results = axe.run(page, options=AXE_OPTIONS)
    return [
        f"[{v['impact']}] {v['id']}: {v['help']} — "
        + "; ".join(" ".join(node.get("html", "").split())[:160] for node in v["nodes"][:3])
        for v in results.response["violations"]
        if v.get("impact") in BLOCKING_IMPACTS or v["id"] in ALSO_BLOCKING
    ]


def settle(page) -> None:
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready.then(() => true)")


class Walk:
    """One role's walk: the pages it opened (HTML, 200) and what was wrong on them."""

    def __init__(self, browser, axe, server, username: str):
        self.axe = axe
        self.username = username
        self.context = browser.new_context(
            **VIEWPORTS["phone"], locale="it-IT", base_url=server.url, service_workers="block"
        )
        self.context.set_default_timeout(20_000)
        client = verified_client(User.objects.get(username=username))
        self.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": server.url,
                }
            ]
        )
        self.page = self.context.new_page()
        self.server = server
        self.opened: dict[str, str] = {}  # route name → the URL opened for it
        self.problems: list[str] = []

    def report(self, url: str, size: int, found: list[str], language: str = "it") -> None:
        self.problems += [f"{self.username} {url} at {size} px in {language}: {line}" for line in found]

    def links(self) -> list[str]:
        hrefs = self.page.eval_on_selector_all("a[href]", "(links) => links.map((a) => a.getAttribute('href'))")
        found = []
        for href in hrefs:
            url = urljoin(self.page.url, href)
            parsed = urlparse(url)
            if parsed.netloc != urlparse(self.server.url).netloc or not parsed.path:
                continue
            found.append(parsed.path + (f"?{parsed.query}" if parsed.query else ""))
        return found

    def is_page(self, url: str) -> bool:
        """Asked before the browser goes there: a refusal, a file, a form's target or a redirect is no page."""
        answer = self.context.request.get(url, max_redirects=0)
        return answer.status == 200 and answer.headers.get("content-type", "").startswith("text/html")

    def open(self, url: str) -> None:
        response = self.page.goto(url)
        assert response is not None and response.status == 200, f"{self.username} {url}: {response}"
        settle(self.page)

    def on_the_phone(self) -> None:
        """Opens one page per route; a URL that is no page (a refusal, or a route that needs its query, as the
        drill-down's bare address) leaves the route open to the next link to it."""
        waiting, asked = deque(starting_points()), set()
        while waiting:
            url = waiting.popleft()
            name = route_of(url)
            if name is None or self.opened.get(name) or url in asked:
                continue
            asked.add(url)
            if not self.is_page(url):
                self.opened.setdefault(name, "")
                continue
            self.opened[name] = url
            self.open(url)
            self.report(url, PHONE, self.page.evaluate(WIDTH_PROBLEMS, PHONE))
            self.report(url, PHONE, axe_violations(self.axe, self.page))
            waiting.extend(link for link in self.links() if not self.opened.get(route_of(link) or ""))

    def on_the_desk(self) -> None:
        self.page.set_viewport_size({"width": DESK, "height": 800})
        for url in self.opened.values():
            if url:
                self.open(url)
                self.report(url, DESK, axe_violations(self.axe, self.page))

    def in_english(self) -> None:
        """The same pages in English on the phone: other words, other widths (and lang="en" for axe)."""
        self.page.set_viewport_size(VIEWPORTS["phone"]["viewport"])
        self.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": self.server.url}])
        for url in self.opened.values():
            # the public site is in the language of its address, whatever the cookie (tests/browser/test_public_site.py)
            if url and not urlparse(url).path.startswith(PUBLIC_SITE):
                self.open(url)
                found = [] if self.page.get_attribute("html", "lang") == "en" else ["the page is not in English"]
                found += self.page.evaluate(WIDTH_PROBLEMS, PHONE) + axe_violations(self.axe, self.page)
                self.report(url, PHONE, found, language="en")


def _walks_seen(tmp_path_factory, username: str, walked: set[str]) -> dict[str, set[str]]:
    """Files this role's walked routes where every role's walk of this run writes its own (one folder for the run,
    shared by pytest-xdist's workers), and answers the walks written so far."""
    import json
    import os

    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "every-page-walks"
    folder.mkdir(exist_ok=True)
    written = folder / f"{username}.json"
    written.with_suffix(".tmp").write_text(json.dumps(sorted(walked)))
    written.with_suffix(".tmp").replace(written)  # whole or absent, never half written
    return {path.stem: set(json.loads(path.read_text())) for path in folder.glob("*.json")}


# One test per role, so that pytest-xdist walks the roles on every core at once (one walk of the nine roles took
# a quarter of an hour); each role's pages are checked by its own test, and the last walk to end checks that
# every page was opened by some role.
@pytest.mark.parametrize("username", DEMO_ROLES)
def test_every_page_fits_a_phone_and_is_accessible(browser, axe, demo, tmp_path_factory, username):
    walk = Walk(browser, axe, demo, username)
    try:
        walk.on_the_phone()
        walk.on_the_desk()
        walk.in_english()
    finally:
        walk.context.close()
    walks = _walks_seen(tmp_path_factory, username, {name for name, url in walk.opened.items() if url})
    problems = walk.problems
    if set(walks) == set(DEMO_ROLES):
        walked = set().union(*walks.values())
        not_reached = set(PAGE_NAMES) - walked - POST_ONLY - NO_PAGE
        assert not not_reached, (
            f"no demo role opened these pages (link them, or list them above): {sorted(not_reached)}"
        )
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)
