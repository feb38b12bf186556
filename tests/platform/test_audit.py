"""The audit log: who did what, written with the change, searchable by the DPO only, append-only."""

import html
import re

import pytest
from django.db import IntegrityError, InternalError, ProgrammingError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django_scopes import scopes_disabled

from approdi.accounts import services
from approdi.audit.models import AuditEntry
from approdi.audit.services import record
from tests.builders import verified_client

pytestmark = pytest.mark.django_db


def italian(msgid: str) -> str:
    with translation.override("it"):
        return translation.gettext(msgid)


def entries(**filters):
    with scopes_disabled():
        return list(AuditEntry.objects.filter(**filters).order_by("id"))


def test_entries_carry_who_where_and_the_request(network, people):
    trio = people("shelter")
    client = verified_client(trio.owner)
    response = client.get(
        reverse("shelter:structure_detail", args=["S-ALFA"]), HTTP_X_REQUEST_ID="req-42", REMOTE_ADDR="10.1.2.3"
    )
    assert response["X-Request-ID"] == "req-42"
    (entry,) = entries(action="view")
    assert entry.actor == trio.owner and entry.actor_username == "shelter-owner"
    assert entry.organisation == network.partner and entry.programme == network.programme and entry.role == "shelter"
    assert (entry.object_type, entry.object_id) == ("shelter.structure", str(network.structure.pk))
    assert (entry.request_id, entry.ip) == ("req-42", "10.1.2.3")


def test_refused_page_is_audited_as_permission_denied(network, people):
    trio = people("dpo", at=network.lead)
    response = verified_client(trio.member).get(reverse("audit:log"))
    assert response.status_code == 403
    (entry,) = entries(action="denied")
    assert entry.actor == trio.member and entry.object_type == "audit.search_log"


def test_failed_sign_in_of_an_unknown_user_is_kept(network):
    Client().post(reverse("accounts:login"), {"username": "ghost", "password": "x"})
    (entry,) = entries(action="sign_in_failed")
    assert entry.actor is None and entry.actor_username == "ghost" and entry.organisation is None


def test_audit_row_rolls_back_with_the_change(network, make_user):
    user = make_user("marta", network.lead, "filtro", network.programme)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.issue_token(user=user)
        raise RuntimeError("the change fails after its audit row was written")
    assert not entries(object_type="accounts.apitoken")
    assert not user.api_tokens.exists()


def test_token_creation_and_revocation_are_audited(network, make_user):
    user = make_user("marta", network.lead, "filtro", network.programme)
    token, _ = services.issue_token(user=user)
    user.active_membership = user.memberships.get()
    services.revoke_token(actor=user, token=token)
    assert [(e.action, e.fields) for e in entries(object_type="accounts.apitoken")] == [
        ("create", ["expires_at", "name"]),
        ("change", ["revoked_at"]),
    ]


def test_dpo_searches_the_log(network, people):
    trio = people("dpo", at=network.lead)
    Client().post(reverse("accounts:login"), {"username": "ghost", "password": "x"})
    client = verified_client(trio.owner)
    page = client.get(reverse("audit:log"), {"action": "sign_in_failed"})
    assert page.status_code == 200
    assert "ghost" in page.content.decode()
    assert page.context["page"].paginator.count == 1


def test_dpo_of_a_partner_sees_only_their_organisation(network, people, make_user):
    trio = people("dpo")  # at the partner
    intruder = make_user("beta-user", network.other, "shelter", network.programme)
    verified_client(intruder).get(reverse("shelter:structure_detail", args=["S-BETA"]))
    page = verified_client(trio.owner).get(reverse("audit:log"))
    assert "beta-user" not in page.content.decode()


def test_the_dpo_reads_roles_object_types_permissions_and_fields_by_their_names(network, people, make_user):
    trio = people("dpo", at=network.lead)
    worker = make_user("giulia", network.partner, "shelter", network.programme)
    verified_client(worker).get(reverse("shelter:structure_detail", args=["S-ALFA"]))  # viewed
    verified_client(worker).get(reverse("reports:summary"))  # refused
    user = make_user("marta", network.lead, "filtro", network.programme)
    token, _ = services.issue_token(user=user)
    user.active_membership = user.memberships.get()
    services.revoke_token(actor=user, token=token)  # changed: revoked_at

    page = html.unescape(verified_client(trio.owner).get(reverse("audit:log")).content.decode())
    rows = page.split("<tbody>")[1]
    cells = re.sub(r"<[^>]+>", " ", rows)
    for name in ("Shelter educator", "Ufficio Filtro", "Structure", "See the funder summary", "API token"):
        assert capfirst(italian(name)) in cells, name
    for code in ("(shelter)", "(filtro)", "shelter.structure ", "reports.view_summary ", "accounts.apitoken "):
        assert code not in cells, code
    assert capfirst(italian("revoked")) in cells and "revoked_at" not in cells
    # Each object type filters the log by its code.
    assert 'href="?object_type=shelter.structure"' in rows
    only = verified_client(trio.owner).get(reverse("audit:log"), {"object_type": "shelter.structure"})
    assert {e.object_type for e in only.context["page"]} == {"shelter.structure"}


@pytest.mark.parametrize("role", ["admin", "coordinator", "filtro", "shelter"])
def test_only_the_dpo_role_opens_the_log(network, people, role):
    trio = people(role, at=network.lead)
    assert verified_client(trio.owner).get(reverse("audit:log")).status_code == 403


def test_the_database_refuses_to_alter_or_delete_audit_rows(network):
    """PostgreSQL (migration 0002) and SQLite (0003) alike: raw SQL cannot rewrite the log either."""
    entry = record(action="sign_in_failed", username="someone")
    for sql in (
        "UPDATE audit_auditentry SET actor_username = 'x' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ):
        with (
            pytest.raises((InternalError, ProgrammingError, IntegrityError)),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [entry.pk])
    assert entries(pk=entry.pk)[0].actor_username == "someone"
    with pytest.raises((InternalError, ProgrammingError, IntegrityError)), transaction.atomic(), scopes_disabled():
        AuditEntry.objects.all().delete()  # the ORM neither
    assert entries(pk=entry.pk)


@pytest.mark.django_db(transaction=True)
def test_flush_still_empties_every_table(network):
    """Like TRUNCATE by the owner on PostgreSQL: the test suite starts transactional tests from nothing."""
    from django.core.management import call_command

    record(action="sign_in_failed", username="someone")
    call_command("flush", "--no-input", verbosity=0)
    assert entries() == []


def test_entries_carry_only_the_indexes_the_lookups_use():
    """Every write of the application adds entries, and each pays every index: an import of 100,000 contacts adds
    100,000. The lookups (the audit log's filters, a person's access file, the refused attempts) are equalities on
    the object, the action and the time, so one index each and none for pattern matching (PostgreSQL made two per
    column, 12 indexes in all before)."""
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, AuditEntry._meta.db_table)
    indexes = {name: tuple(c["columns"]) for name, c in found.items() if c["index"] and not c["primary_key"]}
    assert not [name for name in indexes if name.endswith("_like")]
    assert sorted(indexes.values()) == sorted(
        [
            ("action",),
            ("actor_id",),
            ("at",),
            ("object_id",),
            ("object_type", "object_id", "at"),
            ("organisation_id",),
            ("programme_id",),
        ]
    )
