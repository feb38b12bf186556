"""A programme's retention schedule: the defaults of ``approdi.core.retention``, with the programme's own choices.

Read by the retention page, the register of processing and ``manage.py apply_retention``; changed by a
coordinator or the DPO of the lead entity, within each kind's bounds, audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.core.permissions import ensure
from approdi.core.retention import RULES, Rule

from .models import Programme, RetentionPeriod

if TYPE_CHECKING:
    from approdi.accounts.actor import Actor


@dataclass(frozen=True)
class Line:
    """One line of a programme's schedule: the rule, and how long this programme keeps the kind."""

    rule: Rule
    months: int

    @property
    def kind(self) -> str:
        return self.rule.kind

    @property
    def is_default(self) -> bool:
        return self.months == self.rule.months


def schedule(programme: Programme) -> list[Line]:
    """Every kind of record, in the rules' order, with the programme's months (its own, or the default)."""
    own = dict(RetentionPeriod.objects.filter(programme=programme).values_list("kind", "months"))
    return [Line(rule, own.get(kind, rule.months)) for kind, rule in RULES.items()]


def months_of(programme: Programme) -> dict[str, int]:
    return {line.kind: line.months for line in schedule(programme)}


def check_months(kind: str, months: int) -> None:
    rule = RULES.get(kind)
    if rule is None:
        raise ValidationError(_("Unknown kind of record."))
    if not rule.minimum <= months <= rule.maximum:
        raise ValidationError(
            {
                kind: _("Between %(minimum)s and %(maximum)s months for %(kind)s.")
                % {"minimum": rule.minimum, "maximum": rule.maximum, "kind": rule.label.lower()}
            }
        )


def set_retention(*, actor: Actor, months: dict[str, int]) -> list[Line]:
    """The coordinator or the DPO of the lead entity sets the programme's months per kind (the default's value
    removes the programme's own line). Every value is checked before any is saved; the change is audited."""
    ensure(actor, "network.change_retention")
    programme = actor.active_membership.programme
    errors: dict[str, list[str]] = {}
    for kind, value in months.items():
        try:
            check_months(kind, value)
        except ValidationError as error:
            errors.setdefault(kind, []).extend(error.messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = months_of(programme)
        changed = sorted(kind for kind, value in months.items() if before[kind] != value)
        for kind in changed:
            if months[kind] == RULES[kind].months:
                RetentionPeriod.objects.filter(programme=programme, kind=kind).delete()
            else:
                RetentionPeriod.objects.update_or_create(
                    programme=programme, kind=kind, defaults={"months": months[kind], "changed_by": actor}
                )
        if changed:
            record(
                actor=actor,
                action=Action.CHANGE,
                object_type="network.retentionperiod",
                object_id=programme.code,
                fields=changed,
                reason=" ".join(f"{kind}={before[kind]}->{months[kind]}" for kind in changed),
            )
    return schedule(programme)
