"""The register of processing activities of the acting programme (GDPR art. 30), as a page and a PDF for the DPO.

What is processed, why, for whom and how long is declared in ``approdi/core/processing.py``; who the controller,
the partners and the DPO are is read here from the programme itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.core.pdf import issued_by, new_document
from approdi.core.permissions import ensure
from approdi.core.processing import SECURITY_MEASURES, RegisterActivity, register
from approdi.network.models import Organisation, Partnership, Programme
from approdi.network.retention import Line, schedule

from ..actor import Actor
from ..models import Membership
from ..roles import Role


@dataclass
class ProcessingRecord:
    programme: Programme
    controller: Organisation | None
    partners: list[Organisation]
    dpos: list[str]
    day: date
    activities: list[RegisterActivity] = field(default_factory=list)
    security: list[str] = field(default_factory=list)
    retention: list[Line] = field(default_factory=list)


def processing_record(*, actor: Actor) -> ProcessingRecord:
    """The register of the programme the actor acts in, generated from the declarations and the schema."""
    ensure(actor, "core.view_processing_record")
    programme = actor.active_membership.programme
    partners = [
        p.organisation
        for p in Partnership.objects.filter(programme=programme)
        .select_related("organisation")
        .order_by("organisation__name")
        if p.organisation_id != programme.lead_organisation_id
    ]
    dpos = (
        Membership.objects.acting()
        .filter(programme=programme, role=Role.DPO, organisation_id=programme.lead_organisation_id)
        .select_related("user")
        .order_by("user__last_name", "user__username")
    )
    return ProcessingRecord(
        programme=programme,
        controller=programme.lead_organisation,
        partners=partners,
        dpos=[_dpo_line(m.user) for m in dpos],
        day=timezone.localdate(),
        activities=register(),
        security=[str(m) for m in SECURITY_MEASURES],
        retention=schedule(programme),
    )


def _dpo_line(user) -> str:
    name = user.get_full_name() or user.get_username()
    return f"{name} <{user.email}>" if user.email else name


def transfers() -> str:
    return _("Approdi makes none; the DPO checks those of the hosting provider, if any.")


def title() -> str:
    return _("Record of processing activities (art. 30 GDPR)")


def pdf(*, actor: Actor) -> bytes:
    """The register as an A4 PDF to file; its download is audited."""
    found = processing_record(actor=actor)
    document, family = new_document(title(), **issued_by(found.programme))
    document.set_font(family, "B", 15)
    document.multi_cell(0, 8, title(), new_x="LMARGIN", new_y="NEXT")
    document.set_font(family, "", 10)

    def line(label: str, text: str) -> None:
        document.set_font(family, "B", 10)
        document.multi_cell(0, 5.5, label, new_x="LMARGIN", new_y="NEXT")
        document.set_font(family, "", 10)
        document.multi_cell(0, 5.5, text, new_x="LMARGIN", new_y="NEXT")
        document.ln(1)

    controller = found.controller.name if found.controller else "—"
    line(_("Controller"), controller)
    line(_("Organisations of the network"), ", ".join(o.name for o in found.partners) or "—")
    line(_("Data protection officer"), "; ".join(found.dpos) or "—")
    line(_("Generated on"), date_format(found.day, "SHORT_DATE_FORMAT"))
    for activity in found.activities:
        document.ln(2)
        document.set_font(family, "B", 13)
        document.multi_cell(0, 7, str(activity.activity.name), new_x="LMARGIN", new_y="NEXT")
        line(_("Purposes"), str(activity.activity.purposes))
        line(_("Legal basis"), str(activity.activity.legal_basis))
        line(_("Categories of people"), "; ".join(activity.people))
        line(_("Recipients"), str(activity.activity.recipients))
        line(_("Transfers outside the EU"), transfers())
        line(_("Retention"), str(activity.activity.retention))
        document.set_font(family, "B", 10)
        document.multi_cell(0, 5.5, _("Categories of data"), new_x="LMARGIN", new_y="NEXT")
        document.set_font(family, "", 9)
        for row in activity.rows:
            text = f"• {row.name}: {row.data}"
            if row.encrypted:
                text += " " + _("Encrypted: %(fields)s.") % {"fields": ", ".join(row.encrypted)}
            document.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
    document.ln(3)
    document.set_font(family, "B", 13)
    document.multi_cell(0, 7, _("Retention schedule"), new_x="LMARGIN", new_y="NEXT")
    for retention in found.retention:
        rule = retention.rule
        kept = ngettext("%(months)s month", "%(months)s months", retention.months) % {"months": retention.months}
        line(
            f"{rule.label}: {kept}",
            _("From %(event)s; then %(action)s. %(reason)s")
            % {"event": rule.event, "action": rule.action, "reason": rule.reason},
        )
    document.ln(3)
    document.set_font(family, "B", 13)
    document.multi_cell(0, 7, _("Security measures (art. 32 GDPR)"), new_x="LMARGIN", new_y="NEXT")
    document.set_font(family, "", 10)
    for measure in found.security:
        document.multi_cell(0, 5.5, f"• {measure}", new_x="LMARGIN", new_y="NEXT")
    record(
        actor=actor,
        action=Action.EXPORT,
        object_type="core.processingrecord",
        object_id=found.programme.code,
        reason="pdf",
    )
    return bytes(document.output())
