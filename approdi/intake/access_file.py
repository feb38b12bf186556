"""A person's request of access and portability (GDPR art. 15 and 20): one file with everything held about her.

The DPO names the person by her code; the file (a PDF to read, or JSON to carry elsewhere) holds her identity
(decrypted), and every record of every model that the register of processing activities
(``approdi/core/processing.py``, ``MODELS``) says holds assisted people's data and that leads to her — found by
walking the schema's foreign keys from each model to ``people.Person`` (or, for outreach, by her person code), so a
model added to the register is in the file without a change here. Last, who read or changed her records and when,
from the audit log. Producing the file is audited (an export of the person, the request's date as its reason).

What she is entitled to, and what is left out:

- Case notes and documents: those of the whole case team (``Note.Confidentiality.TEAM``, which are always
  general ones). Legal, psychological and health notes stay with their author's role on the team
  (``SPECIAL_STAY_WITH_THE_ROLE``): they are professional assessments and may carry what third parties said in
  confidence (art. 15(4) GDPR, and art. 2-undecies of Legislative Decree 196/2003 for defence in proceedings).
  The DPO obtains them from their author when the person asks for them, checking them one by one.
- Documents are listed (kind, date, file name), not attached: the files are given by hand after checking them.
- ``NOT_IN_THE_FILE`` says why each other model of the register is left out (keyed hashes, and the audit log,
  which is given as the list of who viewed her record).
- Nothing of anyone else: only rows that lead to her are read; a link to another record is shown by its number,
  a user by her name, an organisation by its name, never another person.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scopes_disabled

from approdi.accounts.actor import Actor
from approdi.accounts.audit_log.labels import object_type_label
from approdi.accounts.scoping import programme_scope
from approdi.audit.models import Action, AuditEntry, object_type_of
from approdi.audit.services import record
from approdi.cases.models import Note
from approdi.core.pdf import issued_by, new_document
from approdi.core.permissions import ensure
from approdi.core.processing import MODELS
from approdi.people.models import Person

PERSON = "people.Person"
CODE_MAX_LENGTH = 20
# Models of the register that hold assisted people's data but are not copied into the file, and why.
NOT_IN_THE_FILE = {
    "people.PersonKey": gettext_lazy("Keyed hashes of her name, to find her without decrypting: they say nothing."),
    "audit.AuditEntry": gettext_lazy("Given as the list of who read or changed her records, and when."),
    "accounts.Notification": gettext_lazy(
        "A user's notice of work given to her (her code and a link): what it points to is in the file."
    ),
    "governance.Meeting": gettext_lazy(
        "Minutes of the network's governance tables, about the network's work: a person is named in them by code "
        "only, in free text among other business; the DPO reads them with the table's convenor when asked."
    ),
}
# What of a model she is entitled to (the rest stays with the author's role: see the module's docstring).
ENTITLED = {
    "cases.Note": Q(confidentiality=Note.Confidentiality.TEAM),
    "cases.Document": Q(confidentiality=Note.Confidentiality.TEAM, removed_at__isnull=True),
}
# Fields never copied: keyed hashes, the random name of an encrypted file.
LEFT_OUT_FIELDS = {"identity_index", "birth_index", "stored_as", "name_hash", "token_hash"}


def person_paths() -> dict[str, str]:
    """For each model of the register that may hold an assisted person's data, the lookup that leads from its
    rows to her ("person", "case__person", ...); outreach rows that carry her code are found by it ("person_code").
    A model of the register with no way to her (an outing, a shelter) holds nothing of her alone."""
    candidates = {label for label, d in MODELS.items() if "assisted" in d.people and label not in NOT_IN_THE_FILE}
    paths: dict[str, str] = {PERSON: "pk"}
    grew = True
    while grew:
        grew = False
        for label in sorted(candidates - set(paths)):
            model = apps.get_model(label)
            for f in model._meta.concrete_fields:
                target = f.related_model._meta.label if f.is_relation and f.related_model else ""
                if target in paths:
                    paths[label] = f.name if target == PERSON else f"{f.name}__{paths[target]}"
                    grew = True
                    break
    for label in sorted(candidates - set(paths)):
        if any(f.name == "person_code" for f in apps.get_model(label)._meta.concrete_fields):
            paths[label] = "person_code"
    return paths


@dataclass
class Section:
    label: str
    title: str
    records: list[dict[str, str]] = field(default_factory=list)


@dataclass
class AccessFile:
    person: Person
    received_on: date
    produced_at: datetime
    sections: list[Section]
    views: list[dict[str, str]]

    def as_json(self) -> str:
        return json.dumps(
            {
                "person_code": self.person.code,
                "request_received_on": self.received_on.isoformat(),
                "produced_at": self.produced_at.isoformat(),
                "records": {s.label: s.records for s in self.sections},
                "who_viewed_or_changed_her_records": self.views,
            },
            ensure_ascii=False,
            indent=2,
        )


def _value(obj: models.Model, f: models.Field) -> str:
    value = getattr(obj, f.attname)
    if value is None or value == "":
        return ""
    if f.is_relation and f.related_model is not None:
        target = f.related_model._meta.label
        related = getattr(obj, f.name)
        if target == "accounts.User":
            return related.get_full_name() or related.get_username()
        if target == PERSON:
            return related.code
        if target in ("network.Organisation", "network.Programme"):
            return str(related)
        return f"#{value}"  # another record of hers, by its number: its own section shows it
    if f.choices:
        return str(getattr(obj, f"get_{f.name}_display")())
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _row(obj: models.Model) -> dict[str, str]:
    row = {"id": str(obj.pk)}
    for f in obj._meta.concrete_fields:
        if f.primary_key or f.name in LEFT_OUT_FIELDS:
            continue
        row[str(capfirst(f.verbose_name))] = _value(obj, f)
    for m2m in obj._meta.many_to_many:
        related = getattr(obj, m2m.name).all()
        if m2m.related_model._meta.label == "accounts.User":
            names = [u.get_full_name() or u.get_username() for u in related]
        elif m2m.related_model._meta.label == PERSON:
            continue  # never another person
        else:
            names = [str(r) for r in related]
        row[str(capfirst(m2m.verbose_name))] = ", ".join(names)
    return row


def _views(objects: dict[str, list[str]]) -> list[dict[str, str]]:
    """Who read or changed one of her records, and when: every organisation's entries (scopes left on purpose:
    the DPO answers for the whole programme's processing)."""
    matches = Q(pk__in=[])
    for object_type, ids in objects.items():
        matches |= Q(object_type=object_type, object_id__in=ids)
    with scopes_disabled():
        entries = AuditEntry.objects.filter(matches).order_by("at", "id")
        return [
            {
                "when": timezone.localtime(e.at).isoformat(timespec="minutes"),
                "who": e.actor_username,
                "what": str(e.get_action_display()),
                "record": f"{object_type_label(e.object_type)} #{e.object_id}",
            }
            for e in entries
        ]


def access_file(*, actor: Actor, code: str, received_on: date) -> AccessFile:
    """Everything held about the person of ``code`` in the DPO's programme (see the module's docstring); the
    production is audited as an export of the person. ``ValidationError`` for an unknown code."""
    ensure(actor, "people.answer_access_request")
    code = code.strip().upper()[:CODE_MAX_LENGTH]
    programme = actor.active_membership.programme
    with programme_scope(programme), transaction.atomic():
        person = Person.objects.filter(programme=programme, code=code).first()
        if person is None:
            raise ValidationError({"code": _("No person of this programme has this code.")})
        sections: list[Section] = []
        objects: dict[str, list[str]] = {}
        for label, path in person_paths().items():
            model = apps.get_model(label)
            value = person.code if path == "person_code" else person.pk
            rows = model.objects.filter(**{path: value})
            if path == "person_code":
                rows = rows.filter(programme=programme) if hasattr(model, "programme") else rows
            if label in ENTITLED:
                rows = rows.filter(ENTITLED[label])
            found = list(rows.order_by("pk"))
            if not found:
                continue
            sections.append(Section(label, str(capfirst(model._meta.verbose_name_plural)), [_row(o) for o in found]))
            objects.setdefault(object_type_of(found[0]), []).extend(str(o.pk) for o in found)
        produced = AccessFile(person, received_on, timezone.now(), sections, _views(objects))
        record(
            actor=actor,
            action=Action.EXPORT,
            obj=person,
            reason=f"access request received {received_on.isoformat()}",
        )
    return produced


def pdf(found: AccessFile) -> bytes:
    """The file as an A4 PDF to hand to the person."""
    title = _("Data held about %(code)s") % {"code": found.person.code}
    document, family = new_document(title, **issued_by(found.person.programme))
    document.set_font(family, "B", 15)
    document.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    document.set_font(family, "", 10)
    document.multi_cell(
        0,
        5.5,
        _("Request received on %(day)s; file produced on %(at)s.")
        % {"day": found.received_on.isoformat(), "at": timezone.localtime(found.produced_at).isoformat("T", "minutes")},
        new_x="LMARGIN",
        new_y="NEXT",
    )
    for section in found.sections:
        document.ln(2)
        document.set_font(family, "B", 13)
        document.multi_cell(0, 7, section.title, new_x="LMARGIN", new_y="NEXT")
        for row in section.records:
            document.set_font(family, "", 9)
            for name, value in row.items():
                if value:
                    document.multi_cell(0, 4.8, f"{name}: {value}", new_x="LMARGIN", new_y="NEXT")
            document.ln(1.5)
    document.ln(2)
    document.set_font(family, "B", 13)
    document.multi_cell(0, 7, _("Who read or changed her records"), new_x="LMARGIN", new_y="NEXT")
    document.set_font(family, "", 9)
    for view in found.views:
        line = f"{view['when']} · {view['who']} · {view['what']} · {view['record']}"
        document.multi_cell(0, 4.8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(document.output())
