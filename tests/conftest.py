"""Shared fixtures (built by tests/builders/): a small network with an owner, a member without the role and
an outsider.

``people`` builds, for any role, three users of the same programme:
- ``owner``: right organisation, right role;
- ``member``: same organisation, another role (``case_worker``, or ``outreach`` when the role is case_worker);
- ``outsider``: the same role in another partner organisation; for ``filtro``, which exists only at a lead
  entity, the office of another programme.
"""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from hypothesis import settings as hypothesis_settings

from approdi.network.models import Organisation, Programme
from tests import builders
from tests.builders import Network, People
from tests.builders.case_world import CaseWorld, build_case_world

# Property tests check behaviour, not speed (benchmarks do that): no deadline, so a busy CI
# machine cannot fail them.
hypothesis_settings.register_profile("approdi", deadline=None)
hypothesis_settings.load_profile("approdi")


@pytest.fixture(autouse=True)
def _plain_transport(settings):
    """Tests talk plain HTTP to the test client and read static files from the apps."""
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only


@pytest.fixture(scope="session", autouse=True)
def _session_documents_dir(tmp_path_factory):
    """Also for what session- and module-wide fixtures keep (the browser tests' demo), before any test's own."""
    path = tmp_path_factory.mktemp("documents")
    django_settings.APPRODI_DOCUMENTS_DIR = path
    return path


_test_serial = itertools.count(1)


@pytest.fixture(autouse=True)
def _documents_dir(settings, _session_documents_dir):
    """Documents kept by a test are stored in a temporary directory of its own (created when a document is kept),
    never in the var/ of a developer."""
    settings.APPRODI_DOCUMENTS_DIR = _session_documents_dir / str(next(_test_serial))


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the site's language, as every request does: a language a previous test's request
    activated in this thread must not decide what the next test reads (it made three tests pass or fail by order)."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def network(db) -> Network:
    return builders.build_network()


@pytest.fixture
def running(network) -> Programme:
    """P-1 ended on 30 June 2025; P-3, with the same partners, is the edition running today."""
    today = timezone.localdate()
    Programme.objects.filter(pk=network.programme.pk).update(end=date(2025, 6, 30))
    network.programme.refresh_from_db()
    edition = Programme.objects.create(
        code="P-3",
        name="Programma tre",
        start=date(today.year, 1, 1),
        end=date(today.year + 1, 12, 31),
        lead_organisation=network.lead,
    )
    edition.partners.set([network.lead, network.partner, network.other])
    return edition


@pytest.fixture
def make_user(db):
    """``make_user(username, organisation, role, programme, two_factor=True)`` (tests/builders/network.py)."""
    return builders.make_user


@pytest.fixture
def people(network, make_user):
    """``people(role, at=...)``: owner and member at ``at`` (default the partner), outsider at another partner."""

    built = []

    def build(role: str, *, at: Organisation | None = None) -> People:
        home = at or network.partner
        away = network.other if home != network.other else network.partner
        other_role = "outreach" if role == "case_worker" else "case_worker"
        away_programme = network.programme
        if role == "filtro":
            away, away_programme = network.lead, network.other_programme
        suffix = f"-{len(built)}" if built else ""  # the first trio keeps the plain names
        built.append(role)
        return People(
            owner=make_user(f"{role}-owner{suffix}", home, role, network.programme),
            member=make_user(f"{role}-member{suffix}", home, other_role, network.programme),
            outsider=make_user(f"{role}-outsider{suffix}", away, role, away_programme),
        )

    return build


@pytest.fixture
def filtro(network, make_user):
    """The Ufficio Filtro of P-1, at the lead entity."""
    return make_user("filtro", network.lead, "filtro", network.programme)


@pytest.fixture
def case_world(network, make_user) -> CaseWorld:
    """A territorial case at the partner and its team (tests/builders/case_world.py)."""
    return build_case_world(network, make_user)


@pytest.fixture
def max_queries():
    """Pins the number of queries of a block: ``with max_queries(8): client.get(url)``."""

    class Pin:
        def __init__(self, limit: int):
            self.limit = limit
            self.context = CaptureQueriesContext(connection)

        def __enter__(self):
            self.context.__enter__()
            return self

        def __exit__(self, *exc):
            self.context.__exit__(*exc)
            # Read now: the next request resets the connection's query log.
            self.count = len(self.context.captured_queries)
            if exc[0] is None:
                sql = "\n".join(q["sql"] for q in self.context.captured_queries)
                assert self.count <= self.limit, f"{self.count} queries, pinned at {self.limit}:\n{sql}"

    return Pin


@pytest.fixture(scope="session")
def production_site(tmp_path_factory):
    """Approdi served as in production (tests/production_site.py), shared by the tests that need it."""
    from tests.production_site import start_production_site

    site = start_production_site(tmp_path_factory.mktemp("production"))
    yield site
    site.stop()
