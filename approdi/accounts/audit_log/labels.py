"""What the DPO reads in the audit log: the names of roles, object types, permissions and fields, not their codes.

An entry's ``object_type`` is a model's label (``reports.funderreport``: its verbose name), an export or
report that is no model (below), or, for a refused action, the permission refused (below). A code with
no name here (a permission added later) is shown as it is, never hidden.
"""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from approdi.audit.models import MOVED_MODELS, Action, AuditEntry
from approdi.core.labels import label

from ..roles import Role

EXPORTS = {
    "reports.summary": _("Funder summary"),
    "reports.dashboard": _("Programme dashboard"),
    "reports.drilldown": _("Dashboard records behind a figure"),
    "reports.htcds": _("HTCDS export"),
    "reports.publication": _("Publication tables"),
    "reports.reimbursement": _("Services delivered and reimbursement"),
    "reports.reimbursement_deliveries": _("Services delivered, one by one"),
    "outreach.contacts": _("Contacts export"),
    "outreach.referrals": _("Referrals export"),
    "audit.log": _("Audit log"),
    "core.processingrecord": _("Record of processing activities"),
}

PERMISSIONS = {
    "network.view_reference_data": _("See the reference data"),
    "accounts.manage_users": _("Manage users"),
    "audit.search_log": _("Search the audit log"),
    "shelter.view_structure": _("See a structure"),
    "shelter.view_structure_secrets": _("See a structure's address"),
    "outreach.record_contact": _("Record a contact"),
    "outreach.correct_contacts": _("Record a contact, or correct a closed period's"),
    "outreach.view_contacts": _("See contacts"),
    "outreach.view_counts": _("See outreach counts"),
    "outreach.record_referral": _("Record a referral"),
    "outreach.view_referrals": _("See referrals"),
    "outreach.view_referral_identity": _("See who was referred"),
    "outreach.import_records": _("Import contacts and referrals"),
    "outreach.export_contacts": _("Export contacts"),
    "outreach.export_referrals": _("Export referrals"),
    "intake.work_queue": _("Work the Ufficio Filtro's queue"),
    "shelter.view_board": _("See the bed board"),
    "shelter.view_every_board": _("See every structure on the bed board"),
    "shelter.place": _("Place a person in a bed"),
    "shelter.move_stage": _("Move a resident to the next stage"),
    "shelter.view_residents": _("See a structure's residents"),
    "shelter.write_diary": _("Write in a placement's diary"),
    "shelter.view_occupancy": _("See occupancy"),
    "shelter.manage_structure": _("Manage a structure"),
    "shelter.change_capacity": _("Change a structure's beds"),
    "shelter.end_stay": _("Record a resident's exit"),
    "shelter.configure_stages": _("Configure the reception stages"),
    "reports.view_summary": _("See the funder summary"),
    "cases.view_cases": _("See case paths"),
    "cases.work_on_case": _("Work on a case path"),
    "cases.manage_case": _("Manage a case path"),
    "cases.assign_case": _("Assign a case path"),
    "cases.complete_action": _("Mark an action of the plan as done"),
    "cases.record_legal": _("Record legal steps"),
    "cases.manage_service_types": _("Manage service types"),
    "reports.view_funder_reports": _("See funder reports"),
    "reports.prepare_report": _("Prepare a funder report"),
    "reports.approve_report": _("Approve a funder report"),
    "reports.export_in_background": _("Export in the background"),
    "reports.view_dashboard": _("See the dashboard"),
    "reports.view_reimbursement": _("See services and reimbursement"),
    "network.manage_budgets": _("Manage budgets"),
    "network.manage_targets": _("Manage targets"),
    "network.manage_editions": _("Set up programme editions"),
    "network.manage_reference_data": _("Manage organisations, areas and materials"),
    "shelter.add_structure": _("Add or set up a structure"),
    "network.amend_closed_period": _("Change a closed period"),
    "reports.export_anonymised": _("Export anonymised data"),
    "cases.break_glass": _("Open a case in an emergency"),
    "cases.read_case": _("Read a case path"),
    "cases.review_break_glass": _("Review the emergency accesses"),
    "core.view_processing_record": _("See the record of processing activities"),
    "people.answer_access_request": _("Answer a person's request of access to her data"),
    "intake.request_erasure": _("Record a person's request of erasure"),
    "intake.decide_erasure": _("Approve or reject a request of erasure"),
    "intake.view_erasure_requests": _("See the requests of erasure"),
}


def _model(object_type: str):
    current = {written: label for label, written in MOVED_MODELS.items()}
    app_label, _dot, model_name = current.get(object_type, object_type).partition(".")
    try:
        return apps.get_model(app_label, model_name) if model_name else None
    except LookupError:
        return None


def object_type_label(object_type: str) -> str:
    if object_type in EXPORTS:
        return str(EXPORTS[object_type])
    if object_type in PERMISSIONS:
        return str(PERMISSIONS[object_type])
    model = _model(object_type)
    return str(capfirst(model._meta.verbose_name)) if model is not None else object_type


def field_labels(object_type: str, fields: list[str]) -> list[str]:
    """The verbose names of a model's changed fields (stored by attribute name, ``person_id``)."""
    model = _model(object_type)
    if model is None:
        return list(fields)
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    found = []
    for name in fields:
        try:
            field = by_attname.get(name) or model._meta.get_field(name)
        except FieldDoesNotExist:
            found.append(name)
        else:
            found.append(str(capfirst(getattr(field, "verbose_name", name))))
    return found


def object_type_choices() -> list[tuple[str, str]]:
    """Every object type an entry can name, by its name in the reader's language: the search's choice list.

    Models are offered under the type their entries are written with (``MOVED_MODELS``).
    """
    written = {label: code for label, code in MOVED_MODELS.items()}
    models = {
        written.get(model._meta.label_lower, model._meta.label_lower)
        for model in apps.get_models()
        if model.__module__.startswith("approdi.")
    }
    named = [(code, object_type_label(code)) for code in {*models, *EXPORTS, *PERMISSIONS}]
    return sorted(named, key=lambda choice: (choice[1].casefold(), choice[0]))


def role_label(code: str) -> str:
    return label(Role, code)


# What happened to the object, said after it ("Case 4 · viewed"): the audit log's one line per entry. Italian says
# it with a noun ("Struttura 9 · visualizzazione"): a participle would have to agree with each object type's gender.
DONE: dict[str, object] = {
    Action.VIEW: pgettext_lazy("audit entry", "viewed"),
    Action.CREATE: pgettext_lazy("audit entry", "created"),
    Action.CHANGE: pgettext_lazy("audit entry", "changed"),
    Action.DELETE: pgettext_lazy("audit entry", "deleted"),
    Action.EXPORT: pgettext_lazy("audit entry", "exported"),
    Action.SIGN_IN: pgettext_lazy("audit entry", "signed in"),
    Action.SIGN_IN_FAILED: pgettext_lazy("audit entry", "sign-in failed"),
    Action.SIGN_OUT: pgettext_lazy("audit entry", "signed out"),
    Action.PERMISSION_DENIED: pgettext_lazy("audit entry", "refused"),
    Action.BREAK_GLASS: pgettext_lazy("audit entry", "opened in an emergency"),
}


def entry_in_words(entry: AuditEntry) -> str:
    """One line in the reader's language: the object's type and id, then what happened ("Caso 4 · visualizzazione")."""
    done = DONE.get(entry.action)
    action = str(done) if done is not None else label(Action, entry.action)
    what = " ".join(
        part
        for part in (object_type_label(entry.object_type) if entry.object_type else "", str(entry.object_id or ""))
        if part
    )
    return f"{what} · {action}" if what else str(capfirst(action))
