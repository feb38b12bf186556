"""Phone-first entry of a street outing (issue "Outreach", item 6), measured.

"An outing with 10 contacts can be entered on a 360-px phone in under two minutes by someone who
knows the form: sensible defaults (today, my unit, last area), repeat contacts found by code, no
page reload per contact (htmx). Keyboard-only entry works too."

Every user action goes through ``Actions``, which counts it: a tap (or click), a field typed, a
choice picked in a list, a key pressed. On a phone it also counts, apart, the swipes a thumb needs
before a tap when the target is off screen: Playwright scrolls by itself, a person does not.

The clock is pinned (time-machine, ticking) to a night hour for the phone and a day hour for the
keyboard, so both branches of the day/night default are checked whatever the hour of the run.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from approdi.network.models import Area
from approdi.outreach.models import Contact, Outing
from approdi.people.person_code import code_from_facts

from .conftest import PASSWORD, blocking_violations, expect, path_of, totp_code, wait_for_path

pytestmark = pytest.mark.browser

CONTACTS = 10
# A practised thumb needs about two seconds per action (a tap, a short number typed, a choice in a
# native picker): two minutes are 60 actions, so 6 per contact on average, setting out included.
ACTIONS_PER_CONTACT = 6
LIMIT = ACTIONS_PER_CONTACT * CONTACTS
SECONDS = 120

# Met last week by the operator's own unit (phone test), or by another organisation (keyboard test).
JOY = {
    "given_name": "Joy",
    "family_name": "Osas",
    "birth_year": 1999,
    "nationality": "NG",
    "gender": "woman",
    "mother_name": "Ngozi",
}
# The facts as the keyboard user types them in the facts form (Italian labels, type-ahead in the lists).
JOY_TYPED = {
    "given_name": "Joy",
    "family_name": "Osas",
    "mother_name": "Ngozi",
    "birth_year": "1999",
    "nationality": "Nigeria",
    "gender": "Donna",
}


# --- counting ---------------------------------------------------------------------------------


STILL = """() => {
  const busy = document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added');
  const still = window.__lastScrollY === window.scrollY;
  window.__lastScrollY = window.scrollY;
  return !busy && still;
}"""


@dataclass
class Actions:
    """The user's actions in a scenario, counted.

    ``touch``: a phone (taps, and swipes counted apart); ``keyboard_only``: anything but a key press fails.
    """

    page: object
    touch: bool = False
    keyboard_only: bool = False
    taps: int = 0
    fills: int = 0
    chars: int = 0
    choices: int = 0
    keys: int = 0
    typed: int = 0
    swipes: int = 0
    log: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.taps + self.fills + self.choices + self.keys

    def _pointer(self, what: str) -> None:
        assert not self.keyboard_only, f"keyboard only, but the scenario asked for: {what}"

    def _reach(self, target) -> None:
        """On a phone, counts the swipes that bring ``target`` on screen, then scrolls to it."""
        if not self.touch:
            return
        # A thumb moves once the page has stopped moving: measured mid-swap or mid-scroll (htmx settling, a focus
        # scrolled into view), the distance depends on how fast this machine is, not on the page.
        self.page.evaluate("window.__lastScrollY = undefined")
        self.page.wait_for_function(STILL, polling="raf")
        off = target.evaluate(
            "(el) => { const r = el.getBoundingClientRect();"
            " return r.top < 0 ? -r.top : Math.max(0, r.bottom - window.innerHeight); }"
        )
        if off > 0:
            swipes = math.ceil(off / (0.75 * self.page.viewport_size["height"]))  # a swipe: 3/4 of a screen
            self.swipes += swipes
            self.log.append(f"swipe×{swipes}")
        target.scroll_into_view_if_needed()

    def tap(self, target) -> None:
        self._pointer("a tap")
        self._reach(target)
        if self.touch:
            target.tap()
        else:
            target.click()
        self.taps += 1
        self.log.append("tap")

    def fill(self, target, text: str) -> None:
        self._pointer("a field filled by the mouse")
        self._reach(target)
        target.fill(text)
        self.fills += 1
        self.chars += len(text)
        self.log.append(f"fill {text!r}")

    def choose(self, target, value: str) -> None:
        self._pointer("a choice picked by the mouse")
        self._reach(target)
        target.select_option(value)
        self.choices += 1
        self.log.append(f"choose {value!r}")

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.keys += 1
        self.log.append(key)

    def type(self, text: str) -> None:
        """Typed text: one key press per character."""
        self.page.keyboard.type(text)
        self.keys += len(text)
        self.typed += len(text)
        self.log.append(f"type {text!r}")

    def tab_to(self, selector: str, *, backwards: bool = False, most: int = 40) -> int:
        """Presses Tab (Shift+Tab) until the focus is on ``selector``; returns the presses."""
        key = "Shift+Tab" if backwards else "Tab"
        for presses in range(most + 1):
            if focused_matches(self.page, selector):
                if presses:
                    self.log.append(f"({presses}× {key} to {selector})")
                return presses
            self.page.keyboard.press(key)
            self.keys += 1
        raise AssertionError(f"{selector} never got the focus after {most} presses of {key}; log: {self.log}")

    def skip_to_content(self) -> None:
        """From the top of the page: the "skip to content" link, Enter; the focus is then on <main>."""
        self.tab_to("a.skip-link")
        self.press("Enter")
        assert focused_matches(self.page, "main#main"), f"the skip link left the focus on {focused(self.page)}"

    def summary(self) -> str:
        if self.keyboard_only:
            return f"{self.keys} key presses ({self.keys - self.typed} Tab/Enter/Space, {self.typed} characters typed)"
        parts = f"{self.taps} taps, {self.fills} fields typed ({self.chars} characters), {self.choices} choices"
        if self.keys:
            parts += f", {self.keys} keys"
        return f"{self.total} actions ({parts})" + (f" + {self.swipes} swipes" if self.touch else "")


def focused_matches(page, selector: str, wait_ms: int = 1000) -> bool:
    """Whether the focus is (or within ``wait_ms`` comes) on ``selector``: htmx moves it after settling."""
    try:
        page.wait_for_function(
            "(selector) => document.activeElement?.matches(selector) ?? false", arg=selector, timeout=wait_ms
        )
    except PlaywrightTimeoutError:
        return False
    return True


def focused(page) -> str:
    """The focused element, for messages."""
    return page.evaluate(
        "() => { const e = document.activeElement; if (!e || e === document.body) return 'nothing (body)';"
        " return e.outerHTML.slice(0, 120); }"
    )


# --- the application --------------------------------------------------------------------------


def pin_clock(time_machine, hour: int, minute: int = 0) -> None:
    """Today at ``hour`` in the application's time zone, the clock still ticking."""
    now = timezone.localtime()
    time_machine.move_to(now.replace(hour=hour, minute=minute, second=0, microsecond=0), tick=True)


def total_shown(page, count: int) -> None:
    """The outing page lists ``count`` contacts (the rows of its table), its live total updated with them."""
    expect(page.locator("#contact-entry tbody tr")).to_have_count(count)
    expect(page.locator("[data-testid=contact-total]")).to_be_visible()


def watch_navigations(page) -> list[str]:
    """The page loads from now on: document requests of the main frame, and a marker a load would erase.

    htmx requests are fetches, and the skip link's jump to #main stays in the document: neither counts.
    """
    loads: list[str] = []

    def on_request(request) -> None:
        if request.resource_type == "document" and request.frame == page.main_frame:
            loads.append(f"{request.method} {request.url}")

    page.on("request", on_request)
    page.evaluate("window.__sameDocument = 'still here'")
    return loads


def assert_no_reload(page, loads: list[str], what: str) -> None:
    assert loads == [], f"{what}: the page was loaded again ({loads})"
    assert page.evaluate("window.__sameDocument") == "still here", f"{what}: the page was loaded again"


def outing_id_of(page) -> int:
    match = re.fullmatch(r"/outreach/outings/(\d+)/", path_of(page))
    assert match, f"not an outing page: {page.url}"
    return int(match.group(1))


def outing_rows(outing_id: int) -> list[tuple]:
    with scopes_disabled():
        return list(
            Contact.objects.filter(outing_id=outing_id)
            .order_by("id")
            .values_list("headcount", "person_code", "first_contact", "gender", "age_band")
        )


def seed_history(network, user) -> Area:
    """The operator's last two outings; on the last one, in Sesto, the unit met Joy."""
    with scopes_disabled():
        sesto = Area.objects.create(code="SS", name="Sesto San Giovanni")
        today = timezone.localdate()
        common = {"programme": network.programme, "organisation": network.partner, "shift": "night", "created_by": user}
        Outing.objects.create(team="Unità Sud", date=today - timedelta(days=14), area=network.area, **common)
        last = Outing.objects.create(team="Unità Nord", date=today - timedelta(days=7), area=sesto, **common)
        Contact.objects.create(
            programme=network.programme,
            organisation=network.partner,
            channel="street",
            date=last.date,
            area=sesto,
            outing=last,
            person_code=code_from_facts(**JOY),
            first_contact=True,
            gender="woman",
            created_by=user,
        )
    return sesto


def start_outing(page, network, *, team: str = "Unità Nord") -> int:
    """Opens a new outing with the mouse (not measured); returns its id."""
    page.goto("/outreach/outings/new/")
    page.locator("input[name=team]").fill(team)
    page.locator("select[name=area]").select_option(str(network.area.pk))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    return outing_id_of(page)


# --- 1. ten contacts on a phone ---------------------------------------------------------------


@pytest.mark.parametrize("viewport", ["phone"])
def test_ten_contacts_on_a_phone_in_two_minutes(page, viewport, live_network, signed_in, time_machine):
    pin_clock(time_machine, 21, 30)  # a night outing
    user = signed_in("outreach", at="partner")
    sesto = seed_history(live_network, user)
    joy = code_from_facts(**JOY)
    card = code_from_facts(nickname="Stella", nationality="RO")  # the code on the card she shows
    act = Actions(page, touch=True)
    started = time.perf_counter()

    # From the home page: one tap on "New street outing".
    with page.expect_navigation():
        act.tap(page.locator("main [data-testid=home-new-outing]"))
    assert path_of(page) == "/outreach/outings/new/"

    # Second outing: today, night at 21:30, and the last outing's team and area, all prefilled.
    expect(page.locator("input[name=date]")).to_have_value(timezone.localdate().isoformat())
    expect(page.locator("input[name=shift][value=night]")).to_be_checked()
    expect(page.locator("input[name=team]")).to_have_value("Unità Nord")
    expect(page.locator("select[name=area]")).to_have_value(str(sesto.pk))
    with page.expect_navigation():
        act.tap(page.locator("main form button[type=submit]"))
    outing_id = outing_id_of(page)
    total_shown(page, 0)
    loads = watch_navigations(page)

    contact = page.locator("[data-testid=contact-form]")
    group = page.locator("[data-testid=headcount-form]")
    recorded = 0

    def save(form) -> None:
        nonlocal recorded
        act.tap(form.locator("button[type=submit]"))
        recorded += 1
        total_shown(page, recorded)

    # Six people one by one, a couple of fields each; one shows the card with her code.
    for code, gender, age_band in [
        ("", "woman", "21-23"),
        ("", "woman", "18-20"),
        ("", "trans_woman", "27-29"),
        (card, "woman", "24-26"),
        ("", "man", "30-38"),
        ("", "woman", "unknown"),
    ]:
        if code:
            act.fill(contact.locator("[name=person_code]"), code)
        act.tap(contact.locator(f"[name=gender][value={gender}] + label"))  # a row of buttons
        act.choose(contact.locator("[name=age_band]"), age_band)
        save(contact)

    # Joy, met again: her code from the facts she gives (htmx), then "Use this code".
    act.tap(page.locator("#contact-entry [data-testid=code-calculator] > summary"))
    facts = page.locator("[data-testid=facts-form]")
    act.fill(facts.locator("[name=given_name]"), JOY["given_name"])
    act.fill(facts.locator("[name=family_name]"), JOY["family_name"])
    act.fill(facts.locator("[name=mother_name]"), JOY["mother_name"])
    act.fill(facts.locator("[name=birth_year]"), str(JOY["birth_year"]))
    act.choose(facts.locator("[name=nationality]"), JOY["nationality"])
    act.tap(facts.locator(f"[name=gender][value={JOY['gender']}] + label"))
    act.tap(facts.locator("button[type=submit]"))
    computed = page.locator("[data-testid=computed-code]")
    expect(computed).to_contain_text(joy)
    expect(computed).to_contain_text(": 1,")  # "Contatti con il tuo ente: 1, il primo in data …"
    act.tap(computed.locator("button"))
    expect(contact.locator("[name=person_code]")).to_have_value(joy)
    # "Use this code" carries what the facts told: gender and nationality are not typed again.
    expect(contact.locator("[name=gender][value=woman]")).to_be_checked()
    expect(contact.locator("[name=nationality]")).to_have_value("NG")
    act.choose(contact.locator("[name=age_band]"), "27-29")
    save(contact)

    # Three anonymous groups: how many people, and who, for one of them.
    for headcount, gender in ((4, "woman"), (3, ""), (5, "")):
        act.fill(group.locator("[name=headcount]"), str(headcount))
        if gender:
            act.choose(group.locator("[name=gender]"), gender)
        save(group)

    elapsed = time.perf_counter() - started
    assert_no_reload(page, loads, "adding ten contacts")

    # The page and the database agree: ten rows; 7 people one by one and 12 in groups.
    total_shown(page, CONTACTS)
    # The counter says what it counts (issue #19): people, and how they were met; not records and people mixed.
    expect(page.locator("[data-testid=contact-total]")).to_have_text("19 persone incontrate: 7 da sole, 12 in 3 gruppi")
    expect(page.locator("#contact-entry tbody .badge")).to_have_count(1)  # "ripetuto": Joy
    people = page.locator("#contact-entry tbody tr td:first-child").all_inner_texts()
    assert sum(int(cell) for cell in people) == 19, people
    assert outing_rows(outing_id) == [
        (1, "", None, "woman", "21-23"),
        (1, "", None, "woman", "18-20"),
        (1, "", None, "trans_woman", "27-29"),
        (1, card, True, "woman", "24-26"),
        (1, "", None, "man", "30-38"),
        (1, "", None, "woman", "unknown"),
        (1, joy, False, "woman", "27-29"),  # the repeat contact
        (4, "", None, "woman", ""),
        (3, "", None, "", ""),
        (5, "", None, "", ""),
    ]

    line = f"PHONE OUTING: {CONTACTS} contacts, {act.summary()}, {elapsed:.1f} s"
    print(f"\n{line}\n  {' · '.join(act.log)}")
    assert elapsed < SECONDS, line
    assert act.total <= LIMIT, f"{line}: more than {LIMIT} actions ({ACTIONS_PER_CONTACT} a contact)"


# --- 2. the keyboard only ---------------------------------------------------------------------


def sign_in_with_the_keyboard(page, username: str) -> None:
    page.goto("/accounts/login/")
    keys = Actions(page, keyboard_only=True)
    keys.tab_to("input[name=username]")
    keys.type(username)
    keys.press("Tab")
    keys.type(PASSWORD)
    keys.press("Enter")
    wait_for_path(page, "/accounts/two-factor/")
    keys.tab_to("input[name=code]")
    keys.type(totp_code())
    keys.press("Enter")
    wait_for_path(page, "/")


@pytest.mark.parametrize("viewport", ["desktop"])
def test_an_outing_with_the_keyboard_only(page, viewport, live_network, make_user, time_machine):
    pin_clock(time_machine, 10, 15)  # a day outing
    user = make_user("outreach-partner", live_network.partner, "outreach", live_network.programme)
    joy = code_from_facts(**JOY)
    with scopes_disabled():  # another organisation of the network met Joy before
        Contact.objects.create(
            programme=live_network.programme,
            organisation=live_network.other,
            channel="street",
            date=timezone.localdate() - timedelta(days=30),
            person_code=joy,
            first_contact=True,
        )
    page.add_init_script(
        "window.__mouse = 0; for (const kind of ['mousedown', 'pointerdown', 'touchstart'])"
        " document.addEventListener(kind, () => window.__mouse++, true);"
    )
    sign_in_with_the_keyboard(page, user.username)
    act = Actions(page, keyboard_only=True)
    started = time.perf_counter()

    act.tab_to("[data-testid=main-menu] a[href='/outreach/']")
    with page.expect_navigation():
        act.press("Enter")
    act.skip_to_content()
    act.tab_to("main a[href='/outreach/outings/new/']")
    with page.expect_navigation():
        act.press("Enter")

    # A first outing: today, day at 10:15; no team nor area to reuse yet.
    expect(page.locator("input[name=date]")).to_have_value(timezone.localdate().isoformat())
    expect(page.locator("input[name=shift][value=day]")).to_be_checked()
    expect(page.locator("input[name=team]")).to_have_value("")
    expect(page.locator("select[name=area]")).to_have_value("")
    act.skip_to_content()
    act.tab_to("input[name=team]")
    act.type("Unità Est")
    act.press("Tab")
    act.type("Milano")  # type-ahead in the list
    expect(page.locator("select[name=area]")).to_have_value(str(live_network.area.pk))
    act.tab_to("main form button[type=submit]")
    with page.expect_navigation():
        act.press("Enter")
    outing_id = outing_id_of(page)
    loads = watch_navigations(page)
    setting_out = act.keys - act.typed

    # 1. A woman, 21–23, anonymous: two lists, then Space on "Save the contact". The outing page opens
    # at #main (the redirect keeps the fragment of the form's address): Tab goes on from there.
    act.tab_to("[data-testid=contact-form] [name=gender]")
    act.press("Space")  # the row of buttons: the focus is on its first, "Donna"
    act.press("Tab")
    act.type("21")
    act.tab_to("[data-testid=contact-form] button[type=submit]")
    act.press("Space")
    total_shown(page, 1)
    after_save = focused(page)

    # 2. Joy: the facts form (Space opens it), "Compute the code", "Use this code", Enter saves.
    act.skip_to_content()  # the focus went back to the top of the page (see the xfail below)
    act.tab_to("#contact-entry [data-testid=code-calculator] > summary")
    act.press("Space")
    act.press("Tab")
    for name in ("given_name", "family_name", "mother_name", "birth_year", "nationality", "gender"):
        assert focused_matches(page, f"[data-testid=facts-form] [name={name}]"), f"{name}: focus on {focused(page)}"
        if name == "gender":
            act.press("Space")  # the row of buttons: the focus is on its first, "Donna"
        else:
            act.type(JOY_TYPED[name])
        act.press("Tab")
    act.tab_to("[data-testid=facts-form] button[type=submit]")
    act.press("Enter")
    expect(page.locator("[data-testid=computed-code]")).to_contain_text(joy)
    expect(page.locator("[data-testid=computed-code]")).to_contain_text("nota alla rete")  # known to the network
    after_compute = focused(page)
    act.tab_to("[data-testid=computed-code] button", backwards=True)
    act.press("Enter")
    assert focused_matches(page, "[data-testid=contact-form] [name=person_code]"), focused(page)
    expect(page.locator("[data-testid=contact-form] [name=person_code]")).to_have_value(joy)
    act.press("Enter")  # in a text field, Enter sends its form
    total_shown(page, 2)

    # 3. A group of six: the number, Enter.
    act.tab_to("[data-testid=headcount-form] [name=headcount]")
    act.type("6")
    act.press("Enter")
    total_shown(page, 3)

    elapsed = time.perf_counter() - started
    assert_no_reload(page, loads, "adding contacts with the keyboard")
    assert page.evaluate("window.__mouse") == 0, "a mouse or touch event happened"
    assert outing_rows(outing_id) == [
        (1, "", None, "woman", "21-23"),
        (1, joy, False, "woman", ""),  # known to the network: a repeat contact; her gender from the facts
        (6, "", None, "", ""),
    ]
    line = (
        f"KEYBOARD OUTING: 3 contacts, {act.summary()} ({setting_out} Tab/Enter to set out), {elapsed:.1f} s;"
        f" focus after saving: {after_save}; after computing the code: {after_compute}"
    )
    print(f"\n{line}\n  {' · '.join(act.log)}")
    assert elapsed < SECONDS, line


# --- 3. accessibility at 360 px ---------------------------------------------------------------


@pytest.mark.parametrize("viewport", ["phone"])
def test_outing_form_and_page_are_accessible_on_a_phone(page, viewport, axe, live_network, signed_in):
    signed_in("outreach", at="partner")
    found = []

    page.goto("/outreach/outings/new/")
    found += blocking_violations(axe, page)  # the outing form

    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()  # no team, no area
    expect(page.locator("#id_team-error")).to_be_visible()
    found += blocking_violations(axe, page)  # the outing form with its errors

    start_outing(page, live_network)
    found += blocking_violations(axe, page)  # the outing page, no contacts

    page.locator("[data-testid=contact-form] [name=gender][value=woman] + label").click()
    page.locator("[data-testid=contact-form] button[type=submit]").click()
    total_shown(page, 1)
    page.locator("[data-testid=headcount-form] button[type=submit]").click()  # no headcount: an error
    expect(page.locator("[data-testid=headcount-form] [role=alert]")).to_be_visible()
    found += blocking_violations(axe, page)  # after htmx swaps, with a row and an error

    page.locator("#contact-entry [data-testid=code-calculator] > summary").click()
    facts = page.locator("[data-testid=facts-form]")
    for name, value in JOY.items():
        if name == "gender":
            facts.locator(f"[name=gender][value={value}] + label").click()
        elif name == "nationality":
            facts.locator(f"[name={name}]").select_option(value)
        else:
            facts.locator(f"[name={name}]").fill(str(value))
    facts.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=computed-code]")).to_be_visible()
    found += blocking_violations(axe, page)  # the facts form open, with the computed code

    if found:
        pytest.fail(f"{len(found)} critical/serious accessibility violation(s):\n" + "\n".join(found), pytrace=False)


# --- what the measures above found, fixed in the templates: kept as regression tests -------

# Fix: hx-swap="outerHTML show:top" on the three forms of _entry.html (after a save the block's top,
# with the total and the next form, is on screen; checked by rewriting the attribute in the browser).


@pytest.mark.parametrize("viewport", ["phone"])
def test_after_saving_the_next_contact_starts_on_screen(page, viewport, live_network, signed_in):
    signed_in("outreach", at="partner")
    start_outing(page, live_network)
    contact = page.locator("[data-testid=contact-form]")
    contact.locator("[name=gender][value=woman] + label").click()
    contact.locator("button[type=submit]").tap()
    total_shown(page, 1)
    page.wait_for_timeout(200)  # htmx settles

    on_screen = page.evaluate(
        "(el) => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; }",
        contact.locator("[name=person_code]").element_handle(),
    )
    assert on_screen, f"after saving, the page is scrolled to y={page.evaluate('scrollY')}: the form is off screen"


# Fix: `autofocus` on the first field of the re-rendered form after a save (htmx 2 focuses it) and
# on the "Use this code" button of _person_code.html (checked by rewriting the responses in the browser).
@pytest.mark.parametrize("viewport", ["desktop"])
def test_the_keyboard_focus_stays_in_the_entry(page, viewport, live_network, signed_in):
    signed_in("outreach", at="partner")
    start_outing(page, live_network)
    lost = []
    page.locator("[data-testid=contact-form] button[type=submit]").focus()
    page.keyboard.press("Enter")
    total_shown(page, 1)
    if not focused_matches(page, "[data-testid=contact-form] *"):
        lost.append(f"after saving a contact, the focus is on {focused(page)}")

    page.locator("#contact-entry [data-testid=code-calculator] > summary").focus()
    page.keyboard.press("Enter")
    page.locator("[data-testid=facts-form] [name=nickname]").fill("Stella")
    page.locator("[data-testid=facts-form] [name=nationality]").select_option("RO")
    page.locator("[data-testid=facts-form] button[type=submit]").focus()
    page.keyboard.press("Enter")
    expect(page.locator("[data-testid=computed-code]")).to_be_visible()
    if not focused_matches(page, "[data-testid=computed-code] button"):
        lost.append(f"after computing the code, the focus is on {focused(page)}")
    assert lost == [], "\n".join(lost)


# Fix: one auto_id per form (e.g. "facts_%s", "contact_%s", "group_%s"): the names, and so the views, stay.
@pytest.mark.parametrize("viewport", ["phone"])
def test_every_field_of_the_outing_page_is_named_by_its_own_label(page, viewport, live_network, signed_in):
    signed_in("outreach", at="partner")
    start_outing(page, live_network)
    problems = page.evaluate(
        """() => [...document.querySelectorAll('main input:not([type=hidden]), main select, main textarea')]
            .map((el) => {
              const form = el.closest('form')?.dataset.testid ?? '-';
              const labels = [...(el.labels ?? [])].filter((l) => l.closest('form') === el.closest('form'));
              const duplicates = document.querySelectorAll(`[id="${el.id}"]`).length;
              return labels.length === 1 && el.labels.length === 1 && duplicates === 1
                ? null : `${form} ${el.name}: id ${el.id} used ${duplicates}×, ${el.labels.length} label(s)`;
            })
            .filter(Boolean)"""
    )
    assert problems == [], "fields without their own label:\n" + "\n".join(problems)
