"""Walks every page and every API route, so a new one without a permission check fails here.

For each route: anonymous → the sign-in page (pages) or 401 (API); a user from another
organisation → 404 for this organisation's object, exactly like an object that does not exist.
Every answer carries the strict Content-Security-Policy.
A route added without an entry in ``OBJECT_ROUTES`` or ``COLLECTION_ROUTES`` fails the suite.
"""

import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.api.api import api
from tests.builders import acting, verified_client

pytestmark = [pytest.mark.django_db, pytest.mark.security]  # also part of `make security`

# Routes that anyone may reach without signing in, and why.
PUBLIC = {
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "healthz",
    # Single sign-on: the way to the identity provider and back (404 unless one is configured).
    "accounts:oidc_start",
    "accounts:oidc_callback",
    # Prometheus metrics: for configured addresses or a token only, 404 to anyone else.
    "metrics",
    "set_language",
    "javascript_catalog",
    # API documentation (no data): the schema and the interactive page.
    "api:openapi-json",
    "api:openapi-view",
    # The public help site (tests/public/): no sign-in, no cookie; and the neutral page "leave quickly" opens.
    "public:choose_language",
    "public:page",
    "public:ask",
    "public:leaflet",
    "neutral_page",
    # The outreach app's service worker and manifest (docs/offline.md): code and a name, no data.
    "outreach:service_worker",
    "outreach:manifest",
    # A user's calendar feed: opened by its unguessable token alone (a calendar application cannot sign in), 404
    # for any other; it names nobody (tests/governance/test_calendar.py).
    "governance:calendar_feed",
}
# JSON doors of the web app's scripts, by the method they answer: anonymous gets 401 (a script cannot follow a
# redirect to sign in).
JSON_DOORS = {"outreach_sync": "post", "outreach:offline_key": "get"}
# Pages of one organisation's (or programme's) object: the role that opens it, where the owner works
# ("partner", or "lead" for the Ufficio Filtro), and kwargs naming the object (``n``: see ``records``).
# The outsider holds the same role in another partner organisation or, for the programme-wide
# records of the Ufficio Filtro, at the lead entity of another programme.
OBJECT_ROUTES = {
    "shelter:structure_detail": ("shelter", "partner", lambda n: {"code": n.structure.code}),
    "outreach:outing_detail": ("outreach", "partner", lambda n: {"pk": n.outing.pk}),
    "outreach:outing_add_contact": ("outreach", "partner", lambda n: {"pk": n.outing.pk}),
    "outreach:outing_add_headcount": ("outreach", "partner", lambda n: {"pk": n.outing.pk}),
    "outreach:contact_detail": ("outreach", "partner", lambda n: {"pk": n.contact.pk}),
    "outreach:contact_delete": ("outreach", "partner", lambda n: {"pk": n.access.pk}),
    "outreach:referral_detail": ("outreach", "partner", lambda n: {"pk": n.referral.pk}),
    "intake:referral": ("filtro", "lead", lambda n: {"pk": n.referral.pk}),
    "intake:referral_attach": ("filtro", "lead", lambda n: {"pk": n.referral.pk}),
    "intake:referral_take": ("filtro", "lead", lambda n: {"pk": n.referral.pk}),
    "intake:person": ("filtro", "lead", lambda n: {"pk": n.person.pk}),
    "intake:person_edit": ("filtro", "lead", lambda n: {"pk": n.person.pk}),
    "intake:consent": ("filtro", "lead", lambda n: {"pk": n.person.pk}),
    "intake:screening_create": ("filtro", "lead", lambda n: {"pk": n.person.pk}),
    "intake:assessment_create": ("filtro", "lead", lambda n: {"pk": n.person.pk}),
    "intake:decision_create": ("filtro", "lead", lambda n: {"pk": n.person.pk}),
    "intake:record_sheet": ("filtro", "lead", lambda n: {"pk": n.person.pk, "kind": "entry"}),
    "intake:screening": ("filtro", "lead", lambda n: {"pk": n.screening.pk}),
    "intake:exit_record": ("filtro", "lead", lambda n: {"pk": n.person.pk}),
    "intake:conference_create": ("filtro", "lead", lambda n: {"pk": n.person.pk}),
    "shelter:place": ("filtro", "lead", lambda n: {"pk": n.request.pk}),
    "shelter:placement": ("filtro", "lead", lambda n: {"pk": n.placement.pk}),
    "shelter:placement_move": ("filtro", "lead", lambda n: {"pk": n.placement.pk}),
    "shelter:placement_end": ("filtro", "lead", lambda n: {"pk": n.placement.pk}),
    "shelter:diary_add": ("filtro", "lead", lambda n: {"pk": n.placement.pk}),
    # Case pages: the case team sees a case (``owners_case``: the owner manages it); the Ufficio Filtro assigns it.
    "cases:case_detail": ("case_worker", "partner", lambda n: {"pk": owners_case(n).pk}),
    "cases:case_assign": ("filtro", "lead", lambda n: {"pk": owners_case(n).pk}),
    "cases:team_add": ("case_worker", "partner", lambda n: {"pk": owners_case(n).pk}),
    "cases:team_remove": ("case_worker", "partner", lambda n: {"pk": owners_case(n).pk, "seat": n.shared_seat.pk}),
    "cases:transfer_request": ("case_worker", "partner", lambda n: {"pk": owners_case(n).pk}),
    "cases:transfer_revoke": (
        "case_worker",
        "partner",
        lambda n: {"pk": owners_case(n).pk, "transfer": n.outgoing_transfer.pk},
    ),
    "cases:note_add": ("case_worker", "partner", lambda n: {"pk": owners_case(n).pk}),
    # A transfer to another project of the network (``owners_onward``: one sent from the owner's case).
    "cases:onward_send": ("case_worker", "partner", lambda n: {"pk": owners_case(n).pk}),
    "cases:onward_answer": (
        "case_worker",
        "partner",
        lambda n: {"pk": owners_case(n).pk, "transfer": owners_onward(n).pk},
    ),
    "cases:onward_arrived": (
        "case_worker",
        "partner",
        lambda n: {"pk": owners_case(n).pk, "transfer": owners_onward(n).pk},
    ),
    "cases:onward_follow_up": (
        "case_worker",
        "partner",
        lambda n: {"pk": owners_case(n).pk, "transfer": owners_onward(n).pk},
    ),
    # An assisted voluntary return (``owners_return``: one asked of IOM from the owner's case).
    "cases:return_request": ("case_worker", "partner", lambda n: {"pk": owners_case(n).pk}),
    "cases:return_answer": (
        "case_worker",
        "partner",
        lambda n: {"pk": owners_case(n).pk, "item": owners_return(n).pk},
    ),
    "cases:return_documents": (
        "case_worker",
        "partner",
        lambda n: {"pk": owners_case(n).pk, "item": owners_return(n).pk},
    ),
    "cases:return_departed": (
        "case_worker",
        "partner",
        lambda n: {"pk": owners_case(n).pk, "item": owners_return(n).pk},
    ),
    "cases:return_arrived": (
        "case_worker",
        "partner",
        lambda n: {"pk": owners_case(n).pk, "item": owners_return(n).pk},
    ),
    "cases:return_reintegration": (
        "case_worker",
        "partner",
        lambda n: {"pk": owners_case(n).pk, "item": owners_return(n).pk},
    ),
    "cases:return_withdraw": (
        "case_worker",
        "partner",
        lambda n: {"pk": owners_case(n).pk, "item": owners_return(n).pk},
    ),
    # Documents: the case's readers keep and download them; the person's record's are the Ufficio Filtro's.
    "cases:document_add": ("case_worker", "partner", lambda n: {"pk": owners_case(n).pk}),
    "cases:document_download": ("case_worker", "partner", lambda n: {"pk": owners_document(n).pk}),
    "cases:document_remove": ("case_worker", "partner", lambda n: {"pk": owners_document(n).pk}),
    "intake:document_add": ("filtro", "lead", lambda n: {"pk": n.person.pk}),
    "cases:case_status": ("case_worker", "partner", lambda n: {"pk": owners_case(n).pk}),
    "cases:case_close": ("case_worker", "partner", lambda n: {"pk": owners_case(n).pk}),
    # A transfer is opened by the user it was sent to, and by nobody else.
    "cases:transfer": ("case_worker", "partner", lambda n: {"pk": transfer_to_owner(n).pk}),
    # The case's path (``owners_path``: records on the owner's case). Legal records need a legal or case-manager seat.
    "cases:goal_add": ("case_worker", "partner", lambda n: {"pk": owners_case(n).pk}),
    "cases:action_add": ("case_worker", "partner", lambda n: {"pk": owners_case(n).pk, "goal": owners_path(n).goal.pk}),
    "cases:action_done": (
        "case_worker",
        "partner",
        lambda n: {"pk": owners_case(n).pk, "action": owners_path(n).action.pk},
    ),
    "cases:plan_review": ("case_worker", "partner", lambda n: {"pk": owners_case(n).pk}),
    "cases:plan_history": ("case_worker", "partner", lambda n: {"pk": owners_case(n).pk}),
    "cases:appointment_add": ("case_worker", "partner", lambda n: {"pk": owners_case(n).pk}),
    "cases:service_add": ("case_worker", "partner", lambda n: {"pk": owners_case(n).pk}),
    "cases:service_list": ("case_worker", "partner", lambda n: {"pk": owners_case(n).pk}),
    "cases:activity_add": ("case_worker", "partner", lambda n: {"pk": owners_case(n).pk}),
    "cases:activity_update": (
        "case_worker",
        "partner",
        lambda n: {"pk": owners_case(n).pk, "activity": owners_path(n).activity.pk},
    ),
    "cases:permit_timeline": ("case_worker", "partner", lambda n: {"pk": owners_case(n).pk}),
    "cases:permit_apply": ("legal", "partner", lambda n: {"pk": owners_case(n).pk}),
    "cases:permit_issue": (
        "legal",
        "partner",
        lambda n: {"pk": owners_case(n).pk, "permit": owners_path(n).applied.pk},
    ),
    "cases:permit_refuse": (
        "legal",
        "partner",
        lambda n: {"pk": owners_case(n).pk, "permit": owners_path(n).applied.pk},
    ),
    "cases:permit_follow": (
        "legal",
        "partner",
        lambda n: {"pk": owners_case(n).pk, "permit": owners_path(n).issued.pk},
    ),
    "cases:matter_open": ("legal", "partner", lambda n: {"pk": owners_case(n).pk}),
    "cases:matter_close": ("legal", "partner", lambda n: {"pk": owners_case(n).pk, "matter": owners_path(n).matter.pk}),
    "cases:hearing_add": ("legal", "partner", lambda n: {"pk": owners_case(n).pk, "matter": owners_path(n).matter.pk}),
    # A person's safety flags: whoever keeps her (here, her case team) raises, asks to lift, approves another's ask.
    "cases:flag_raise": ("case_worker", "partner", lambda n: {"person": owners_case(n).person_id}),
    "cases:flag_lift_request": (
        "case_worker",
        "partner",
        lambda n: {"person": owners_case(n).person_id, "flag": owners_flags(n).raised.pk},
    ),
    "cases:flag_lift_approve": (
        "case_worker",
        "partner",
        lambda n: {"person": owners_case(n).person_id, "flag": owners_flags(n).asked.pk},
    ),
    # Case conferences from the case page, for the case team; an action is marked done by its owner.
    "conferences:case_conferences": ("case_worker", "partner", lambda n: {"pk": owners_case(n).pk}),
    "conferences:case_conference_create": ("case_worker", "partner", lambda n: {"pk": owners_case(n).pk}),
    "conferences:conference_action_done": ("case_worker", "partner", lambda n: {"pk": owners_conference_action(n).pk}),
    "conferences:case_conference_ics": (
        "case_worker",
        "partner",
        lambda n: {"pk": owners_case(n).pk, "conference_pk": owners_conference_action(n).conference_id},
    ),
    "conferences:case_conference_decisions": (
        "case_worker",
        "partner",
        lambda n: {"pk": owners_case(n).pk, "conference_pk": owners_conference_action(n).conference_id},
    ),
    # The programme's list of service types: the lead entity's coordinators (another programme's: 404).
    "cases:service_type_edit": ("coordinator", "lead", lambda n: {"pk": programme_service_type(n).pk}),
    "cases:service_type_active": ("coordinator", "lead", lambda n: {"pk": programme_service_type(n).pk}),
    # Funder reports belong to the programme; the lead entity's coordinators work on them.
    "reports:funder_detail": ("coordinator", "lead", lambda n: {"pk": funder_report(n).pk}),
    "reports:funder_file": ("coordinator", "lead", lambda n: {"pk": funder_report(n).pk, "fmt": "pdf"}),
    "reports:funder_approve": ("coordinator", "lead", lambda n: {"pk": funder_report(n).pk}),
    "reports:funder_refresh": ("coordinator", "lead", lambda n: {"pk": funder_report(n).pk}),
    "reports:funder_discard": ("coordinator", "lead", lambda n: {"pk": funder_report(n).pk}),
    # The directory and its protocols belong to the programme: every member reads them, the lead entity's
    # coordinators change them (tests/directory/test_directory_pages.py); another programme's users: 404.
    "directory:body_detail": ("coordinator", "lead", lambda n: {"pk": directory_of(n).questura.pk}),
    "directory:body_edit": ("coordinator", "lead", lambda n: {"pk": directory_of(n).questura.pk}),
    "directory:referent_remove": (
        "coordinator",
        "lead",
        lambda n: {"pk": directory_of(n).commissione.pk, "referent": directory_of(n).referent.pk},
    ),
    "directory:protocol_detail": ("coordinator", "lead", lambda n: {"pk": directory_of(n).protocol.pk}),
    "directory:protocol_edit": ("coordinator", "lead", lambda n: {"pk": directory_of(n).protocol.pk}),
    "directory:protocol_document": ("coordinator", "lead", lambda n: {"pk": directory_of(n).protocol.pk}),
    "directory:obligation_remove": (
        "coordinator",
        "lead",
        lambda n: {"pk": directory_of(n).protocol.pk, "obligation": directory_of(n).obligation.pk},
    ),
    # A governance table and its meetings: the lead coordinators and the table's convenor run them, its members read
    # them, a colleague who does not sit at it and another programme's users: 404 (tests/governance/).
    "governance:table_detail": ("coordinator", "lead", lambda n: {"pk": governance_of(n).table.pk}),
    "governance:table_edit": ("coordinator", "lead", lambda n: {"pk": governance_of(n).table.pk}),
    "governance:meeting_new": ("coordinator", "lead", lambda n: {"pk": governance_of(n).table.pk}),
    "governance:meeting_detail": ("coordinator", "lead", lambda n: {"pk": governance_of(n).meeting.pk}),
    "governance:meeting_record": ("coordinator", "lead", lambda n: {"pk": governance_of(n).meeting.pk}),
    "governance:meeting_ics": ("coordinator", "lead", lambda n: {"pk": governance_of(n).meeting.pk}),
    "governance:minutes_pdf": ("coordinator", "lead", lambda n: {"pk": governance_of(n).meeting.pk}),
    "governance:action_done": ("coordinator", "lead", lambda n: {"pk": governance_of(n).action.pk}),
    # Training events belong to the programme: every member reads them, the lead entity's coordinators and the
    # organiser's keep them (tests/training/test_event_pages.py); another programme's users: 404.
    "training:event_detail": ("coordinator", "lead", lambda n: {"pk": training_of(n).event.pk}),
    "training:event_edit": ("coordinator", "lead", lambda n: {"pk": training_of(n).event.pk}),
    "training:event_material": ("coordinator", "lead", lambda n: {"pk": training_of(n).event.pk}),
    "training:participation_remove": (
        "coordinator",
        "lead",
        lambda n: {"pk": training_of(n).event.pk, "participation": training_of(n).typed.pk},
    ),
    # A background export is its requester's alone (the owner asked for it).
    "reports:job_detail": ("coordinator", "lead", lambda n: {"pk": export_job(n).pk}),
    "reports:job_download": ("coordinator", "lead", lambda n: {"pk": export_job(n).pk}),
}
# Pages every member of the managing organisation may open, whatever their role.
MEMBERS_MAY_OPEN = {
    "shelter:structure_detail",
    "outreach:referral_detail",  # the referral's status only
    "directory:body_detail",
    "directory:protocol_detail",
    "directory:protocol_document",
    "training:event_detail",
    "training:event_material",
}
# What the owner's POST carries, so that it succeeds.
POST_BODIES = {
    "intake:referral_attach": lambda n: {"person": n.person.pk},
    "reports:funder_approve": lambda n: {"figures_hash": n.report.figures_hash, "confirm": "on"},
    "cases:flag_raise": lambda n: {"kind": "health_risk", "next": "/cases/"},
    "cases:flag_lift_request": lambda n: {"reason": "Il pericolo è passato", "next": "/cases/"},
}
# Object routes that only take POST: the owner's request must not be refused.
POST_ONLY = {
    "outreach:outing_add_contact",
    "outreach:outing_add_headcount",
    "outreach:contact_delete",
    "intake:referral_attach",
    "intake:referral_take",
    "intake:consent",
    "intake:exit_record",
    "shelter:placement_move",
    "shelter:placement_end",
    "shelter:diary_add",
    "cases:case_assign",
    "cases:team_add",
    "cases:team_remove",
    "cases:transfer_request",
    "cases:transfer_revoke",
    "cases:note_add",
    "cases:onward_send",
    "cases:onward_answer",
    "cases:onward_arrived",
    "cases:onward_follow_up",
    "cases:return_request",
    "cases:return_answer",
    "cases:return_documents",
    "cases:return_departed",
    "cases:return_arrived",
    "cases:return_reintegration",
    "cases:return_withdraw",
    "cases:continue_case",
    "cases:document_remove",
    "cases:case_status",
    "cases:case_close",
    "cases:action_done",
    "cases:flag_raise",
    "cases:flag_lift_request",
    "cases:flag_lift_approve",
    "conferences:conference_action_done",
    "cases:permit_refuse",
    "cases:service_type_active",
    "reports:funder_approve",
    "reports:funder_refresh",
    "reports:funder_discard",
    "directory:referent_remove",
    "directory:obligation_remove",
    "governance:action_done",
    "training:participation_remove",
}
# Pages with no object of an organisation (lists are scoped; actions are POST-only or role-gated).
COLLECTION_ROUTES = {
    "core:home": {},
    # The outreach app's queue, sent under the session: tests/api/test_outreach_page_sync.py.
    "outreach_sync": {},
    # The offline app's key, hers (tests/outreach/test_offline_app.py).
    "outreach:offline_key": {},
    # The public site's texts: the lead entity's coordinators (tests/public/test_texts_editing.py).
    "public_texts:languages": {},
    "public_texts:edit": {"language": "fr"},
    "public_texts:leaflets": {},
    "public_texts:desks": {},
    "public_texts:desk_new": {},
    "public_texts:desk_edit": {"pk": 1},  # the public site's desks are the network's, not an organisation's
    "public_texts:desk_remove": {"pk": 1},
    "accounts:two_factor": {},
    "accounts:logout": {},
    "accounts:logout_everywhere": {},
    "accounts:switch": {},
    "accounts:my_account": {},
    "accounts:revoke_token": {"pk": 1},
    "accounts:notice_emails": {},  # POST only; a role no notice reaches: 403
    "accounts:notice_read": {"pk": 1},  # POST only; her own notices alone, 404 otherwise
    "accounts:users": {},
    "accounts:deactivate": {"pk": 1},
    "accounts:add_role": {"pk": 1},  # a user of the administrator's organisation: 404 otherwise
    "accounts:grants": {},  # the acting programme's pending grants: lead coordinators, 403 otherwise
    "accounts:grant_approve": {"pk": 1},
    "accounts:grant_reject": {"pk": 1},
    "network:programme_list": {},
    "network:programme_detail": {"code": "P-1"},
    "network:budgets": {},  # the acting programme's partners' budgets: lead coordinators and administrators
    "network:targets": {},  # the acting programme's targets: lead coordinators and administrators
    "network:partners": {},  # the acting programme's partners and their dates: lead coordinators and administrators
    # Setting the network up: lead coordinators and administrators, 403 otherwise (tests/network/test_set_up.py).
    "network:new_edition": {},
    "network:edition": {},  # the acting edition only
    "network:change_co_funding": {"line_pk": 1},  # a line of the acting edition: 404 otherwise
    "network:remove_co_funding": {"pk": 1},  # a line of the acting edition: 404 otherwise
    "network:organisations": {},
    "network:areas": {},
    "network:materials": {},
    "shelter:structure_new": {},  # added to the acting edition
    "shelter:structure_settings": {"code": "S-ALFA"},  # lead coordinators and administrators; 404 out of scope
    "shelter:structure_list": {},
    "audit:log": {},
    "audit:export": {},
    # The register of processing activities (GDPR art. 30): the DPO's, 403 otherwise (tests/platform/).
    "audit:processing_record": {},
    "audit:processing_record_pdf": {},
    # A person's request of access: the controller's DPO produces her file, 403 otherwise (tests/intake/).
    "access:request": {},
    # Requests of erasure: the DPO records, a lead coordinator decides; 403 otherwise, 404 out of scope (tests/intake/)
    "access:erasure_requests": {},
    "access:erasure_decide": {"pk": 1},
    # The retention schedule: the lead entity's DPO and coordinators; 403 otherwise (tests/intake/)
    "access:retention": {},
    "outreach:index": {},
    "outreach:outing_create": {},
    "outreach:outing_offline": {},  # an outing made on the phone: a page of empty forms (docs/offline.md)
    "outreach:person_code": {},
    "outreach:contact_list": {},
    "outreach:contact_create": {"channel": "indoor"},
    "outreach:referral_list": {},
    "outreach:referral_create": {},
    "outreach:counts": {},
    "outreach:import": {},
    "outreach:import_template": {"kind": "contacts"},
    "outreach:export": {"kind": "contacts", "fmt": "csv"},
    "intake:queue": {},
    "intake:person_list": {},
    "intake:person_create": {},
    "intake:records_export": {},
    "shelter:board": {},
    "shelter:waiting_list": {},
    "shelter:alerts": {},
    "shelter:night_entry": {},  # the educator's own emergency structures only (tests/shelter/test_night_entry.py)
    "shelter:occupancy": {},
    "reports:summary": {},
    "cases:case_list": {},  # the cases the user sees; 403 for roles without cases
    "cases:my_work": {},
    # Break-glass: the form of the case roles, the DPO's review of every access (tests/cases/test_break_glass.py).
    "cases:emergency_open": {},
    "cases:break_glass_review": {},
    # Removed documents waiting for the purge: the lead entity's DPO, 403 otherwise (tests/cases/test_document_removal).
    "cases:removed_documents": {},
    "cases:document_purge": {"pk": 1},  # a removed document of the acting programme: 404 otherwise
    # Continuation in the next edition: lead coordinators of both editions (tests/reports/test_summary_crossing.py).
    "cases:continue_list": {},
    "cases:continue_case": {"pk": 1},  # an open case of an edition before the acting one she coordinates: 404 otherwise
    "cases:service_types": {},  # the acting programme's list: lead coordinators and administrators, 403 otherwise
    "reports:dashboard": {},
    "reports:drilldown": {},
    "reports:funder_list": {},
    "reports:funder_prepare": {},
    "reports:job_list": {},
    "reports:job_create": {},
    # Services delivered and the records behind them: scoped to the user's organisations (404 outside them).
    "reports:reimbursement": {},
    "reports:reimbursement_deliveries": {},
    # Exports that leave the network: the whole programme's, for the lead entity's coordinators (403 otherwise).
    "reports:publication": {},
    "reports:htcds": {},
    # The on-call roster of the acting edition: planned by the lead entity, read by the Ufficio Filtro (403 otherwise).
    "oncall:roster": {},
    "oncall:roster_print": {},
    "oncall:roster_ical": {},
    "oncall:shift_remove": {"pk": 1},  # a shift of the acting edition: 404 otherwise
    # The directory of the acting programme and its protocols: every member reads, lead coordinators add.
    "directory:body_list": {},
    "directory:body_print": {},
    "directory:export_csv": {},
    "directory:export_vcard": {},
    "directory:body_new": {},
    "directory:protocol_list": {},
    "directory:protocol_new": {},
    # The governance tables the user sits at (a coordinator: every one), a lead coordinator adds one (403 otherwise);
    # her private calendar address.
    "governance:table_list": {},
    "governance:table_new": {},
    "governance:calendar": {},
    # Training and awareness of the acting programme: every member reads, coordinators add.
    "training:event_list": {},
    "training:export_csv": {},
    "training:event_new": {},
}
# API routes of one organisation's object: the role that reads it, and kwargs naming the partner's object
# (``n``: the network plus the partner's outreach records of ``partner_records``).
API_OBJECT_ROUTES = {
    "/api/v1/structures/{code}": ("shelter", lambda n: {"code": n.structure.code}),
    "/api/v1/contacts/{id}": ("outreach", lambda n: {"id": n.contact.pk}),
    "/api/v1/accesses/{id}": ("outreach", lambda n: {"id": n.access.pk}),
    "/api/v1/outings/{id}": ("outreach", lambda n: {"id": n.outing.pk}),
    "/api/v1/outings/{id}/contacts": ("outreach", lambda n: {"id": n.outing.pk}),
    "/api/v1/referrals/{id}": ("outreach", lambda n: {"id": n.referral.pk}),
}
# The Ufficio Filtro's programme-wide records (the outsider is the Filtro of another programme).
API_PROGRAMME_ROUTES = {
    "/api/v1/persons/{id}": lambda n: {"id": n.person.pk},
    "/api/v1/persons/{id}/consents": lambda n: {"id": n.person.pk},
    "/api/v1/persons/{id}/screenings": lambda n: {"id": n.person.pk},
    "/api/v1/persons/{id}/decisions": lambda n: {"id": n.person.pk},
    "/api/v1/persons/{id}/national-record": lambda n: {"id": n.person.pk},
    "/api/v1/screenings/{id}": lambda n: {"id": n.screening.pk},
    "/api/v1/placements/{id}": lambda n: {"id": n.placement.pk},
}
# Bodies of the object routes that are not GET (the owner's call must succeed).
API_OBJECT_BODIES = {("/api/v1/outings/{id}/contacts", "POST"): {"programme": "P-1", "headcount": 2}}
# Funder reports: the lead entity's coordinators (the outsider is the lead's coordinator of another programme).
API_LEAD_COORDINATOR_ROUTES = {
    "/api/v1/reports/funder/{id}": lambda n: {"id": funder_report(n).pk},
    "/api/v1/reports/funder/{id}/approve": lambda n: {"id": funder_report(n).pk},
}
# Case routes: a case is seen by its team and by the programme's Ufficio Filtro (``n``: ``case_records``).
# path → (owner, refused, kwargs, body of a call that is not GET): the owner's call succeeds; ``refused`` (a role
# without cases, or a seat on the team without the permission) gets 403; a colleague of the same organisation off
# the team and a case worker of another partner get 404, with the body of a missing record.
API_CASE_ROUTES = {
    "/api/v1/cases/{id}": ("manager", "coordinator", lambda n: {"id": n.case.pk}, None),
    "/api/v1/cases/{id}/paths": ("manager", "coordinator", lambda n: {"id": n.case.pk}, None),
    "/api/v1/cases/{id}/assign": (
        "filtro",
        "manager",
        lambda n: {"id": n.case.pk},
        lambda n: {"case_manager": "colleague"},
    ),
    "/api/v1/cases/{id}/team": (
        "manager",
        "educator",
        lambda n: {"id": n.case.pk},
        lambda n: {"user": "colleague", "role": "case_worker"},
    ),
    "/api/v1/cases/{id}/team/{seat_id}": (
        "manager",
        "educator",
        lambda n: {"id": n.case.pk, "seat_id": n.seat.pk},
        None,
    ),
    "/api/v1/cases/{id}/transfers": (
        "manager",
        "legal",
        lambda n: {"id": n.case.pk},
        lambda n: {"to_user": "receiver", "reason": "Si trasferisce a Como"},
    ),
    "/api/v1/transfers/{id}/accept": (
        "receiver",
        "coordinator",
        lambda n: {"id": pending_transfer(n).pk},
        lambda n: {},
    ),
    "/api/v1/transfers/{id}/reject": (
        "receiver",
        "coordinator",
        lambda n: {"id": pending_transfer(n).pk},
        lambda n: {"answer": "Non abbiamo posti"},
    ),
    "/api/v1/transfers/{id}/revoke": ("manager", "legal", lambda n: {"id": pending_transfer(n).pk}, lambda n: {}),
    "/api/v1/cases/{id}/status": (
        "manager",
        "educator",
        lambda n: {"id": n.case.pk},
        lambda n: {"status": "suspended"},
    ),
    "/api/v1/cases/{id}/close": (
        "manager",
        "legal",
        lambda n: {"id": n.case.pk},
        lambda n: {"date": timezone.localdate().isoformat(), "outcome": "autonomy"},
    ),
    "/api/v1/cases/{id}/notes": (
        "manager",
        "coordinator",
        lambda n: {"id": n.case.pk},
        lambda n: {"date": "2024-03-01", "text": "Colloquio"},
    ),
    "/api/v1/cases/{id}/goals": (
        "manager",
        "coordinator",
        lambda n: {"id": n.case.pk},
        lambda n: {"domain": "work", "description": "Cercare lavoro"},
    ),
    "/api/v1/goals/{id}/actions": (
        "manager",
        "coordinator",
        lambda n: {"id": n.goal.pk},
        lambda n: {"description": "Curriculum", "owner": "manager", "due": "2024-04-01"},
    ),
    "/api/v1/actions/{id}/done": (
        "manager",
        "coordinator",
        lambda n: {"id": n.action.pk},
        lambda n: {"date": "2024-03-05"},
    ),
    "/api/v1/cases/{id}/reviews": (
        "manager",
        "coordinator",
        lambda n: {"id": n.case.pk},
        lambda n: {"date": "2024-03-10", "summary": "Procede", "progress": [{"goal": n.goal.pk, "status": "open"}]},
    ),
    "/api/v1/cases/{id}/appointments": (
        "manager",
        "coordinator",
        lambda n: {"id": n.case.pk},
        lambda n: {"starts_at": "2024-03-12T10:00", "title": "Colloquio"},
    ),
    "/api/v1/cases/{id}/services": (
        "manager",
        "coordinator",
        lambda n: {"id": n.case.pk},
        lambda n: {"service_type": "interview", "date": "2024-03-01"},
    ),
    "/api/v1/cases/{id}/activities": (
        "manager",
        "coordinator",
        lambda n: {"id": n.case.pk},
        lambda n: {"kind": "housing", "start": "2024-03-01", "housing": "own_rental"},
    ),
    "/api/v1/activities/{id}": (
        "manager",
        "coordinator",
        lambda n: {"id": n.activity.pk},
        lambda n: {"completed": True},
    ),
    "/api/v1/cases/{id}/permits": (
        "legal",
        "educator",
        lambda n: {"id": n.case.pk},
        lambda n: {"type": "art18_judicial", "application_date": "2024-03-01", "questura": "Milano"},
    ),
    "/api/v1/permits/{id}/issue": (
        "legal",
        "educator",
        lambda n: {"id": n.permit.pk},
        lambda n: {"issue_date": "2024-04-01", "expiry": "2024-10-01"},
    ),
    "/api/v1/permits/{id}/refuse": ("legal", "educator", lambda n: {"id": n.permit.pk}, lambda n: {}),
    "/api/v1/cases/{id}/legal-matters": (
        "legal",
        "educator",
        lambda n: {"id": n.case.pk},
        lambda n: {"kind": "complaint", "date": "2024-02-15", "authority": "Questura di Milano"},
    ),
    "/api/v1/legal-matters/{id}/close": (
        "legal",
        "educator",
        lambda n: {"id": n.matter.pk},
        lambda n: {"outcome": "Archiviato"},
    ),
    "/api/v1/legal-matters/{id}/hearings": (
        "legal",
        "educator",
        lambda n: {"id": n.matter.pk},
        lambda n: {"starts_at": "2024-06-03T09:30", "place": "Tribunale di Milano"},
    ),
}
# Reference data shared by the whole network (no organisation owns it).
API_SHARED_OBJECT_ROUTES = {"/api/v1/programmes/{code}"}


def _names(resolver: URLResolver, namespace: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


PAGE_NAMES = sorted({n for n in _names(get_resolver()) if not n.startswith("api:")})

STRICT_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def assert_strict_csp(response) -> None:
    """No inline script, handler or style, nothing from elsewhere, no framing, forms post to Approdi only."""
    policy = response.headers.get("Content-Security-Policy", "")
    directives = dict((part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip())
    assert {k: directives.get(k) for k in STRICT_POLICY} == STRICT_POLICY, (response.wsgi_request.path, policy)
    assert "unsafe" not in policy, policy


PUBLIC_API_PATHS: set[str] = set()


def test_public_routes_answer_without_signing_in(network):
    for url in (
        "/accounts/login/",
        "/accounts/password-reset/",
        "/healthz",
        "/api/v1/openapi.json",
        "/api/v1/docs",
        "/help/",
        "/help/ar/",
        "/help/ar/ask/",
        "/today/",
        "/outreach/sw.js",
        "/outreach/manifest.webmanifest",
    ):
        response = Client().get(url)
        assert response.status_code == 200, url
        assert_strict_csp(response)


def api_paths() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return sorted((path, method.upper()) for path, item in schema["paths"].items() for method in item)


def test_every_page_is_classified():
    unknown = set(PAGE_NAMES) - PUBLIC - set(OBJECT_ROUTES) - set(COLLECTION_ROUTES)
    assert not unknown, f"new pages need a permission test entry here: {sorted(unknown)}"


@pytest.mark.parametrize("name", sorted(set(PAGE_NAMES) - PUBLIC))
def test_anonymous_is_sent_to_sign_in(name, network, make_user):
    if name in OBJECT_ROUTES:
        kwargs = OBJECT_ROUTES[name][2](
            records(network, make_user("anyone", network.partner, "outreach", network.programme))
        )
    else:
        kwargs = COLLECTION_ROUTES[name]
    url = reverse(name, kwargs=kwargs)
    for method in ("get", "post"):
        response = getattr(Client(), method)(url)
        if JSON_DOORS.get(name) == method:
            assert response.status_code == 401, (name, response.status_code)
            continue
        assert response.status_code in (302, 405), (name, method, response.status_code)
        assert_strict_csp(response)
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("accounts:login")), (name, method)


@pytest.mark.parametrize("name", sorted(COLLECTION_ROUTES))
def test_signed_in_pages_carry_the_content_security_policy(name, network, make_user):
    coordinator = make_user("coordinator", network.lead, "coordinator", network.programme)
    response = verified_client(coordinator).get(reverse(name, kwargs=COLLECTION_ROUTES[name]))
    assert response.status_code < 500, (name, response.status_code)
    assert_strict_csp(response)


@pytest.mark.parametrize("name", sorted(OBJECT_ROUTES))
def test_outsider_gets_404_like_a_missing_object(name, network, people, make_user):
    role, home, kwargs_of = OBJECT_ROUTES[name]
    trio = people(role, at=network.lead if home == "lead" else network.partner)
    outsider = trio.outsider
    if home == "lead":  # the Ufficio Filtro's records belong to the programme
        outsider = make_user(f"{role}-elsewhere", network.lead, role, network.other_programme)
    found = records(network, trio.owner)
    kwargs = kwargs_of(found)
    url = reverse(name, kwargs=kwargs)
    method = "post" if name in POST_ONLY else "get"
    body = POST_BODIES[name](found) if name in POST_BODIES else {}
    owner_answer = getattr(verified_client(trio.owner), method)(url, body)
    assert owner_answer.status_code in (200, 302), owner_answer.status_code
    assert_strict_csp(owner_answer)
    if name not in MEMBERS_MAY_OPEN:
        assert getattr(verified_client(trio.member), method)(url).status_code in (403, 404)
    refused = getattr(verified_client(outsider), method)(url)
    assert refused.status_code == 404
    assert_strict_csp(refused)
    missing_kwargs = {
        k: (987654321 if k == "pk" else "DOES-NOT-EXIST") if k in ("pk", "code") else v for k, v in kwargs.items()
    }
    missing = getattr(verified_client(outsider), method)(reverse(name, kwargs=missing_kwargs))
    assert missing.status_code == 404 and page_body(missing) == page_body(refused)


def page_body(response) -> str:
    """The answer without what differs between any two requests: CSRF tokens and the request's own path."""
    text = response.content.decode().replace(response.wsgi_request.path, "PATH")
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', r"\1", text)


def test_every_api_route_is_classified():
    object_paths = {p for p, _ in api_paths() if "{" in p}
    unknown = (
        object_paths
        - set(API_OBJECT_ROUTES)
        - set(API_PROGRAMME_ROUTES)
        - set(API_LEAD_COORDINATOR_ROUTES)
        - set(API_CASE_ROUTES)
        - API_SHARED_OBJECT_ROUTES
    )
    assert not unknown, f"new API routes need a permission test entry here: {sorted(unknown)}"


@pytest.mark.parametrize(("path", "method"), api_paths())
def test_api_without_token_is_401(path, method, network):
    if path in PUBLIC_API_PATHS:
        pytest.skip("API documentation is public")
    url = path.format(code="S-ALFA", id=1, seat_id=1)
    response = getattr(Client(), method.lower())(url, content_type="application/json")
    assert response.status_code == 401, (path, method)
    assert response.json()["error"]["code"] == "unauthenticated"


@pytest.mark.parametrize(("path", "method"), api_paths())
def test_api_with_bad_token_is_401(path, method, network):
    url = path.format(code="S-ALFA", id=1, seat_id=1)
    response = getattr(Client(), method.lower())(url, HTTP_AUTHORIZATION="Bearer apd_not-a-real-token")
    assert response.status_code == 401


def partner_records(network, owner) -> SimpleNamespace:
    """The network plus one outreach record of each kind owned by the partner organisation."""
    from approdi.outreach.models import Contact, Outing, Referral

    common = {"programme": network.programme, "organisation": network.partner, "date": date(2024, 3, 1)}
    with scopes_disabled():
        outing = Outing.objects.create(**common, team="Unità 1", shift="night", area=network.area, created_by=owner)
        return SimpleNamespace(
            **vars(network),
            outing=outing,
            contact=Contact.objects.create(**common, channel="street", outing=outing, created_by=owner),
            access=Contact.objects.create(**common, channel="drop_in", created_by=owner),
            referral=Referral.objects.create(**common, source_type="police", created_by=owner),
        )


def records(network, owner) -> SimpleNamespace:
    """``partner_records`` plus a person of the programme with a screening (the Ufficio Filtro's records)."""
    from approdi.intake.models import IndicatorList, Screening
    from approdi.people.models import Person

    found = partner_records(network, owner)
    with scopes_disabled():
        found.person = Person.objects.create(
            programme=network.programme,
            organisation=network.lead,
            code="AP-TESTA-TESTA",
            given_name="Ada",
            created_by=owner,
        )
        indicator_list = IndicatorList.objects.get_or_create(
            code="adult_sexual", version=99, defaults={"source": "test", "is_current": False}
        )[0]
        found.screening = Screening.objects.create(
            person=found.person,
            indicator_list=indicator_list,
            dimensions={},
            rule_presumed_victim=False,
            explanation="-",
            conclusion="unclear",
            created_by=owner,
        )
        from approdi.shelter.models import Bed, Placement, PlacementRequest

        bed = Bed.objects.get_or_create(structure=network.structure, label="1")[0]
        found.placement = Placement.objects.create(
            programme=network.programme,
            person=found.person,
            bed=bed,
            structure=network.structure,
            stage="first",
            start=date(2024, 3, 1),
        )
        waiting = Person.objects.create(
            programme=network.programme, organisation=network.lead, code="AP-TESTB-TESTB", created_by=owner
        )
        found.request = PlacementRequest.objects.create(programme=network.programme, person=waiting, stage="first")
    found.owner = owner
    return found


def funder_report(n) -> "FunderReport":  # noqa: F821 - imported inside
    """A draft funder report of the programme, prepared by another coordinator of the lead entity (made once)."""
    if not hasattr(n, "report"):
        from approdi.accounts.models import User
        from approdi.reports.funder.approval import figures_digest
        from approdi.reports.funder.summary import funder_summary
        from approdi.reports.models import FunderReport

        figures = funder_summary(programme=n.programme, start=date(2024, 3, 1), end=date(2024, 3, 31))
        with scopes_disabled():
            n.report = FunderReport.objects.create(
                programme=n.programme,
                start=date(2024, 3, 1),
                end=date(2024, 3, 31),
                figures=figures,
                figures_hash=figures_digest(figures),
                language="it",
                prepared_by=User.objects.create_user(username="coordinator-preparer"),
                prepared_at=timezone.now(),
            )
    return n.report


def export_job(n) -> "ExportJob":  # noqa: F821 - imported inside
    """A finished background export of the owner (made once)."""
    if not hasattr(n, "job"):
        from approdi.reports.models import ExportJob

        with scopes_disabled():
            n.job = ExportJob.objects.create(
                requested_by=n.owner,
                membership=n.owner.memberships.get(programme=n.programme),
                programme=n.programme,
                kind="summary",
                fmt="csv",
                language="it",
                status="done",
                content=b"key,label,value\n",
                size=16,
                filename="approdi-summary.csv",
                finished_at=timezone.now(),
                expires_at=timezone.now() + timedelta(hours=1),
            )
    return n.job


@pytest.mark.parametrize(("path", "method"), [(p, m) for p, m in api_paths() if p in API_OBJECT_ROUTES])
def test_api_outsider_gets_404(path, method, network, people):
    from approdi.accounts.services import issue_token

    role, kwargs = API_OBJECT_ROUTES[path]
    trio = people(role)
    url = path.format(**kwargs(partner_records(network, trio.owner)))
    _, owner_key = issue_token(user=trio.owner)
    _, outsider_key = issue_token(user=trio.outsider)
    body = API_OBJECT_BODIES.get((path, method))

    def call(url, key):
        if method == "GET":
            return Client().get(url, HTTP_AUTHORIZATION=f"Bearer {key}")
        return getattr(Client(), method.lower())(
            url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
        )

    answer = call(url, owner_key)
    assert answer.status_code == (200 if method == "GET" else 201)
    assert_strict_csp(answer)
    refused = call(url, outsider_key)
    assert refused.status_code == 404
    missing = call(path.format(code="NOPE", id=987654321), owner_key)
    assert refused.json() == missing.json()


@pytest.mark.parametrize(("path", "method"), [(p, m) for p, m in api_paths() if p in API_PROGRAMME_ROUTES])
def test_api_filtro_of_another_programme_gets_404(path, method, network, make_user):
    from approdi.accounts.services import issue_token

    owner = make_user("filtro-here", network.lead, "filtro", network.programme)
    elsewhere = make_user("filtro-elsewhere", network.lead, "filtro", network.other_programme)
    member = make_user("coordinator-here", network.lead, "coordinator", network.programme)
    url = path.format(**API_PROGRAMME_ROUTES[path](records(network, owner)))
    keys = {user: issue_token(user=user)[1] for user in (owner, elsewhere, member)}

    def call(url, user):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {keys[user]}"}
        if method == "GET":
            return Client().get(url, **headers)
        return getattr(Client(), method.lower())(
            url, API_PROGRAMME_BODIES[path], content_type="application/json", **headers
        )

    if path.endswith("national-record"):  # the owner reaches the record, which needs the person's consent
        assert call(url, owner).status_code == 400
    else:
        assert call(url, owner).status_code in (200, 201)
    assert call(url, member).status_code == 403
    refused = call(url, elsewhere)
    missing = call(re.sub(r"/\d+", "/987654321", url, count=1), owner)
    assert refused.status_code == 404 and refused.json() == missing.json()


API_PROGRAMME_BODIES = {
    "/api/v1/persons/{id}/consents": {"purpose": "services", "granted": True, "date": "2024-05-01"},
    "/api/v1/persons/{id}/screenings": {"list": "adult_sexual", "indicators": [], "conclusion": "unclear"},
    "/api/v1/persons/{id}/decisions": {"kind": "not_eligible", "reason": "Nessun indicatore."},
}


# An approval is confirmed explicitly, as on the page (tests/reports/test_confirm_what_you_sign.py).
API_LEAD_COORDINATOR_BODIES = {"/api/v1/reports/funder/{id}/approve": {"confirm": True}}


@pytest.mark.parametrize(("path", "method"), [(p, m) for p, m in api_paths() if p in API_LEAD_COORDINATOR_ROUTES])
def test_api_coordinator_of_another_programme_gets_404(path, method, network, make_user):
    from approdi.accounts.services import issue_token

    owner = make_user("coordinator-here", network.lead, "coordinator", network.programme)
    elsewhere = make_user("coordinator-elsewhere", network.lead, "coordinator", network.other_programme)
    member = make_user("case-worker-here", network.lead, "case_worker", network.programme)
    url = path.format(**API_LEAD_COORDINATOR_ROUTES[path](records(network, owner)))
    keys = {user: issue_token(user=user)[1] for user in (owner, elsewhere, member)}

    def call(url, user):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {keys[user]}"}
        if method == "GET":
            return Client().get(url, **headers)
        body = API_LEAD_COORDINATOR_BODIES.get(path, {})
        return getattr(Client(), method.lower())(url, body, content_type="application/json", **headers)

    assert call(url, owner).status_code == 200
    assert call(url, member).status_code == 403
    refused = call(url, elsewhere)
    missing = call(re.sub(r"/\d+", "/987654321", url, count=1), owner)
    assert refused.status_code == 404 and refused.json() == missing.json()


def case_records(world, network, make_user) -> SimpleNamespace:
    """The case world of tests/cases with a goal and its action, an activity, a permit applied for, a criminal
    proceeding, the educator's seat, the person's consent to sharing and a receiver at another partner."""
    from approdi.cases.models import Case
    from approdi.cases.services import integration, legal, plan
    from approdi.intake.services import record_consent
    from approdi.people.models import ConsentPurpose

    n = SimpleNamespace(**vars(world))
    n.receiver = make_user("receiver", network.other, "case_worker", network.programme)
    with acting(world.filtro) as filtro:
        record_consent(
            actor=filtro,
            person=world.person,
            purpose=ConsentPurpose.NETWORK_SHARING,
            granted=True,
            day=timezone.localdate(),
        )
    with acting(world.manager) as manager:
        case = Case.objects.get(pk=world.case.pk)
        n.seat = case.members.get(user=world.educator, removed_at__isnull=True)
        n.goal = plan.add_goal(actor=manager, case=case, domain="language", description="Livello A2")
        n.action = plan.add_action(
            actor=manager, goal=n.goal, description="Iscrizione al CPIA", owner=manager, due=date(2024, 4, 1)
        )
        n.activity = integration.record_activity(
            actor=manager, case=case, kind="housing", start=date(2024, 3, 1), housing="shared_flat"
        )
    with acting(world.legal) as advisor:
        n.permit = legal.apply_for_permit(
            actor=advisor, case=case, type="art18_social", application_date=date(2024, 3, 1), questura="Milano"
        )
        n.matter = legal.open_matter(
            actor=advisor, case=case, kind="criminal_proceeding", day=date(2024, 2, 15), authority="Procura di Milano"
        )
    return n


def pending_transfer(n):
    """The case proposed to the receiver (made once)."""
    if not hasattr(n, "transfer"):
        from approdi.cases.models import Case
        from approdi.cases.services.case import request_transfer

        with acting(n.manager) as manager:
            case = Case.objects.get(pk=n.case.pk)
            n.transfer = request_transfer(actor=manager, case=case, to_user=n.receiver, reason="Si trasferisce")
    return n.transfer


@pytest.mark.parametrize(("path", "method"), [(p, m) for p, m in api_paths() if p in API_CASE_ROUTES])
def test_api_case_routes_answer_the_team_alone(path, method, case_world, network, make_user):
    from approdi.accounts.services import issue_token

    owner, refused_role, kwargs_of, body_of = API_CASE_ROUTES[path]
    n = case_records(case_world, network, make_user)
    url = path.format(**kwargs_of(n))
    body = body_of(n) if body_of is not None and method != "GET" else None

    def call(url, name):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user=getattr(n, name))[1]}"}
        if method == "GET":
            return Client().get(url, **headers)
        return getattr(Client(), method.lower())(url, body, content_type="application/json", **headers)

    assert call(url, refused_role).status_code == 403
    assert call(url, "colleague").status_code == 404  # same organisation, not on the team
    refused = call(url, "outsider")
    assert refused.status_code == 404
    answer = call(url, owner)
    assert answer.status_code == {"GET": 200, "DELETE": 204}.get(method, answer.status_code), answer.content
    assert answer.status_code in (200, 201, 204), answer.content
    missing = call(re.sub(r"/\d+", "/987654321", url), owner)
    assert missing.status_code == 404 and refused.json() == missing.json()


def owners_case(n):
    """A case led by the owner's organisation and managed by her, shared with a mediator of another partner,
    with a transfer to that partner waiting for an answer (made once)."""
    if not hasattr(n, "owners_case"):
        from approdi.accounts.models import User
        from approdi.cases.models import Case, TeamMember, Transfer
        from approdi.people.models import Person

        home = n.owner.memberships.get(programme=n.programme).organisation
        away = n.other if home != n.other else n.partner
        mediator = User.objects.create_user(username="case-mediator")
        with scopes_disabled():
            person = Person.objects.create(
                programme=n.programme, organisation=n.lead, code="AP-CASEA-CASEA", created_by=n.owner
            )
            case = Case.objects.create(
                programme=n.programme,
                person=person,
                lead_organisation=home,
                case_manager=n.owner,
                type="territorial",
                start=date(2024, 3, 1),
            )
            TeamMember.objects.create(case=case, user=n.owner, organisation=home, role="case_manager", added_by=n.owner)
            n.shared_seat = TeamMember.objects.create(
                case=case, user=mediator, organisation=away, role="mediator", added_by=n.owner
            )
            n.outgoing_transfer = Transfer.objects.create(
                case=case,
                from_organisation=home,
                to_organisation=away,
                to_user=mediator,
                reason="Si trasferisce",
                requested_by=n.owner,
            )
        n.owners_case = case
    return n.owners_case


def transfer_to_owner(n):
    """A case of another partner proposed to the owner (made once)."""
    if not hasattr(n, "incoming_transfer"):
        from approdi.accounts.models import User
        from approdi.cases.models import Case, Transfer
        from approdi.people.models import Person

        home = n.owner.memberships.get(programme=n.programme).organisation
        away = n.other if home != n.other else n.partner
        sender = User.objects.create_user(username="case-sender")
        with scopes_disabled():
            person = Person.objects.create(
                programme=n.programme, organisation=n.lead, code="AP-CASEB-CASEB", created_by=sender
            )
            case = Case.objects.create(
                programme=n.programme, person=person, lead_organisation=away, type="territorial", start=date(2024, 3, 1)
            )
            n.incoming_transfer = Transfer.objects.create(
                case=case,
                from_organisation=away,
                to_organisation=home,
                to_user=n.owner,
                reason="Si trasferisce",
                requested_by=sender,
            )
    return n.incoming_transfer


def owners_flags(n):
    """On the person of the owner's case: a safety flag raised, and one whose lift the mediator asked for."""
    if not hasattr(n, "flags"):
        from approdi.people.models import SafetyFlag

        case = owners_case(n)
        mediator = n.shared_seat.user
        with scopes_disabled():
            n.flags = SimpleNamespace(
                raised=SafetyFlag.objects.create(person=case.person, kind="exploiters_searching", raised_by=mediator),
                asked=SafetyFlag.objects.create(
                    person=case.person,
                    kind="health_risk",
                    raised_by=mediator,
                    lift_requested_by=mediator,
                    lift_requested_at=timezone.now(),
                    lift_reason="Guarita",
                ),
            )
    return n.flags


def owners_conference_action(n):
    """A case conference on the person of the owner's case, with an action the owner owes (made once)."""
    if not hasattr(n, "conference_action"):
        from approdi.intake.models import CaseConference, FollowUpAction

        case = owners_case(n)
        with scopes_disabled():
            conference = CaseConference.objects.create(
                person=case.person, date=date(2024, 3, 5), decisions="Casa protetta", created_by=n.owner
            )
            n.conference_action = FollowUpAction.objects.create(
                conference=conference, description="Chiamare la Questura", owner=n.owner, due=date(2024, 4, 1)
            )
    return n.conference_action


def owners_onward(n):
    """A transfer of the owner's case to a project of the network, waiting for its answer (made once)."""
    if not hasattr(n, "onward"):
        from approdi.cases.models import ExternalTransfer
        from approdi.directory.models import Body

        case = owners_case(n)
        with scopes_disabled():
            body = Body.objects.create(programme=n.programme, name="Progetto della rete", type="network")
            n.onward = ExternalTransfer.objects.create(case=case, body=body, sent_on=date(2024, 4, 1), sent_by=n.owner)
    return n.onward


def owners_return(n):
    """An assisted voluntary return of the owner's case, asked of IOM and waiting for its answer (made once)."""
    if not hasattr(n, "assisted_return"):
        from approdi.cases.models import AssistedReturn
        from approdi.directory.models import Body

        case = owners_case(n)
        with scopes_disabled():
            body = Body.objects.create(programme=n.programme, name="OIM", type="iom")
            n.assisted_return = AssistedReturn.objects.create(
                case=case, body=body, requested_on=date(2024, 4, 1), requested_by=n.owner
            )
    return n.assisted_return


def owners_document(n):
    """A PDF kept with the owner's case by the owner, for the whole team (made once)."""
    if not hasattr(n, "document"):
        from approdi.cases.models import Document
        from approdi.core import files

        case = owners_case(n)
        with scopes_disabled():
            n.document = Document.objects.create(
                person=case.person,
                case=case,
                kind="permit_copy",
                date=date(2024, 3, 1),
                domain="general",
                confidentiality="team",
                author_role="case_manager",
                content_type="application/pdf",
                size=9,
                stored_as=files.store(b"%PDF-1.4\n"),
                author=n.owner,
            )
    return n.document


def owners_path(n):
    """On the owner's case: a goal with its action, an activity, a permit applied for, an issued one and a
    criminal proceeding (made once)."""
    if not hasattr(n, "path"):
        from approdi.cases.models import Activity, Goal, LegalMatter, Permit, PlanAction

        case = owners_case(n)
        with scopes_disabled():
            goal = Goal.objects.create(case=case, domain="work", description="Lavoro", created_by=n.owner)
            permit = {"case": case, "type": "art18_social", "questura": "Milano", "created_by": n.owner}
            n.path = SimpleNamespace(
                goal=goal,
                action=PlanAction.objects.create(goal=goal, description="CV", owner=n.owner, due=date(2024, 4, 1)),
                activity=Activity.objects.create(
                    case=case, kind="housing", housing="shared_flat", start=date(2024, 3, 1), created_by=n.owner
                ),
                applied=Permit.objects.create(**permit, application_date=date(2024, 3, 1)),
                issued=Permit.objects.create(
                    **permit,
                    application_date=date(2024, 3, 2),
                    status="issued",
                    issue_date=date(2024, 3, 10),
                    expiry=date(2024, 9, 10),
                ),
                matter=LegalMatter.objects.create(
                    case=case,
                    kind="criminal_proceeding",
                    date=date(2024, 3, 1),
                    authority="Procura",
                    created_by=n.owner,
                ),
            )
    return n.path


def directory_of(n):
    """The programme's directory: two bodies, a referent, a protocol with its document and an obligation (made once)."""
    if not hasattr(n, "directory"):
        from approdi.accounts.models import User
        from tests.builders.directory import build_directory

        follower = User.objects.filter(memberships__programme=n.programme).order_by("pk").first()
        n.directory = build_directory(n.programme, follower=follower)
    return n.directory


def governance_of(n):
    """A Tavolo emersione convened by the owner, a meeting held yesterday and an action the owner owes (made once)."""
    if not hasattr(n, "governance"):
        from tests.builders.governance import build_table

        n.governance = build_table(n.programme, convenor=n.owner)
    return n.governance


def training_of(n):
    """A training event of the programme, organised by the lead entity, with participants and material (made once)."""
    if not hasattr(n, "training"):
        from approdi.accounts.models import User
        from approdi.network.models import Organisation
        from tests.builders.training import build_training

        uploader = User.objects.filter(memberships__programme=n.programme).order_by("pk").first()
        organiser = Organisation.objects.get(pk=n.programme.lead_organisation_id)
        n.training = build_training(n.programme, organiser=organiser, uploaded_by=uploader)
    return n.training


def programme_service_type(n):
    """A line of the programme's list of service types (made once)."""
    if not hasattr(n, "service_type"):
        from approdi.cases.models import ServiceType

        with scopes_disabled():
            n.service_type = ServiceType.objects.create(
                programme=n.programme, code="interview", name="Colloquio", unit="session", unit_cost="35.00"
            )
    return n.service_type
