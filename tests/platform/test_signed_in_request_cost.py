"""What every signed-in page pays before its own work, pinned; and why none of it is cached across requests.

A signed-in trivial page (My account, whose own work is one read of the user's API tokens; the home page now starts
each role's work) runs four statements before its own and writes nothing: the session, the user, the confirmed
second factor, the user's acting memberships (with their organisation and programme in the same statement). The
page's scope and the header's programme switcher are built from that one read; a network-wide role reads one more,
the organisations of its programme (its scope). A role that notices reach (accounts/notifications.py) pays one more
for the header's bell: every kind's count in one SELECT (its text built once per user, role, scope and day; its
counts read afresh: tests/platform/test_notices.py); a role none reaches (outreach) pays nothing for it. Nothing
else of it is kept from one request to the next, because each is a security decision that must follow a change at once:
a role taken away or changed, an account deactivated, an authenticator removed (issue #20 measured this stack; see
docs/benchmarks.md, "What a signed-in request costs").
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from approdi.accounts import services
from approdi.accounts.models import Membership
from tests.builders import verified_client

pytestmark = pytest.mark.django_db

TABLES = ("django_session", "accounts_user", "otp_totp_totpdevice", "accounts_membership")
BELL = "accounts_user"  # one SELECT of subqueries, one per rule that may need her
TRIVIAL = "/accounts/me/"
PAGE_ITSELF = "accounts_apitoken"


def statements_of(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return [q["sql"] for q in queries.captured_queries]


def reads(statements: list[str], tables: tuple[str, ...]) -> None:
    assert len(statements) == len(tables), statements
    for sql, table in zip(statements, tables, strict=True):
        assert sql.lstrip().upper().startswith("SELECT") and f'FROM "{table}"' in sql, sql


def test_a_signed_in_trivial_page_runs_four_reads_and_no_write(network, make_user):
    user = make_user("marta", network.partner, "outreach", network.programme)
    Membership.objects.create(
        user=user, organisation=network.partner, role="outreach", programme=network.other_programme
    )
    client = verified_client(user)
    client.get(TRIVIAL)  # the session's first refresh

    statements = statements_of(client, TRIVIAL)

    reads(statements, (*TABLES, PAGE_ITSELF))
    assert '"network_programme"' in statements[-2] and '"network_organisation"' in statements[-2]


def test_a_network_wide_role_reads_its_programmes_organisations_once_and_nothing_else(network, make_user):
    client = verified_client(make_user("marta", network.lead, "filtro", network.programme))
    client.get(TRIVIAL)

    statements = statements_of(client, TRIVIAL)

    reads(statements, (*TABLES, "network_partnership", BELL, PAGE_ITSELF))
    assert "JOIN" not in statements[-3]  # the partners' ids alone, not their names to sort by
    assert "n_referral_0" in statements[-2] and "n_night_entry_0" in statements[-2]


def test_a_role_taken_away_takes_effect_on_the_very_next_request(network, make_user):
    user = make_user("marta", network.lead, "filtro", network.programme)
    client = verified_client(user)
    assert client.get(reverse("cases:case_list")).status_code == 200

    Membership.objects.filter(user=user).delete()

    assert client.get(reverse("cases:case_list")).status_code == 403
    assert 'data-testid="membership"' not in client.get("/").content.decode()


def test_a_changed_role_takes_effect_on_the_very_next_request(network, make_user):
    user = make_user("marta", network.lead, "filtro", network.programme)
    client = verified_client(user)
    assert client.get(reverse("cases:case_list")).status_code == 200

    Membership.objects.filter(user=user).update(role="outreach")

    assert client.get(reverse("cases:case_list")).status_code == 403
    assert client.get(reverse("outreach:contact_list")).status_code == 200


def test_a_deactivated_account_is_signed_out_on_the_very_next_request(network, make_user):
    admin = make_user("anna", network.lead, "admin", network.programme)
    user = make_user("marta", network.lead, "filtro", network.programme)
    client = verified_client(user)
    assert client.get("/").status_code == 200
    admin.active_membership = admin.memberships.get()

    services.deactivate_user(actor=admin, user=user)

    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_a_removed_authenticator_asks_for_the_second_factor_on_the_very_next_request(network, make_user):
    user = make_user("marta", network.lead, "filtro", network.programme)
    client = verified_client(user)
    assert client.get(reverse("cases:case_list")).status_code == 200

    TOTPDevice.objects.filter(user=user).delete()

    response = client.get(reverse("cases:case_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:two_factor"))


def test_the_filtro_bell_counts_new_referrals_through_an_index_not_the_whole_programme(network, make_user):
    """The Ufficio Filtro's bell is on every page she opens: its count of new referrals must read only the new ones
    (index ``referral_status``), not every referral the programme ever had (145,000 at national scale: 45 ms of
    each of her pages on SQLite before the index)."""
    client = verified_client(make_user("filtro", network.lead, "filtro", network.programme))
    client.get(TRIVIAL)
    bell = next(sql for sql in statements_of(client, TRIVIAL) if f'FROM "{BELL}"' in sql and "COUNT" in sql)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # on an almost empty table its planner would scan whatever indexes exist
            cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {'QUERY PLAN ' if connection.vendor == 'sqlite' else ''}{bell}")
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "referral_status" in plan, plan
