"""What every module asks of a person or writes about her: consent, identity keys, the exit record."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.network.dates import check_not_future

from .identity import aliases_of, birth_index, identity_index, person_keys
from .models import Consent, Person, PersonKey, ProgrammeRecord


def has_consent(person: Person, purpose: str) -> bool:
    latest = Consent.objects.filter(person=person, purpose=purpose).first()
    return bool(latest and latest.granted)


def index_person(person: Person) -> None:
    """Recomputes the person's blind indexes and name keys from her identity (after any change to it)."""
    person.identity_index = identity_index(person.given_name, person.family_name, person.birth_date)
    person.birth_index = birth_index(person.birth_date)
    person.save(update_fields=["identity_index", "birth_index"])
    PersonKey.objects.filter(person=person).delete()
    keys = person_keys(person.given_name, person.family_name, aliases_of(person.aliases))
    PersonKey.objects.bulk_create(
        [PersonKey(person=person, programme_id=person.programme_id, key=k) for k in sorted(keys)]
    )


def write_exit_record(*, actor, person: Person, day: date, outcome: str) -> ProgrammeRecord:
    """The exit record itself, for the services that have checked their own permission (case closure)."""
    check_not_future(day, field="day")
    entry = person.programme_records.filter(kind=ProgrammeRecord.Kind.ENTRY).first()
    if entry is None:
        raise ValidationError({"day": [_("The person has no entry record: she never entered the programme.")]})
    if day < entry.date:
        raise ValidationError(
            {
                "day": [
                    _("The exit cannot come before the entry (%(date)s).") % {"date": entry.date.strftime("%d/%m/%Y")}
                ]
            }
        )
    if person.programme_records.filter(kind=ProgrammeRecord.Kind.EXIT).exists():
        raise ValidationError({"day": [_("The exit has been recorded already.")]})
    exit_record = ProgrammeRecord(
        person=person, kind=ProgrammeRecord.Kind.EXIT, date=day, outcome=outcome, created_by=actor
    )
    exit_record.full_clean()
    exit_record.save()
    record(actor=actor, action=Action.CREATE, obj=exit_record, fields=["date", "outcome"])
    return exit_record
