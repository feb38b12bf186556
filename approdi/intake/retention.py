"""Retention carried out: what each programme's schedule says is due is anonymised or deleted (daily, from cron).

``manage.py apply_retention`` calls ``apply_retention``; ``--dry-run`` only counts. For each programme, in one
transaction, with bulk statements:

- closed cases: the people whose last case ended before the period (none open, no stay or bed request open) are
  anonymised with the erasure's own anonymisation (``erasure.anonymise_people``): identity, blind indexes, name
  keys, the identities of their referrals and their documents' file names go; codes and records stay;
- documents: the encrypted file and its name are deleted (the row stays, removed and purged);
- referrals that led nowhere (no person): name, birth date, phone, notes and public reference go; the person
  code stays, because the people referred are counted by it;
- contacts: the person code goes (a contact is counted by its headcount);
- audit rows, outreach synchronisation keys, notifications: deleted.

Nothing a funder figure counts is touched (dates, channels, headcounts, sources, referral codes, stays and their
people, genders, capacities), so every figure of a closed period stays the same. Each run writes one audit row
per programme with the counts and nothing of what was removed. Running it again the same day changes nothing.
Audit rows of no programme (sign-ins) follow the default schedule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, F, Max, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Length
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.accounts.models import Notification
from approdi.audit.models import Action, AuditEntry
from approdi.audit.services import expire, record
from approdi.cases.models import Case, Document
from approdi.core import files
from approdi.core.retention import RULES, Kind
from approdi.network.models import Programme
from approdi.network.retention import months_of
from approdi.outreach.models import Contact, Referral, SyncKey
from approdi.people.models import Person
from approdi.shelter.models import Placement, PlacementRequest

from .erasure import anonymise_people

OBJECT_TYPE = "core.retention"


def months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier (the month's last day when it has fewer days)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass
class Run:
    """What one programme's run did (or, dry, would do): counts per kind, never a value."""

    programme: Programme | None
    cutoffs: dict[str, date]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def code(self) -> str:
        return self.programme.code if self.programme is not None else "-"

    def summary(self) -> str:
        return " ".join(f"{kind}={self.counts.get(kind, 0)}" for kind in RULES)


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def due_people(programme: Programme, cutoff: date) -> QuerySet[Person]:
    """People not yet anonymised whose cases are all closed, the last before ``cutoff``, or who never had a case and
    were registered before it; with no stay nor bed request still open."""
    return (
        Person.objects.filter(programme=programme, anonymised_at__isnull=True)
        .annotate(
            cases_n=Count("cases"),
            last_end=Max("cases__end"),
            open_cases=Count("cases", filter=~Q(cases__status=Case.Status.CLOSED)),
        )
        .filter(Q(cases_n__gt=0, open_cases=0, last_end__lte=cutoff) | Q(cases_n=0, created_at__lt=_moment(cutoff)))
        .exclude(pk__in=Placement.objects.filter(end__isnull=True).values("person_id"))
        .exclude(pk__in=PlacementRequest.objects.filter(status=PlacementRequest.Status.OPEN).values("person_id"))
    )


def due_documents(programme: Programme, cutoff: date) -> QuerySet[Document]:
    """Documents with their file still kept: of a case closed before ``cutoff``, or of the person only, dated before
    it, when she has no open case."""
    open_people = Case.objects.exclude(status=Case.Status.CLOSED).values("person_id")
    return Document.objects.filter(person__programme=programme, purged_at__isnull=True).filter(
        Q(case__status=Case.Status.CLOSED, case__end__lte=cutoff)
        | (Q(case__isnull=True, date__lte=cutoff) & ~Q(person_id__in=open_people))
    )


def due_referrals(programme: Programme, cutoff: date) -> QuerySet[Referral]:
    """Referrals that never led to a person, dated before ``cutoff``, still holding an identity."""
    held = Length("given_name") + Length("family_name") + Length("phone") + Length("notes") + Length("reference")
    return (
        Referral.objects.filter(programme=programme, person__isnull=True, date__lte=cutoff)
        .alias(held=held)
        .filter(Q(held__gt=0) | Q(birth_date__isnull=False))
    )


def due_contacts(programme: Programme, cutoff: date) -> QuerySet[Contact]:
    return Contact.objects.filter(programme=programme, date__lte=cutoff).exclude(person_code="")


def _due(programme: Programme | None, cutoffs: dict[str, date]) -> dict[str, QuerySet]:
    audit = AuditEntry.objects.filter(at__lt=_moment(cutoffs[Kind.AUDIT]))
    if programme is None:
        return {Kind.AUDIT: audit.filter(programme_id__isnull=True)}
    return {
        Kind.CASES: due_people(programme, cutoffs[Kind.CASES]),
        Kind.DOCUMENTS: due_documents(programme, cutoffs[Kind.DOCUMENTS]),
        Kind.REFERRALS: due_referrals(programme, cutoffs[Kind.REFERRALS]),
        Kind.CONTACTS: due_contacts(programme, cutoffs[Kind.CONTACTS]),
        Kind.AUDIT: audit.filter(programme_id=programme.pk),
        Kind.SYNC_KEYS: SyncKey.objects.filter(programme=programme, created_at__lt=_moment(cutoffs[Kind.SYNC_KEYS])),
        Kind.NOTIFICATIONS: Notification.objects.filter(
            programme=programme, created_at__lt=_moment(cutoffs[Kind.NOTIFICATIONS])
        ),
    }


def _remove_files(names: list[str]) -> None:
    for name in names:
        files.remove(name)


def _carry_out(due: dict[str, QuerySet]) -> dict[str, int]:
    counts: dict[str, int] = {}
    if Kind.CASES in due:
        counts[Kind.CASES] = anonymise_people(due[Kind.CASES])["person"]
    if Kind.DOCUMENTS in due:
        documents = due[Kind.DOCUMENTS]
        stored = list(documents.values_list("pk", "stored_as"))
        now = timezone.now()
        counts[Kind.DOCUMENTS] = Document.objects.filter(pk__in=[pk for pk, _name in stored]).update(
            stored_as="", filename="", removed_at=Coalesce(F("removed_at"), Value(now)), purged_at=now
        )
        names = [name for _pk, name in stored if name]
        transaction.on_commit(lambda: _remove_files(names))  # the files go once the rows have
    if Kind.REFERRALS in due:
        counts[Kind.REFERRALS] = Referral.objects.filter(
            pk__in=list(due[Kind.REFERRALS].values_list("pk", flat=True))
        ).update(given_name="", family_name="", birth_date=None, phone="", notes="", reference="")
    if Kind.CONTACTS in due:
        counts[Kind.CONTACTS] = due[Kind.CONTACTS].update(person_code="")
    counts[Kind.AUDIT] = expire(due[Kind.AUDIT])
    for kind in (Kind.SYNC_KEYS, Kind.NOTIFICATIONS):
        if kind in due:
            counts[kind], _by_model = due[kind].delete()
    return counts


def _run(programme: Programme | None, *, today: date, dry_run: bool) -> Run:
    months = months_of(programme) if programme is not None else {k: r.months for k, r in RULES.items()}
    run = Run(programme, {kind: months_before(today, n) for kind, n in months.items()})
    # The database deletes no audit row younger than the shortest period (migration audit 0004), whatever day the
    # run is given: a run "as on" a later day leaves those rows to a later run instead of failing.
    floor = months_before(timezone.now().date(), RULES[Kind.AUDIT].minimum) - timedelta(days=1)
    run.cutoffs[Kind.AUDIT] = min(run.cutoffs[Kind.AUDIT], floor)
    with transaction.atomic():
        due = _due(programme, run.cutoffs)
        if dry_run:
            run.counts = {kind: rows.count() for kind, rows in due.items()}
            return run
        run.counts = _carry_out(due)
        # The counts and the cutoffs, never a value removed.
        record(
            action=Action.DELETE,
            object_type=OBJECT_TYPE,
            object_id=run.code,
            fields=sorted(kind for kind, n in run.counts.items() if n),
            reason=run.summary(),
            username="retention",
            programme_id=programme.pk if programme is not None else None,
        )
    return run


def apply_retention(*, today: date | None = None, dry_run: bool = False, programme: str = "") -> list[Run]:
    """Every programme's due records anonymised or deleted (or, ``dry_run``, counted), one transaction each; then the
    audit rows of no programme. ``programme`` limits the run to one programme's code."""
    today = today or timezone.localdate()
    runs = []
    with scopes_disabled():  # a system task across every organisation of each programme
        programmes = Programme.objects.order_by("code")
        if programme:
            programmes = programmes.filter(code=programme)
        for found in programmes:
            runs.append(_run(found, today=today, dry_run=dry_run))
        if not programme:
            runs.append(_run(None, today=today, dry_run=dry_run))
    return runs
