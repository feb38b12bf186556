"""The small network every test starts from, and its users.

The network: a lead entity, a partner and another partner, a running programme (P-1) and an ended one
(P-2), an area and two shelters (``S-ALFA`` at the partner, ``S-BETA`` at the other partner).
Users sign in with ``PASSWORD`` and an authenticator on ``TOTP_HEX``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled

from approdi.accounts.models import Membership, User
from approdi.network.models import Area, Organisation, Programme
from approdi.shelter.models import Structure

PASSWORD = "Un-test-sicuro-2026"
TOTP_HEX = "3132333435363738393031323334353637383930"


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


def build_network() -> Network:
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


def make_user(
    username: str, organisation: Organisation, role: str, programme: Programme, *, two_factor: bool = True
) -> User:
    """A user with one membership (``role`` at ``organisation`` in ``programme``) and, unless told, a confirmed
    authenticator."""
    user = User.objects.create_user(username=username, password=PASSWORD, email=f"{username}@example.invalid")
    Membership.objects.create(user=user, organisation=organisation, role=role, programme=programme)
    if two_factor:
        TOTPDevice.objects.create(user=user, name="test", key=TOTP_HEX, confirmed=True)
    return user


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


def two_programmes(first: date, end: date) -> tuple[list[Programme], list[Organisation], list[Area]]:
    """For the property tests of the figures: two programmes from ``first`` to ``end`` sharing a lead entity and two
    partners (each test's random records fall in either, so a figure of one must never count the other's), and two
    areas."""
    lead = Organisation.objects.create(code="lead", name="Lead", type="lead")
    partners = [lead] + [
        Organisation.objects.create(code=code, name=code.title(), type="partner") for code in ("one", "two")
    ]
    programmes = []
    for code in ("P", "Q"):
        programme = Programme.objects.create(code=code, name=code, start=first, end=end, lead_organisation=lead)
        programme.partners.set(partners, through_defaults={"joined": first})
        programmes.append(programme)
    areas = [Area.objects.create(code="MI", name="Milano"), Area.objects.create(code="TO", name="Torino")]
    return programmes, partners, areas
