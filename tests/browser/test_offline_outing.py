"""A street unit's night with no signal (issue 16), in Chromium with the browser context set offline.

She signs in and opens her outing while she has signal; the van leaves coverage: the outing page and the referral
form open from the phone (the service worker of /outreach/), she records ten contacts (some with the person code's
facts), a group and a referral, which wait on the phone encrypted (IndexedDB holds no plaintext of them) and survive
a reload; back in coverage they are sent — the connection drops again in the middle of the sending, after the
server stored a batch whose answer never arrived — and every record is on the server once. The first batch
replayed as it was sent doubles nothing. A record the server refuses stays on the phone with the server's message.
"""

from __future__ import annotations

import datetime
import json
import re
import time

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.outreach.models import Contact, Outing, Referral, SyncKey
from approdi.outreach.models import OutingSite as Site
from approdi.people.person_code import code_from_facts

from .conftest import VIEWPORTS, blocking_violations, expect, path_of, sign_in

pytestmark = pytest.mark.browser

PEOPLE = [  # (given, family, mother, year, nationality, gender) for the contacts with a code; None: anonymous
    ("Blessing", "Okafor", "Ngozi", "1998", "NG", "woman"),
    ("Joy", "Osas", "", "1999", "NG", "woman"),
    ("Ioana", "Popescu", "Maria", "2001", "RO", "woman"),
    ("Đorđe", "Łukić", "Ana", "1995", "RS", "man"),
    ("Fatima", "El Amrani", "Aicha", "2000", "MA", "trans_woman"),
    None,
    None,
    None,
    None,
    None,
]
REFERRAL_NOTES = "Chiede aiuto per lasciare la strada, segnalata dalla stazione di notte"
MARKERS = ["Blessing", "Okafor", "v2|facts", "woman", REFERRAL_NOTES[:20], "person_part", "headcount", "kind"]

READ_STORE = """async () => {
  const db = await new Promise((resolve, reject) => {
    const req = indexedDB.open("approdi-offline");
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const all = (name) => new Promise((resolve) => {
    const req = db.transaction(name).objectStore(name).getAll();
    req.onsuccess = () => resolve(req.result);
  });
  const text = (value) => {
    if (value instanceof ArrayBuffer) value = new Uint8Array(value);
    if (ArrayBuffer.isView(value)) return new TextDecoder("latin1").decode(value) + new TextDecoder().decode(value);
    if (value && typeof value === "object") return Object.entries(value).map(([k, v]) => k + "=" + text(v)).join(";");
    return String(value);
  };
  const keys = await all("keys");
  const rows = await all("records");
  const outings = db.objectStoreNames.contains("outings") ? await all("outings") : [];
  db.close();
  return {
    rows: rows.length,
    states: rows.map((row) => row.state),
    outings: outings.length,
    dump: rows.concat(outings).map(text).join("\\n"),
    keys: keys.filter((k) => k instanceof CryptoKey).map((k) => ({
      type: k.constructor.name, extractable: k.extractable, algorithm: k.algorithm.name, usages: k.usages,
    })),
  };
}"""


@pytest.fixture
def phone(browser, live_server):
    """A phone's browser: service workers allowed (the shared ``page`` blocks them), Italian, 360 px wide."""
    context = browser.new_context(
        **VIEWPORTS["phone"], locale="it-IT", base_url=live_server.url, service_workers="allow"
    )
    context.set_default_timeout(15_000)
    expect.set_options(timeout=15_000)
    page = context.new_page()
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("dialog", lambda dialog: dialog.accept())
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, "the page's scripts failed:\n" + "\n".join(errors)
    assert not blocked, "the Content-Security-Policy blocked:\n" + "\n".join(blocked)


def open_outing_online(page, network, user, *, sites=()) -> Outing:
    with scopes_disabled():
        outing = Outing.objects.create(
            programme=network.programme,
            organisation=network.partner,
            team="Unità Nord",
            date=timezone.localdate(),
            shift="night",
            area=network.area,
            created_by=user,
        )
        for name in sites:
            Site.objects.create(outing=outing, name=name)
    sign_in(page, user.username)
    page.goto(f"/outreach/outings/{outing.pk}/")
    # The worker takes the page over, keeps it and its files, and the referral form the page names.
    until(page, "async () => Boolean(((await navigator.serviceWorker.getRegistration()) || {}).active)")
    page.reload()
    until(page, "() => navigator.serviceWorker.controller !== null")
    page.goto("/outreach/referrals/new/")
    page.goto(f"/outreach/outings/{outing.pk}/")
    until(
        page,
        """async (path) => {
          const cache = await caches.open("approdi-outreach-v1");
          return Boolean(await cache.match(path)) && Boolean(await cache.match("/outreach/referrals/new/"));
        }""",
        f"/outreach/outings/{outing.pk}/",
    )
    return outing


def until(page, script: str, arg=None, seconds: float = 15) -> None:
    """Polls a function in the page (``wait_for_function`` evaluates a string, which the CSP refuses)."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(script, arg):
        assert time.monotonic() < deadline, f"never true: {script}"
        time.sleep(0.2)


def waiting_text(page, count: int):
    summary = page.locator("[data-testid=offline-summary]")
    expect(summary).to_contain_text(re.compile(rf"\b{count} registrazion[ei] in attesa di invio"))


def record_contact(page, person) -> None:
    form = page.locator("[data-testid=contact-form]")
    if person is None:
        form.locator("label[for=contact_gender_0]").click()  # the first gender, tapped
    else:
        given, family, mother, year, nationality, gender = person
        calculator = page.locator("[data-testid=code-calculator]")
        if calculator.get_attribute("open") is None:
            calculator.locator("summary").click()
        facts = page.locator("[data-testid=facts-form]")
        facts.locator("[name=given_name]").fill(given)
        facts.locator("[name=family_name]").fill(family)
        facts.locator("[name=mother_name]").fill(mother)
        facts.locator("[name=birth_year]").fill(year)
        facts.locator("[name=nationality]").select_option(nationality)
        radio = facts.locator(f"[name=gender][value={gender}]").get_attribute("id")
        facts.locator(f"label[for={radio}]").click()
        facts.locator("button[type=submit]").click()
        expect(page.locator("[data-testid=offline-code]")).to_be_visible()
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=offline-summary]")).to_contain_text("Salvato sul telefono")


def on_the_server(outing: Outing) -> tuple[list[tuple], int]:
    with scopes_disabled():
        contacts = list(
            Contact.objects.filter(outing=outing).order_by("id").values_list("headcount", "person_code", "gender")
        )
        referrals = Referral.objects.filter(created_by=outing.created_by)  # notes are encrypted: read, not filtered
        return contacts, sum(1 for referral in referrals if referral.notes == REFERRAL_NOTES)


@pytest.mark.django_db(transaction=True)
def test_a_night_offline_reaches_the_server_once(phone, live_network, make_user):
    page = phone
    user = make_user("outreach-partner", live_network.partner, "outreach", live_network.programme)
    outing = open_outing_online(page, live_network, user)

    # Out of coverage: the page opens from the phone and says so.
    page.context.set_offline(True)
    page.reload()
    assert path_of(page) == f"/outreach/outings/{outing.pk}/"
    expect(page.locator("[data-testid=offline-summary]")).to_contain_text("Sei offline")

    for person in PEOPLE:
        record_contact(page, person)
    waiting_text(page, 10)
    group = page.locator("[data-testid=headcount-form]")
    group.locator("[name=headcount]").fill("4")
    group.locator("button[type=submit]").click()
    waiting_text(page, 11)

    page.goto("/outreach/referrals/new/")  # from the phone
    form = page.locator("form[data-offline-kind=referral]")
    form.locator("[name=source_type]").select_option(index=1)
    form.locator("[name=urgency]").select_option(index=1)
    form.locator("[name=notes]").fill(REFERRAL_NOTES)
    form.locator("button[type=submit]").click()
    waiting_text(page, 12)

    # The records survive a reload with no connection, and nothing of them is readable in the phone's storage.
    page.goto(f"/outreach/outings/{outing.pk}/")
    page.reload()
    waiting_text(page, 12)
    stored = page.evaluate(READ_STORE)
    assert stored["rows"] == 12
    assert stored["states"] == ["waiting"] * 12
    for marker in MARKERS:
        assert marker not in stored["dump"], f"{marker!r} is readable in IndexedDB"
    assert stored["keys"] == [
        {"type": "CryptoKey", "extractable": False, "algorithm": "AES-GCM", "usages": ["encrypt", "decrypt"]}
    ]
    assert on_the_server(outing) == ([], 0)

    # Back in coverage: the first batch reaches the server, but its answer is lost (the connection drops again).
    sent: list[str] = []

    def cut_after_the_first(route):
        sent.append(route.request.post_data)
        if len(sent) == 1:
            route.fetch()  # the server stores the batch...
            route.abort("internetdisconnected")  # ...and the phone never hears back
        else:
            route.continue_()

    page.route("**/outreach/sync/", cut_after_the_first)
    page.context.set_offline(False)
    expect(page.locator("[data-testid=offline-summary]")).to_contain_text("La connessione si è interrotta")
    contacts, referrals = on_the_server(outing)
    assert len(contacts) == 5 and referrals == 0  # the first batch of five, stored
    waiting_text(page, 12)  # the phone does not know: it keeps them all

    page.locator("[data-testid=offline-summary] button").click()  # "Send now"
    expect(page.locator("[data-testid=offline-summary]")).to_contain_text("registrazioni inviate")
    assert page.evaluate(READ_STORE)["rows"] == 0
    first_again = json.loads(sent[1])["records"]
    assert [r["key"] for r in first_again] == [r["key"] for r in json.loads(sent[0])["records"]]

    contacts, referrals = on_the_server(outing)
    assert len(contacts) == 11 and referrals == 1
    assert sorted(headcount for headcount, _code, _gender in contacts) == [1] * 10 + [4]
    expected_codes = {
        code_from_facts(
            given_name=p[0], family_name=p[1], mother_name=p[2], birth_year=p[3], nationality=p[4], gender=p[5]
        )
        for p in PEOPLE
        if p
    }
    assert {code for _h, code, _g in contacts if code} == expected_codes
    with scopes_disabled():
        assert SyncKey.objects.filter(actor=user).count() == 12

    # The first batch replayed as it was sent: every record already stored, nothing doubled.
    token = page.evaluate("JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRFToken']")
    replay = page.request.post(
        "/outreach/sync/", data=sent[0], headers={"Content-Type": "application/json", "X-CSRFToken": token}
    )
    assert replay.ok, replay.text()
    assert {r["status"] for r in replay.json()["results"]} == {"already_stored"}
    assert on_the_server(outing) == (contacts, 1)


@pytest.mark.django_db(transaction=True)
def test_a_refused_record_stays_on_the_phone_with_the_servers_message(phone, live_network, make_user, axe):
    page = phone
    user = make_user("outreach-partner", live_network.partner, "outreach", live_network.programme)
    outing = open_outing_online(page, live_network, user, sites=["Stazione Centrale", "Stazione Garibaldi"])
    page.context.set_offline(True)
    page.reload()
    form = page.locator("[data-testid=contact-form]")
    form.locator("[name=site]").select_option(label="Stazione Centrale")
    record_contact(page, None)
    expect(form.locator("[name=site]")).to_have_value(re.compile(r".+"))  # as online, the site stays for the next
    record_contact(page, None)
    form.locator("[name=site]").select_option("")
    record_contact(page, None)  # no site: this one is stored
    waiting_text(page, 3)

    with scopes_disabled():  # meanwhile, at the office, the site is renamed: the phone's name is unknown now
        Site.objects.filter(outing=outing, name="Stazione Centrale").update(name="Stazione Centrale FS")
    page.context.set_offline(False)
    refused = page.locator("[data-testid=refused-record]")
    expect(refused).to_have_count(2)
    expect(refused.first).to_contain_text("Stazione Centrale")  # the server's message names what it did not know
    expect(page.locator("[data-testid=offline-refused]")).to_contain_text("rifiutat")
    assert on_the_server(outing)[0] == [(1, "", "woman")]
    stored = page.evaluate(READ_STORE)
    assert stored["states"] == ["refused", "refused"]
    assert "Stazione" not in stored["dump"]

    assert not blocking_violations(axe, page), "the status box must be accessible"

    # They stay through a reload, until she corrects one (its answers back in the form) and discards the other.
    page.reload()
    expect(refused).to_have_count(2)
    refused.first.get_by_role("button", name="Correggi e invia di nuovo").click()
    expect(form.locator("[name=gender][value=woman]")).to_be_checked()
    form.locator("[name=site]").select_option(label="Stazione Garibaldi")
    form.locator("button[type=submit]").click()
    expect(refused).to_have_count(1)
    until(page, "async () => (await window.ApprodiOffline.rows()).length === 1")
    assert sorted(on_the_server(outing)[0]) == [(1, "", "woman")] * 2
    with scopes_disabled():
        assert Contact.objects.filter(outing=outing, site__name="Stazione Garibaldi").count() == 1
    refused.get_by_role("button", name="Scarta questa registrazione").click()  # the dialog is accepted
    expect(refused).to_have_count(0)
    assert page.evaluate(READ_STORE)["rows"] == 0


@pytest.mark.django_db(transaction=True)
def test_signing_out_empties_the_kept_pages_and_keeps_what_waits(phone, live_network, make_user):
    page = phone
    user = make_user("outreach-partner", live_network.partner, "outreach", live_network.programme)
    outing = open_outing_online(page, live_network, user)
    page.context.set_offline(True)
    page.reload()
    record_contact(page, None)
    page.route("**/outreach/sync/", lambda route: route.abort("internetdisconnected"))  # not sent before she leaves
    page.context.set_offline(False)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message))
    with page.expect_navigation():
        page.locator("form[data-sign-out]").evaluate("form => form.requestSubmit()")
    page.wait_for_url("**/accounts/login/**")
    assert dialogs and "1 registrazione" in dialogs[0]  # warned: one record not stored on the server
    until(page, "async () => (await caches.keys()).length === 0")
    until(page, "async () => (await navigator.serviceWorker.getRegistrations()).length === 0")
    assert page.evaluate(READ_STORE)["rows"] == 1  # the record waits, encrypted, for her next sign-in
    assert on_the_server(outing) == ([], 0)


# --- an outing opened with no signal, and the end time the server changed meanwhile ---------------------------

TEAM = "Unità Sud notturna"
NOTES = "Notte fredda, due ragazze nuove alla stazione"


def keep_the_app(page) -> None:
    """The worker takes the page over and keeps the pages the app names (the new outing, the phone's outing)."""
    until(page, "async () => Boolean(((await navigator.serviceWorker.getRegistration()) || {}).active)")
    page.reload()
    until(page, "() => navigator.serviceWorker.controller !== null")
    until(
        page,
        """async () => {
          const cache = await caches.open("approdi-outreach-v1");
          return Boolean(await cache.match("/outreach/outings/new/"))
            && Boolean(await cache.match("/outreach/outings/offline/"))
            && Boolean(await cache.match("/outreach/referrals/new/"));
        }""",
    )


@pytest.mark.django_db(transaction=True)
def test_an_outing_opened_offline_reaches_the_server_once_with_all_it_holds(phone, live_network, make_user, axe):
    page = phone
    user = make_user("outreach-partner", live_network.partner, "outreach", live_network.programme)
    sign_in(page, user.username)
    page.goto("/outreach/outings/new/")
    keep_the_app(page)

    # No signal: the new outing form opens from the phone, and the outing is kept there.
    page.context.set_offline(True)
    page.reload()
    form = page.locator("[data-testid=outing-form]")
    form.locator("[name=team]").fill(TEAM)
    form.locator("label[for=id_shift_1]").click()
    form.locator("[name=area]").select_option(str(live_network.area.pk))
    form.locator("[name=start_time]").fill("21:00")
    form.locator("[name=sites]").fill("Viale Monza: 3")
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/outreach/outings/offline/#*")
    expect(page.locator("[data-testid=offline-outing-title]")).to_contain_text(TEAM)
    waiting_text(page, 1)

    site = page.locator("[data-testid=site-form]")
    site.locator("[name=name]").fill("Via Padova")
    site.locator("[name=people_seen]").fill("2")
    site.locator("button[type=submit]").click()
    waiting_text(page, 2)
    page.locator("[data-testid=contact-form] [name=site]").select_option(label="Via Padova")
    for person in PEOPLE:
        record_contact(page, person)
    group = page.locator("[data-testid=headcount-form]")
    group.locator("[name=headcount]").fill("4")
    group.locator("[name=site]").select_option(label="Viale Monza")
    group.locator("button[type=submit]").click()
    waiting_text(page, 13)
    end = page.locator("[data-testid=end-form]")
    end.locator("[name=end_time]").fill("02:30")
    end.locator("[name=notes]").fill(NOTES)
    end.locator("button[type=submit]").click()
    waiting_text(page, 14)
    outing_page = page.url

    page.goto("/outreach/referrals/new/")
    referral = page.locator("form[data-offline-kind=referral]")
    referral.locator("[name=source_type]").select_option(index=1)
    referral.locator("[name=urgency]").select_option(index=1)
    referral.locator("[name=notes]").fill(REFERRAL_NOTES)
    referral.locator("button[type=submit]").click()
    waiting_text(page, 15)

    # A reload with no signal: the outing's page opens from the phone with what she set; nothing is readable.
    page.goto(outing_page)
    page.reload()
    waiting_text(page, 15)
    expect(page.locator("[data-testid=offline-outing-title]")).to_contain_text(TEAM)
    expect(page.locator("[data-testid=end-form] [name=end_time]")).to_have_value("02:30")
    expect(page.locator("[data-testid=end-form] [name=notes]")).to_have_value(NOTES)
    assert not blocking_violations(axe, page), "the phone's outing page must be accessible"
    stored = page.evaluate(READ_STORE)
    assert stored["rows"] == 15 and stored["outings"] == 1
    for marker in [*MARKERS, TEAM, NOTES[:12], "Via Padova", "Viale Monza", "outing_key", "02:30"]:
        assert marker not in stored["dump"], f"{marker!r} is readable in IndexedDB"
    with scopes_disabled():
        assert not Outing.objects.filter(created_by=user).exists()

    # Back in coverage: sent in order, the outing first; every record once, on the one new outing.
    sent: list[str] = []

    def record(route):
        sent.append(route.request.post_data)
        route.continue_()

    page.route("**/outreach/sync/", record)
    page.context.set_offline(False)
    expect(page.locator("[data-testid=offline-summary]")).to_contain_text("registrazioni inviate")
    until(page, "async () => (await window.ApprodiOffline.rows()).length === 0")
    assert json.loads(sent[0])["records"][0]["kind"] == "outing"

    def server() -> tuple:
        with scopes_disabled():
            outing = Outing.objects.get(created_by=user)
            sites = sorted(outing.sites.values_list("name", "people_seen"))
            contacts = sorted(
                Contact.objects.filter(created_by=user).values_list("outing_id", "headcount", "site__name")
            )
            return outing, sites, contacts, on_the_server(outing)[1], SyncKey.objects.filter(actor=user).count()

    outing, sites, contacts, referrals, keys = server()
    assert (outing.team, outing.end_time.isoformat(timespec="minutes"), outing.notes) == (TEAM, "02:30", NOTES)
    assert sites == [("Via Padova", 2), ("Viale Monza", 3)]
    assert contacts == sorted([(outing.pk, 1, "Via Padova")] * 10 + [(outing.pk, 4, "Viale Monza")])
    assert (referrals, keys) == (1, 15)

    # Every batch replayed as it was sent: already stored, nothing doubled.
    token = page.evaluate("JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRFToken']")
    for body in sent:
        replay = page.request.post(
            "/outreach/sync/", data=body, headers={"Content-Type": "application/json", "X-CSRFToken": token}
        )
        assert {r["status"] for r in replay.json()["results"]} == {"already_stored"}
    assert server()[1:] == (sites, contacts, referrals, keys)

    # Online, the phone's page of the outing opens the server's.
    assert page.url == outing_page
    page.reload()
    page.wait_for_url(f"**/outreach/outings/{outing.pk}/")


@pytest.mark.django_db(transaction=True)
def test_an_end_time_changed_on_the_server_meanwhile_keeps_the_servers_and_shows_both(phone, live_network, make_user):
    page = phone
    user = make_user("outreach-partner", live_network.partner, "outreach", live_network.programme)
    outing = open_outing_online(page, live_network, user)
    page.context.set_offline(True)
    page.reload()
    end = page.locator("[data-testid=end-form]")
    end.locator("[name=end_time]").fill("02:00")
    end.locator("button[type=submit]").click()
    waiting_text(page, 1)

    with scopes_disabled():  # meanwhile, at the office, a colleague sets the end from the van's log
        Outing.objects.filter(pk=outing.pk).update(end_time=datetime.time(1, 15))
    page.context.set_offline(False)
    changed = page.locator("[data-testid=changed-record]")
    expect(changed).to_have_count(1)
    expect(changed).to_contain_text("02:00")
    expect(changed).to_contain_text("01:15")
    with scopes_disabled():
        assert Outing.objects.get(pk=outing.pk).end_time == datetime.time(1, 15)
    stored = page.evaluate(READ_STORE)
    assert stored["states"] == ["changed"] and "01:15" not in stored["dump"] and "02:00" not in stored["dump"]

    # It stays through a reload until she has read it.
    page.reload()
    expect(changed).to_have_count(1)
    changed.locator("button").click()
    expect(changed).to_have_count(0)
    assert page.evaluate(READ_STORE)["rows"] == 0


# --- a refused outing made on the phone, corrected; a site waiting on the phone after an online save -----------


@pytest.mark.django_db(transaction=True)
def test_a_refused_outing_made_on_the_phone_is_corrected_and_sent_with_its_records(phone, live_network, make_user):
    page = phone
    user = make_user("outreach-partner", live_network.partner, "outreach", live_network.programme)
    sign_in(page, user.username)
    page.goto("/outreach/outings/new/")
    keep_the_app(page)

    # No signal: a date before the programme began (the phone does not know the programme's dates), two contacts.
    page.context.set_offline(True)
    page.reload()
    wrong = live_network.programme.start - datetime.timedelta(days=1)
    form = page.locator("[data-testid=outing-form]")
    form.locator("[name=date]").fill(wrong.isoformat())
    form.locator("[name=team]").fill(TEAM)
    form.locator("label[for=id_shift_1]").click()
    form.locator("[name=area]").select_option(str(live_network.area.pk))
    form.locator("[name=start_time]").fill("21:00")
    form.locator("[name=sites]").fill("Viale Monza: 3")
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/outreach/outings/offline/#*")
    record_contact(page, PEOPLE[0])
    record_contact(page, None)
    waiting_text(page, 3)

    sent: list[dict] = []

    def record(route):
        sent.append(json.loads(route.request.post_data))
        route.continue_()

    page.route("**/outreach/sync/", record)
    page.context.set_offline(False)
    refused = page.locator("[data-testid=refused-record]")
    expect(refused).to_have_count(3)
    expect(refused.first).to_contain_text("è fuori da")  # the server's message: the date is outside the programme
    expect(refused.nth(1)).to_contain_text("quando l'uscita sarà corretta")  # not hers to correct: it waits
    expect(refused.nth(1).get_by_role("button", name="Correggi e invia di nuovo")).to_have_count(0)
    with scopes_disabled():
        assert not Outing.objects.filter(created_by=user).exists()
        assert not SyncKey.objects.filter(actor=user).exists()

    # It stays through a reload; she corrects the outing in its form, filled with what she wrote.
    page.reload()
    expect(refused).to_have_count(3)
    refused.first.get_by_role("button", name="Correggi e invia di nuovo").click()
    page.wait_for_url("**/outreach/outings/new/#correct=*")
    form = page.locator("[data-testid=outing-form]")
    expect(form.locator("[name=team]")).to_have_value(TEAM)
    expect(form.locator("[name=date]")).to_have_value(wrong.isoformat())
    expect(form.locator("[name=area]")).to_have_value(str(live_network.area.pk))
    expect(form.locator("[name=start_time]")).to_have_value("21:00")
    expect(form.locator("[name=sites]")).to_have_value("Viale Monza: 3")
    expect(form.locator("#id_shift_1")).to_be_checked()
    expect(form.locator("[data-offline-error]")).to_contain_text("è fuori da")
    form.locator("[name=date]").fill(timezone.localdate().isoformat())
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/outreach/outings/offline/#*")
    until(page, "async () => (await window.ApprodiOffline.rows()).length === 0")

    # Everything on the server once, on the corrected outing; the contacts were not entered again.
    with scopes_disabled():
        outing = Outing.objects.get(created_by=user)
        assert (outing.team, outing.date) == (TEAM, timezone.localdate())
        assert list(outing.sites.values_list("name", "people_seen")) == [("Viale Monza", 3)]
        contacts = list(Contact.objects.filter(created_by=user).values_list("outing_id", "person_code"))
        assert len(contacts) == 2 and {outing_id for outing_id, _code in contacts} == {outing.pk}
        assert SyncKey.objects.filter(actor=user).count() == 3
    first = [r["key"] for r in sent[0]["records"]]
    again = [r["key"] for batch in sent[1:] for r in batch["records"]]
    assert again == first  # the same records, in the same order, under the same keys: the outing first
    assert sent[-1]["records"][0]["date"] == timezone.localdate().isoformat()


@pytest.mark.django_db(transaction=True)
def test_a_site_waiting_on_the_phone_stays_offered_after_an_online_save(phone, live_network, make_user):
    page = phone
    user = make_user("outreach-partner", live_network.partner, "outreach", live_network.programme)
    outing = open_outing_online(page, live_network, user, sites=["Stazione Centrale"])
    page.route("**/outreach/sync/", lambda route: route.abort("internetdisconnected"))  # the site waits on the phone
    site = page.locator("[data-testid=site-form]")
    site.locator("[name=name]").fill("Via Padova")
    site.locator("[name=people_seen]").fill("2")
    site.locator("button[type=submit]").click()
    waiting_text(page, 1)
    contact = page.locator("[data-testid=contact-form]")
    expect(contact.locator("[name=site] option", has_text="Via Padova")).to_have_count(1)

    # A contact saved online: htmx puts back the server's forms, which do not know the waiting site.
    contact.locator("[name=site]").select_option(label="Stazione Centrale")
    contact.locator("label[for=contact_gender_0]").click()
    contact.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=contact-total]")).to_contain_text("1 ")
    expect(contact.locator("[name=site] option", has_text="Via Padova")).to_have_count(1)
    expect(page.locator("[data-testid=headcount-form] [name=site] option", has_text="Via Padova")).to_have_count(1)

    # A contact at the waiting site goes through the queue, after the site.
    contact.locator("[name=site]").select_option(label="Via Padova")
    contact.locator("label[for=contact_gender_0]").click()
    contact.locator("button[type=submit]").click()
    waiting_text(page, 2)
    expect(page.locator("[data-testid=offline-summary]")).to_contain_text("La connessione si è interrotta")
    page.unroute("**/outreach/sync/")
    page.locator("[data-testid=offline-summary] button").click()  # "Send now"
    until(page, "async () => (await window.ApprodiOffline.rows()).length === 0")
    with scopes_disabled():
        assert sorted(Contact.objects.filter(outing=outing).values_list("site__name", flat=True)) == [
            "Stazione Centrale",
            "Via Padova",
        ]
