"""Shared fixtures: a small network with an owner, a member without the role and an outsider.

``people`` builds, for any role, three users of the same programme:
- ``owner``: right organisation, right role;
- ``member``: same organisation, another role (``case_worker``, or ``outreach`` when the role is case_worker);
- ``outsider``: the same role in another partner organisation; for ``filtro``, which exists only at a lead
  entity, the office of another programme.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled
from hypothesis import settings as hypothesis_settings

from approdi.accounts.models import Membership, User
from approdi.network.models import Area, Organisation, Programme
from approdi.shelter.models import Structure

# Property tests check behaviour, not speed (benchmarks do that): no deadline, so a busy CI
# machine cannot fail them.
hypothesis_settings.register_profile("approdi", deadline=None)
hypothesis_settings.load_profile("approdi")

PASSWORD = "Un-test-sicuro-2026"
TOTP_HEX = "3132333435363738393031323334353637383930"


@pytest.fixture(autouse=True)
def _plain_transport(settings):
    """Tests talk plain HTTP to the test client and read static files from the apps."""
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the site's language, as every request does: a language a previous test's request
    activated in this thread must not decide what the next test reads (it made three tests pass or fail by order)."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@dataclass
class Network:
    lead: Organisation
    partner: Organisation
    other: Organisation
    programme: Programme
    other_programme: Programme
    area: Area
    structure: Structure  # managed by ``partner``
    other_structure: Structure  # managed by ``other``


@pytest.fixture
def network(db) -> Network:
    lead = Organisation.objects.create(code="lead", name="Comune di Prova", type="lead")
    partner = Organisation.objects.create(code="partner", name="Cooperativa Alfa", type="partner")
    other = Organisation.objects.create(code="other", name="Cooperativa Beta", type="partner")
    area = Area.objects.create(code="MI", name="Milano")
    # The running edition: its period includes today, so work recorded today belongs in it (dates
    # outside a programme's period are refused). P-2 is an edition that has ended.
    programme = Programme.objects.create(
        code="P-1",
        name="Programma uno",
        start=date(2024, 1, 1),
        end=date(timezone.localdate().year + 1, 12, 31),
        lead_organisation=lead,
    )
    programme.partners.set([lead, partner, other], through_defaults={"joined": programme.start})
    other_programme = Programme.objects.create(
        code="P-2", name="Programma due", start=date(2022, 1, 1), end=date(2022, 12, 31), lead_organisation=lead
    )
    other_programme.partners.set([lead, partner, other], through_defaults={"joined": other_programme.start})
    with scopes_disabled():
        structure = Structure.objects.create(
            code="S-ALFA",
            name="Casa Alfa",
            organisation=partner,
            type="women",
            gender="women",
            area=area,
            beds=4,
            address="Via Segretissima 12, Milano",
            phone="02 1234 5678",
        )
        structure.programmes.set([programme])
        other_structure = Structure.objects.create(
            code="S-BETA",
            name="Casa Beta",
            organisation=other,
            type="men",
            gender="men",
            area=area,
            beds=3,
            address="Vicolo Nascosto 7, Milano",
            phone="02 8765 4321",
        )
        other_structure.programmes.set([programme])
    return Network(lead, partner, other, programme, other_programme, area, structure, other_structure)


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
    def make(
        username: str, organisation: Organisation, role: str, programme: Programme, *, two_factor: bool = True
    ) -> User:
        user = User.objects.create_user(username=username, password=PASSWORD, email=f"{username}@example.invalid")
        Membership.objects.create(user=user, organisation=organisation, role=role, programme=programme)
        if two_factor:
            TOTPDevice.objects.create(user=user, name="test", key=TOTP_HEX, confirmed=True)
        return user

    return make


def current_code() -> str:
    return f"{totp(bytes.fromhex(TOTP_HEX)):06d}"


def verified_client(user: User) -> Client:
    """A client signed in with password and second factor, as after the real sign-in."""
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


@dataclass
class People:
    owner: User
    member: User
    outsider: User


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
