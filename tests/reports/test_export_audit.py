"""Every export is audited by the service that builds it, so a page, an API call or a job cannot forget it."""

from datetime import date

import pytest
from django_scopes import scopes_disabled

from approdi.accounts.scoping import membership_scope
from approdi.audit.models import Action, AuditEntry
from approdi.reports.dashboard import exports as dashboard_exports
from approdi.reports.funder import exports as funder_exports
from approdi.reports.reimbursement import exports as reimbursement_exports

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(network, make_user):
    user = make_user("coordinatrice", network.lead, "coordinator", network.programme)
    user.active_membership = user.memberships.get()
    return user


def exports_audited() -> list[tuple[str, str, str]]:
    with scopes_disabled():
        rows = AuditEntry.objects.filter(action=Action.EXPORT).order_by("id")
        return [(row.object_type, row.object_id, row.reason) for row in rows]


@pytest.mark.parametrize(
    "module, object_type",
    [
        (dashboard_exports, "reports.dashboard"),
        (funder_exports, "reports.summary"),
        (reimbursement_exports, "reports.reimbursement"),
    ],
)
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_each_report_file_is_audited_once_by_its_export_file(coordinator, module, object_type, fmt):
    with membership_scope(coordinator.active_membership):
        _result, content = module.export_file(actor=coordinator, start=date(2024, 1, 1), end=date(2024, 6, 30), fmt=fmt)
    assert content
    assert exports_audited() == [(object_type, "P-1", f"2024-01-01–2024-06-30 as {fmt}")]
