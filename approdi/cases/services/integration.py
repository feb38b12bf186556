"""Integration activities: courses, training, internships, work grants, employment, housing."""

from __future__ import annotations

import copy

from django.db import transaction

from approdi.accounts.actor import Actor

from ..models import Activity, Case
from ._common import ensure_open, save_changes, save_new

EDITABLE = [
    "provider",
    "sector",
    "start",
    "end",
    "level",
    "hours",
    "attendance_percent",
    "certificate",
    "hours_per_week",
    "monthly_allowance",
    "paid_by",
    "contract",
    "housing",
    "completed",
]


@transaction.atomic
def record_activity(*, actor: Actor, case: Case, kind: str, **fields) -> Activity:
    ensure_open(actor, "cases.work_on_case", case)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    return save_new(actor=actor, obj=Activity(case=case, kind=kind, created_by=actor, **fields))


@transaction.atomic
def update_activity(*, actor: Actor, activity: Activity, **fields) -> Activity:
    """Attendance, the end, the certificate: what a course or an internship adds as it goes."""
    ensure_open(actor, "cases.work_on_case", activity.case)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    before = copy.copy(activity)
    for name, value in fields.items():
        setattr(activity, name, value)
    save_changes(actor=actor, before=before, after=activity)
    return activity
