"""Issue 6, done when: a case worker follows a person from her first interview through an Italian course
and an internship to a permit converted for work and a closed case with outcome "autonomy", in the
browser, and every service delivered is counted.

What precedes the case worker is set up with the services (tests/builders/case_path.py): the programme's
list of services, the person with her consent, the Ufficio Filtro's decision for territorial case
management, the case assigned to the case worker and a legal advisor on the team. The path began 300 days
ago; the case worker records it now, with its real past dates, on a desktop and on a 360 px phone:

1. she finds the case from the Cases menu (and My work), records the first interview as a service delivered,
   adds a goal and an action to the individual plan;
2. records the Italian course (CPIA, A2), then its end, attendance and certificate; an internship; services
   (Italian lessons by the hour, one of them 7.5 hours; job-search support);
3. applies for an art. 18 permit and records its issue; My work warns her that it expires in 20 days; she
   converts it for work (the application, then the issue);
4. closes the case with outcome "autonomy": the exit record is written;
5. every service is counted: the case's totals (units × unit cost) equal what she entered, on the case page
   and on its services page, and the coordinator's services-per-partner report (/reports/services/)
   counts them for the case worker's organisation.

A second test records a service with the keyboard only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import formats, timezone, translation
from django_scopes import scopes_disabled

from approdi.cases.forms.delivery import service_type_label
from approdi.cases.models import Activity, Case, IntegrationKind, Outcome, Permit, ServiceDelivery
from approdi.cases.templatetags.case_paths import quantity_of
from approdi.people.models import ProgrammeRecord
from tests.builders.case_path import build_case_path

from .conftest import expect, open_menu, path_of, sign_in

pytestmark = pytest.mark.browser


# --- what the case worker enters ------------------------------------------------------------------


@dataclass(frozen=True)
class Given:
    """A service delivered, as the case worker enters it."""

    code: str  # the service type
    day: int  # day of the path
    quantity: str  # as typed
    minutes: str = ""

    @property
    def units(self) -> Decimal:
        return Decimal(self.quantity)


FIRST_INTERVIEW = Given("colloquio", 0, "1", "60")
LATER_SERVICES = [
    Given("lezione-italiano", 30, "10"),
    Given("lezione-italiano", 90, "7.5"),  # part of a unit: 7.5 hours
    Given("ricerca-lavoro", 200, "2", "90"),
    Given("colloquio", 250, "1", "45"),
]
ALL_SERVICES = [FIRST_INTERVIEW, *LATER_SERVICES]


# --- helpers ----------------------------------------------------------------------------------------


def italian(text) -> str:
    """A source string (or lazy label) as the Italian catalogue says it today."""
    with translation.override("it"):
        return str(translation.gettext(text) if isinstance(text, str) else text)


def euro(value: Decimal, *, grouping: bool = False) -> str:
    """An amount as the pages write it in Italian: 473,75 (``floatformat:2``), 1.473,75 (``floatformat:"2g"``)."""
    with translation.override("it"):
        return formats.number_format(value, 2, use_l10n=True, force_grouping=grouping)


def words(text: str) -> str:
    return " ".join(text.split())


def click_and_wait(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def send(page, form) -> None:
    """Presses the submit button of ``form`` and waits for the next page."""
    click_and_wait(page, form.locator("button[type=submit]"))


def main_form(page):
    return page.locator("main form[method=post]")


def link(scope, text, detail: str = ""):
    """A link by its words; ``detail`` is what a visually hidden part adds for screen readers ("Update: …").

    Chromium puts a space before a visually hidden part (it is positioned out of the flow): "Update : …".
    """
    if detail:
        text = re.compile(rf"^{re.escape(text)}\s*:\s*{re.escape(detail)}$")
    return scope.get_by_role("link", name=text)


def saved(page, message: str) -> None:
    """The page the form went back to says it was saved, and no form error is shown."""
    expect(page.locator("main .alert-success").filter(has_text=italian(message))).to_be_visible()
    expect(page.locator("main .invalid-feedback")).to_have_count(0)


def back_on_case(page, case, anchor: str) -> None:
    page.wait_for_url(re.compile(rf"/cases/{case.pk}/(#{anchor})?$"))
    settle(page)


def settle(page) -> None:
    """Waits for the smooth scroll to the page's #section to end (Bootstrap scrolls smoothly, over a second
    on a long phone page): a tap during the scroll would land on whatever passes under the finger."""
    last = None
    for _ in range(40):
        now = page.evaluate("window.scrollY")
        if now == last:
            return
        last = now
        page.wait_for_timeout(100)


def fits_the_screen(page) -> None:
    """No sideways scrolling of the whole page (WCAG 1.4.10): wide tables scroll inside their own region.

    A phone zooms a page that is wider than the screen out to its width: everything gets small."""
    wide, screen = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    width = page.viewport_size["width"]
    if wide <= width and screen == width:
        return
    culprits = page.evaluate(OUTSIDE_THE_SCREEN, width)
    pytest.fail(
        f"{path_of(page)} is {wide} px wide on a {width} px screen (shown {screen} px wide); sticking out:\n  "
        + "\n  ".join(culprits),
        pytrace=False,
    )


# The outermost elements whose right edge passes the screen's, leaving out those that scroll inside a
# region of their own (an ancestor that clips or scrolls, and is the containing block of absolute ones).
OUTSIDE_THE_SCREEN = """(width) => {
  const contained = (el) => {
    let absolute = getComputedStyle(el).position === "absolute";
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const style = getComputedStyle(up);
      if (absolute && style.position === "static") continue;
      absolute = false;
      if (style.overflowX !== "visible") return true;
    }
    return false;
  };
  const found = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.right <= width + 0.5 || box.width === 0) continue;
    if (found.some((outer) => outer.contains(el)) || contained(el)) continue;
    found.push(el);
  }
  return found.slice(0, 10).map(
    (el) => `${el.outerHTML.slice(0, 160)} (right edge ${Math.round(el.getBoundingClientRect().right)} px)`
  );
}"""


def sign_out(page) -> None:
    if page.locator("form[action='/accounts/logout/']").count() == 0:
        page.goto("/")
    send(page, page.locator("form[action='/accounts/logout/']"))


def go_to_menu(page, viewport: str, text: str) -> None:
    menu = open_menu(page, viewport)
    click_and_wait(page, menu.get_by_role("link", name=italian(text), exact=True))


def open_case_from_menu(page, viewport: str, case) -> None:
    go_to_menu(page, viewport, "Cases")
    row = page.locator("tr[data-testid=case-row]").filter(has_text=case.person.code)
    expect(row).to_have_count(1)
    click_and_wait(page, link(row, case.person.code))
    assert path_of(page) == f"/cases/{case.pk}/"
    expect(page.locator("main h1")).to_contain_text(case.person.code)


def record_service(page, world, given: Given) -> None:
    """From the case page: "Record a service", the form, back to the case's services."""
    section = page.locator("section#services")
    click_and_wait(page, link(section, italian("Record a service")))
    service_type = world.types[given.code]
    form = main_form(page)
    with translation.override("it"):
        label = service_type_label(service_type)
    assert f"{euro(service_type.unit_cost)}" in label, "the list shows each service's unit cost"
    form.locator("[name=service_type]").select_option(label=label)
    form.locator("[name=day]").fill(world.day(given.day).isoformat())
    form.locator("[name=quantity]").fill(given.quantity)
    form.locator("[name=duration_minutes]").fill(given.minutes)
    fits_the_screen(page)
    send(page, form)
    back_on_case(page, world.case, "services")
    saved(page, "Service recorded.")


def service_totals(page) -> tuple[dict[str, tuple[str, str, str]], str]:
    """The case's totals table: {service: (times, units, amount)}, and the grand total."""
    table = page.locator("table[data-testid=service-totals]")
    expect(table).to_be_visible()
    rows = {}
    for row in table.locator("tbody tr").all():
        name = words(row.locator("th").inner_text())
        cells = [words(text) for text in row.locator("td").all_inner_texts()]
        rows[name] = tuple(cells)
    total = words(table.locator("tfoot td").inner_text())
    return rows, total


def expected_totals(world) -> tuple[dict[str, tuple[str, str, str]], Decimal]:
    rows: dict[str, list] = {}
    for given in ALL_SERVICES:
        service_type = world.types[given.code]
        row = rows.setdefault(service_type.name, [0, Decimal(0), Decimal(0), service_type])
        row[0] += 1
        row[1] += given.units
        row[2] += given.units * service_type.unit_cost
    shown = {}
    for name, (times, units, amount, service_type) in rows.items():
        with translation.override("it"):
            unit_words = quantity_of(units, service_type.unit)  # "2 ore": the unit's plural, not its name
        shown[name] = (str(times), unit_words, euro(amount))
    total = sum((given.units * world.types[given.code].unit_cost for given in ALL_SERVICES), Decimal(0))
    return shown, total


def units_shown(units: Decimal) -> str:
    with translation.override("it"):
        if units == units.to_integral_value():
            return formats.number_format(units.quantize(Decimal(1)), 0, use_l10n=True)
        return formats.number_format(units.normalize(), use_l10n=True)


def record_activity(page, world, kind: str, fields: dict[str, str], selects: dict[str, str]) -> None:
    """From the case page: "Record an activity", the kind (its fields come through htmx), the fields."""
    section = page.locator("section#integration")
    click_and_wait(page, link(section, italian("Record an activity")))
    tick(page, page.get_by_label(italian(IntegrationKind(kind).label), exact=True))
    form = page.locator("#activity-fields form[method=post]")
    expect(form).to_be_visible()  # swapped in by htmx, without a reload
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    for name, label in selects.items():
        form.locator(f"[name={name}]").select_option(label=label)
    send(page, form)
    back_on_case(page, world.case, "integration")
    saved(page, "Activity recorded.")


def tick(page, box) -> None:
    """Ticks a radio button or checkbox on its label, as a person does: Bootstrap Italia draws the box there."""
    page.locator(f"label[for='{box.get_attribute('id')}']").click()
    expect(box).to_be_checked()


def fill(form, values: dict[str, str]) -> None:
    for name, value in values.items():
        form.locator(f"[name={name}]").fill(value)


# --- the world ----------------------------------------------------------------------------------------


@pytest.fixture
def world(live_network, make_user):
    return build_case_path(live_network, make_user)


# --- 1-5. the path, on a desktop and on a phone ----------------------------------------------------------


def test_a_case_worker_follows_a_person_to_autonomy_and_every_service_is_counted(page, viewport, world):
    case, code, day = world.case, world.case.person.code, world.day
    today = timezone.localdate()

    # --- She signs in and finds the case: the Cases menu, My work, the case page (the code, never a name).
    sign_in(page, world.worker.username)
    go_to_menu(page, viewport, "Cases")
    click_and_wait(page, link(page.locator("main"), italian("My work: today, deadlines, transfers to answer")))
    assert path_of(page) == "/cases/my-work/"
    open_case_from_menu(page, viewport, case)
    expect(page.locator("[data-testid=case-manager]")).to_have_text("Sara Bianchi")
    expect(page.locator("[data-testid=case-status]")).to_have_text(italian(Case.Status.ACTIVE.label))
    expect(page.locator("main")).not_to_contain_text("Osagie")
    team = page.locator("table[data-testid=team]")
    expect(team.locator("tr").filter(has_text="Luca Neri")).to_contain_text(italian("Legal advisor"))

    # --- 1. The first interview, as a service delivered.
    record_service(page, world, FIRST_INTERVIEW)

    # The individual plan: a goal, and an action with its owner and due date.
    plan = page.locator("section#plan")
    click_and_wait(page, link(plan, italian("Add a goal")))
    form = main_form(page)
    form.locator("[name=domain]").select_option(label=italian("Language"))
    form.locator("[name=description]").fill("Parlare italiano per lavorare")
    send(page, form)
    back_on_case(page, case, "plan")
    saved(page, "Goal added to the plan.")
    goal = page.locator("[data-testid=goal]").filter(has_text="Parlare italiano per lavorare")
    click_and_wait(page, link(goal, italian("Add an action"), "Parlare italiano per lavorare"))
    form = main_form(page)
    expect(form.locator("[name=owner]")).to_have_value(str(world.worker.pk))  # herself, by default
    fill(form, {"description": "Iscrizione al corso A2 del CPIA", "due": day(10).isoformat()})
    send(page, form)
    saved(page, "Action added.")
    expect(page.locator("[data-testid=action]")).to_contain_text("Iscrizione al corso A2 del CPIA")

    # --- 2. The Italian course (CPIA, A2), the lessons, the course's end with its certificate.
    record_activity(
        page,
        world,
        "italian_course",
        {"provider": "CPIA 5 Milano", "start": day(14).isoformat(), "hours": "120"},
        {"level": "A2"},
    )
    goal = page.locator("[data-testid=goal]").filter(has_text="Parlare italiano per lavorare")
    click_and_wait(page, goal.get_by_role("button", name=re.compile(re.escape(italian("Mark as done")))))
    saved(page, "Action marked as done.")
    with translation.override("it"):
        done = translation.gettext("done on %(date)s") % {"date": formats.date_format(today, "SHORT_DATE_FORMAT")}
    expect(page.locator("[data-testid=action]")).to_contain_text(done)
    for given in LATER_SERVICES[:2]:
        record_service(page, world, given)

    course = page.locator("[data-testid=activity]").filter(has_text="CPIA 5 Milano")
    click_and_wait(page, course.get_by_role("link"))
    form = main_form(page)
    fill(
        form,
        {"end": day(120).isoformat(), "attendance_percent": "88", "certificate": "Certificazione CILS A2"},
    )
    tick(page, form.locator("[name=completed]"))
    send(page, form)
    back_on_case(page, case, "integration")
    saved(page, "Activity updated.")
    course = page.locator("[data-testid=activity]").filter(has_text="CPIA 5 Milano")
    expect(course).to_contain_text(italian("completed"))
    expect(course).to_contain_text("Certificazione CILS A2")
    expect(course).to_contain_text("88%")
    expect(course).to_contain_text("A2")

    # The internship, then job-search support.
    record_activity(
        page,
        world,
        "internship",
        {
            "provider": "Trattoria Da Gino srl",
            "sector": "Ristorazione",
            "start": day(130).isoformat(),
            "end": day(220).isoformat(),
            "hours_per_week": "30",
            "monthly_allowance": "500",
            "paid_by": "Regione Lombardia (Dote Unica Lavoro)",
        },
        {},
    )
    internship = page.locator("[data-testid=activity]").filter(has_text="Trattoria Da Gino srl")
    expect(internship).to_contain_text(italian("Internship"))
    expect(internship).to_contain_text("€ 500,00")
    for given in LATER_SERVICES[2:]:
        record_service(page, world, given)

    # --- 3. The art. 18 permit: applied for, issued; it expires in 20 days.
    legal = page.locator("section#legal")
    click_and_wait(page, link(legal, italian("Apply for a permit")))
    form = main_form(page)
    form.locator("[name=type]").select_option(label=italian("Art. 18 – social path"))
    fill(form, {"application_date": day(3).isoformat(), "questura": "Questura di Milano"})
    send(page, form)
    back_on_case(page, case, "legal")
    saved(page, "Permit application recorded.")
    permits = page.locator("table[data-testid=permits]")
    click_and_wait(page, link(permits, italian("Record the issue"), italian("Art. 18 – social path")))
    expiry = today + timedelta(days=20)
    fill(main_form(page), {"issue_date": day(35).isoformat(), "expiry": expiry.isoformat()})
    send(page, main_form(page))
    saved(page, "Permit issued.")

    # My work warns her; she converts the permit for work.
    page.goto("/")
    click_and_wait(page, link(page.locator("main"), italian("Open My work")))
    deadlines = page.locator("table[data-testid=deadlines]")
    expect(deadlines.locator("tr").filter(has_text=code)).to_contain_text(italian("Permit expiry"))
    expect(deadlines.locator("tr").filter(has_text=code)).to_contain_text(italian("Within 30 days"))
    click_and_wait(page, link(deadlines, code))
    permits = page.locator("table[data-testid=permits]")
    click_and_wait(page, link(permits, italian("Renew or convert"), italian("Art. 18 – social path")))
    form = main_form(page)
    expect(form.locator("[name=questura]")).to_have_value("Questura di Milano")
    form.locator("[name=type]").select_option(value="work")
    form.locator("[name=application_date]").fill(day(280).isoformat())
    send(page, form)
    back_on_case(page, case, "legal")
    saved(page, "Conversion applied for.")
    permits = page.locator("table[data-testid=permits]")
    click_and_wait(page, link(permits, italian("Record the issue"), italian("Work")))
    work_expiry = day(295) + timedelta(days=730)
    fill(main_form(page), {"issue_date": day(295).isoformat(), "expiry": work_expiry.isoformat()})
    send(page, main_form(page))
    saved(page, "Permit issued.")
    work_row = permits.locator("tbody tr").filter(has_text=italian("Conversion"))
    expect(work_row.locator("th")).to_contain_text(italian("Work"))
    expect(work_row).to_contain_text(italian(Permit.Status.ISSUED.label))
    art18_row = permits.locator("tbody tr").filter(has_text=italian("Art. 18 – social path"))
    expect(art18_row).to_contain_text(italian(Permit.Status.CONVERTED.label))
    page.goto("/cases/my-work/")
    expect(page.locator("table[data-testid=deadlines]")).not_to_contain_text(code)  # converted: nothing due

    # The permit timeline shows the conversion.
    page.goto(f"/cases/{case.pk}/#legal")
    click_and_wait(page, link(page.locator("section#legal"), italian("Timeline of the person's permits")))
    timeline = page.locator("[data-testid=permit-timeline] > li")
    expect(timeline).to_have_count(2)
    expect(timeline.nth(0).locator("h2")).to_contain_text(italian("Art. 18 – social path"))
    expect(timeline.nth(0).locator("h2")).to_contain_text(italian(Permit.Status.CONVERTED.label))
    expect(timeline.nth(1).locator("h2")).to_contain_text(italian("Work"))
    expect(timeline.nth(1).locator("h2")).to_contain_text(italian(Permit.Status.ISSUED.label))
    with translation.override("it"):
        conversion = translation.gettext("Conversion of the permit “%(type)s”") % {
            "type": translation.gettext("Art. 18 – social path")
        }
    expect(timeline.nth(1)).to_contain_text(conversion)

    # --- 5 (before closing). Every service is counted on the case page and on its services page.
    page.goto(f"/cases/{case.pk}/#services")
    fits_the_screen(page)  # every section filled in: team, plan, services, integration, permits
    shown, total = expected_totals(world)
    assert total == Decimal("473.75")  # 35 + 10 × 18.50 + 7.5 × 18.50 + 2 × 40 + 35
    rows, page_total = service_totals(page)
    assert rows == shown, f"the case's totals per service differ from what was entered: {rows} != {shown}"
    assert page_total == euro(total)
    click_and_wait(page, link(page.locator("section#services"), re.compile(re.escape(italian("Every service")))))
    assert path_of(page) == f"/cases/{case.pk}/services/"
    fits_the_screen(page)
    rows, page_total = service_totals(page)
    assert rows == shown and page_total == euro(total)
    every = page.locator("main table").last.locator("tbody tr")
    expect(every).to_have_count(len(ALL_SERVICES))
    expect(page.locator("main table").last).to_contain_text("7,5")

    # --- 4. She closes the case with outcome "autonomy": the exit record is written.
    page.goto(f"/cases/{case.pk}/#closure")
    close = page.locator("form[action$='/close/']")
    close.locator("[name=day]").fill(today.isoformat())
    close.locator("[name=outcome]").select_option(label=italian(Outcome.AUTONOMY.label))
    send(page, close)
    saved(page, "The case is closed, and the person's exit record from the programme has been written.")
    expect(page.locator("[data-testid=case-status]")).to_have_text(italian(Case.Status.CLOSED.label))
    expect(page.locator("[data-testid=closed]")).to_contain_text(italian(Outcome.AUTONOMY.label))
    expect(link(page.locator("section#services"), italian("Record a service"))).to_have_count(0)
    rows, page_total = service_totals(page)
    assert rows == shown and page_total == euro(total), "closing the case changes none of its services"
    sign_out(page)

    # --- 5. The coordinator's services per partner count them for the case worker's organisation.
    sign_in(page, world.coordinator.username)
    go_to_menu(page, viewport, "Reports")
    reports_nav = page.locator("[data-testid=reports-nav]")
    click_and_wait(page, link(reports_nav, italian("Services delivered")))
    assert path_of(page) == "/reports/services/"
    fits_the_screen(page)
    partner = page.locator(f"tr[data-testid=partner-{world.worker.memberships.get().organisation.code}]")
    cells = [words(text) for text in partner.locator("td").all_inner_texts()]
    assert cells[0] == str(len(ALL_SERVICES)), cells
    assert cells[1] == f"{euro(total, grouping=True)} €", cells
    lines = page.locator(f"table[data-testid=lines-{world.worker.memberships.get().organisation.code}]")
    for name, (times, _units, amount) in shown.items():
        line = lines.locator("tbody tr").filter(has=page.locator("th", has_text=name))
        line_cells = [words(text) for text in line.locator("td").all_inner_texts()]
        assert line_cells[1] == times and line_cells[3] == f"{amount} €", (name, line_cells)

    # --- And in the database.
    with scopes_disabled():
        case.refresh_from_db()
        assert (case.status, case.outcome, case.end) == (Case.Status.CLOSED, Outcome.AUTONOMY, today)
        exit_record = ProgrammeRecord.objects.get(person=case.person, kind=ProgrammeRecord.Kind.EXIT)
        assert (exit_record.date, exit_record.outcome) == (today, Outcome.AUTONOMY)
        art18, work = Permit.objects.filter(case=case).order_by("application_date")
        assert (art18.type, art18.status) == ("art18_social", Permit.Status.CONVERTED)
        assert (work.type, work.status, work.previous_id, work.change) == (
            "work",
            Permit.Status.ISSUED,
            art18.pk,
            Permit.Change.CONVERSION,
        )
        course = Activity.objects.get(case=case, kind="italian_course")
        assert (course.provider, course.level, course.completed, course.certificate) == (
            "CPIA 5 Milano",
            "A2",
            True,
            "Certificazione CILS A2",
        )
        assert [a.provider for a in Activity.objects.filter(case=case, kind="internship")] == ["Trattoria Da Gino srl"]
        deliveries = list(ServiceDelivery.objects.filter(case=case).order_by("date", "id"))
        entered = [(world.types[g.code].pk, world.day(g.day), g.units) for g in ALL_SERVICES]
        assert [(d.service_type_id, d.date, d.quantity) for d in deliveries] == entered
        assert sum(d.amount for d in deliveries) == total
        assert {d.organisation_id for d in deliveries} == {world.worker.memberships.get().organisation_id}
        assert {d.operator_id for d in deliveries} == {world.worker.pk}


# --- a form with the keyboard only -----------------------------------------------------------------------


def focused_matches(page, selector: str) -> bool:
    return page.evaluate("(selector) => document.activeElement?.matches(selector) ?? false", selector)


def tab_to(page, selector: str, *, most: int = 60) -> None:
    for _ in range(most + 1):
        if focused_matches(page, selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never got the focus after {most} presses of Tab")


@pytest.mark.parametrize("viewport", ["desktop"])
def test_a_service_is_recorded_with_the_keyboard_only(page, viewport, world):
    """The service form, operated with Tab, the arrow keys, typing and Enter: no mouse."""
    sign_in(page, world.worker.username)
    page.goto(f"/cases/{world.case.pk}/#services")

    # From the case's services section, Tab to "Record a service" and press Enter.
    page.locator("section#services").focus()
    tab_to(page, f"a[href='/cases/{world.case.pk}/services/add/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    tab_to(page, "select[name=service_type]")
    # The options are in alphabetical order; the first is the empty choice. Type to choose, as on a keyboard.
    page.keyboard.type("Lezione")
    expect(page.locator("select[name=service_type]")).to_have_value(str(world.types["lezione-italiano"].pk))
    page.keyboard.press("Tab")
    assert focused_matches(page, "input[name=day]"), "Tab from the service should reach the date"
    # The date is today's by default: keep it. Tab on through its day, month and year to the units.
    tab_to(page, "input[name=quantity]", most=6)
    page.keyboard.press("Control+A")
    page.keyboard.type("3")
    page.keyboard.press("Tab")
    assert focused_matches(page, "input[name=duration_minutes]")
    page.keyboard.type("180")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    back_on_case(page, world.case, "services")
    saved(page, "Service recorded.")
    rows, total = service_totals(page)
    with translation.override("it"):
        three_hours = quantity_of(Decimal(3), "hour")  # "3 ore": the unit's plural
    assert rows == {"Lezione di italiano": ("1", three_hours, euro(Decimal("55.50")))}
    assert total == euro(Decimal("55.50"))
    with scopes_disabled():
        delivery = ServiceDelivery.objects.get(case=world.case)
    assert (delivery.quantity, delivery.duration_minutes, delivery.date) == (3, 180, timezone.localdate())
