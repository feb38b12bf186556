"""The migration to partners with dates keeps every partner of every programme, joined on the programme's start."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("network", "0002_partner_budget")]
AFTER = [("network", "0003_partnership_dates")]


@pytest.mark.django_db(transaction=True)
def test_existing_partners_become_open_partnerships_from_the_programme_s_start():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Organisation, Programme = old.get_model("network", "Organisation"), old.get_model("network", "Programme")
    alfa = Organisation.objects.create(code="alfa", name="Alfa", type="partner")
    beta = Organisation.objects.create(code="beta", name="Beta", type="partner")
    first = Programme.objects.create(code="A", name="A", start=date(2020, 1, 1), end=date(2021, 1, 1))
    second = Programme.objects.create(code="B", name="B", start=date(2022, 3, 1), end=date(2023, 1, 1))
    first.partners.set([alfa, beta])
    second.partners.set([beta])

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    Partnership = executor.loader.project_state(AFTER).apps.get_model("network", "Partnership")
    rows = Partnership.objects.order_by("programme__code", "organisation__code")
    assert [(p.programme.code, p.organisation.code, p.joined, p.left) for p in rows] == [
        ("A", "alfa", date(2020, 1, 1), None),
        ("A", "beta", date(2020, 1, 1), None),
        ("B", "beta", date(2022, 3, 1), None),
    ]
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
