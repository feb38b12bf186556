"""What the path sections of a case show beside its records: deadline levels in words, service totals,
appointments split into upcoming and past, an activity's facts for its kind."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django import template
from django.utils import formats, timezone
from django.utils.translation import npgettext

from approdi.cases import deadlines
from approdi.cases.models import Activity

register = template.Library()


@register.inclusion_tag("cases/_deadline.html")
def deadline_badge(due: date | None):
    """``{% deadline_badge permit.expiry %}``: the date, the days left and the alert level reached (30, 14, 7),
    in words (``cases/_deadline_level.html``, as on the case list and My work)."""
    if due is None:
        return {"due": None}
    today = timezone.localdate()
    return {"due": due, "days_left": (due - today).days, "level": deadlines.level(due, today)}


@dataclass
class ServiceTotal:
    name: str
    unit: str
    units: Decimal
    amount: Decimal
    count: int
    unit_code: str = ""


def service_totals(services: Iterable) -> tuple[list[ServiceTotal], Decimal]:
    """Per service type: units delivered and their cost (units × the unit cost copied on each day)."""
    rows: dict[int, ServiceTotal] = {}
    for delivery in services:
        row = rows.get(delivery.service_type_id)
        if row is None:
            row = rows[delivery.service_type_id] = ServiceTotal(
                delivery.service_type.name,
                delivery.service_type.get_unit_display(),
                Decimal(0),
                Decimal(0),
                0,
                delivery.service_type.unit,
            )
        row.units += delivery.quantity
        row.amount += delivery.amount
        row.count += 1
    ordered = sorted(rows.values(), key=lambda r: r.name.lower())
    return ordered, sum((r.amount for r in ordered), Decimal(0))


@register.simple_tag
def totals_of(services):
    """``{% totals_of case.services.all as totals %}``: (rows, grand total)."""
    rows, total = service_totals(services)
    return {"rows": rows, "total": total}


@register.simple_tag
def split_appointments(appointments):
    """Upcoming (soonest first) and past (latest first) appointments."""
    now = timezone.now()
    items = list(appointments)
    return {
        "upcoming": [a for a in items if a.starts_at >= now],
        "past": [a for a in reversed(items) if a.starts_at < now],
    }


def _shown(activity: Activity, name: str) -> str:
    value = getattr(activity, name)
    display = getattr(activity, f"get_{name}_display", None)
    if display is not None:
        return str(display())
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if name == "attendance_percent":
        return f"{value}%"
    if name == "monthly_allowance":
        return "€ " + formats.number_format(value, 2, use_l10n=True)
    return str(value)


@register.simple_tag
def activity_facts(activity: Activity):
    """(label, value) of the activity's kind fields that are filled in, start and end aside."""
    from approdi.cases.forms.integration import KIND_FIELDS, activity_label

    facts = []
    for name in KIND_FIELDS.get(activity.kind, ()):
        if name in ("start", "end"):
            continue
        value = getattr(activity, name)
        if value in (None, ""):
            continue
        facts.append((activity_label(activity.kind, name), _shown(activity, name)))
    return facts


@register.filter
def local_day(moment) -> date | None:
    """The local calendar day of a moment (a hearing's day, for its deadline)."""
    return timezone.localtime(moment).date() if moment else None


@register.filter
def is_overdue(action) -> bool:
    return action.done_on is None and action.due < timezone.localdate()


@register.filter
def may_complete(action, user) -> bool:
    """The rule ``cases.complete_action``: whom the action is owed by, the case manager, the Ufficio Filtro."""
    return user.has_perm("cases.complete_action", action)


@register.simple_tag
def followed_permits(permits) -> set[int]:
    """Ids of the permits a renewal or conversion was applied for (from the prefetched list, no query)."""
    return {p.previous_id for p in permits if p.previous_id}


@register.filter
def not_past(day: date | None) -> bool:
    return day is not None and day >= timezone.localdate()


@register.filter
def units(value) -> str:
    """A quantity of units without useless decimals: 3, 1.5 (1,5 in Italian)."""
    if value is None:
        return ""
    value = Decimal(value)
    if value == value.to_integral_value():
        return formats.number_format(value.quantize(Decimal(1)), 0, use_l10n=True)
    return formats.number_format(value.normalize(), use_l10n=True)


def _unit_words(code: str, count: int) -> str:
    # One call per unit, so makemessages finds each singular and plural (Italian: "2 ore", never "2 ora").
    if code == "session":
        return npgettext("quantity", "session", "sessions", count)
    if code == "hour":
        return npgettext("quantity", "hour", "hours", count)
    if code == "day":
        return npgettext("quantity", "day", "days", count)
    if code == "month":
        return npgettext("quantity", "month", "months", count)
    if code == "lump_sum":
        return npgettext("quantity", "lump sum", "lump sums", count)
    return code


@register.filter
def quantity_of(value, unit: str) -> str:
    """``{{ s.quantity|quantity_of:s.service_type.unit }}``: "2 hours", "1 hour", "1.5 hours" (1,5 ore)."""
    if value is None:
        return ""
    return f"{units(value)} {_unit_words(unit, 1 if Decimal(value) == 1 else 2)}"
