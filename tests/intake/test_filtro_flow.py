"""A referral made by outreach is screened, decided and turned into a shelter request or a case."""

from datetime import date

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from approdi.audit.models import AuditEntry
from approdi.cases.models import Case
from approdi.intake.models import Decision, Screening
from approdi.outreach.models import Referral
from approdi.people.models import Person
from approdi.shelter.models import PlacementRequest
from tests.builders import verified_client

pytestmark = pytest.mark.django_db
IDENTITY = {
    "given_name": "Blessing",
    "family_name": "Okafor",
    "birth_date": "1999-04-01",
    "nationality": "NG",
    "gender": "woman",
    "aliases": "Bless\nJoy Okafor",
}


@pytest.fixture
def referral(network, people):
    operator = people("outreach").owner
    verified_client(operator).post(
        reverse("outreach:referral_create"),
        {
            "date": "2024-05-02",
            "source_type": "outreach",
            "urgency": "immediate",
            "given_name": "Blessing",
            "family_name": "Okafor",
            "birth_date": "1999-04-01",
            "gender": "woman",
            "nationality": "NG",
            "exploitation": "sexual",
            "notes": "Chiede di uscire stanotte.",
        },
    )
    with scopes_disabled():
        return Referral.objects.get()


def open_person(client, referral, **extra):
    return client.post(reverse("intake:person_create") + f"?referral={referral.pk}", IDENTITY | extra)


def person_of(referral):
    with scopes_disabled():
        referral.refresh_from_db()
        return referral.person


def test_queue_shows_the_referral_with_days_waiting(network, filtro, referral):
    page = verified_client(filtro).get(reverse("intake:queue"))
    rows = list(page.context["page"])
    assert [r.pk for r in rows] == [referral.pk] and rows[0].days_waiting == (date.today() - date(2024, 5, 2)).days
    assert "Blessing" not in page.content.decode()  # the queue shows codes, not names


def test_full_path_to_residential_reception(network, filtro, referral, indicators, people):
    client = verified_client(filtro)
    assert open_person(client, referral).status_code == 302
    person = person_of(referral)
    assert person is not None and referral.status == "assessing" and referral.person_code == person.code
    client.post(
        reverse("intake:consent", args=[person.pk]), {"purpose": "services", "granted": "yes", "day": "2024-05-03"}
    )
    with scopes_disabled():
        refs = list(
            indicators.get(code="adult_sexual").indicators.filter(strength="strong").values_list("ref", "dimension")
        )
    chosen = []
    for dimension in ("deceptive_recruitment", "exploitation", "coercion_at_destination"):
        chosen += [ref for ref, d in refs if d == dimension][:2]
    url = reverse("intake:screening_create", args=[person.pk]) + "?list=adult_sexual"
    live = client.post(url, {"indicators": chosen, "evaluate": "1"}, HTTP_HX_REQUEST="true")
    assert live.context["evaluation"] is not None
    client.post(url, {"indicators": chosen, "conclusion": "unclear", "notes": "Racconto da approfondire"})
    with scopes_disabled():
        screening = Screening.objects.get()
        assert screening.rule_presumed_victim is (live.context["evaluation"].presumed_victim)
        assert screening.conclusion == "unclear"  # the operator's own conclusion, beside the rule's
    client.post(
        reverse("intake:assessment_create", args=[person.pk]),
        {
            "vulnerabilities": ["psychological_fragility", "no_support_network"],
            "exploitation": "sexual",
            "complaint_filed": "on",
        },
    )
    response = client.post(
        reverse("intake:decision_create", args=[person.pk]),
        {"kind": "residential", "stage": "emergency", "urgent": "on", "reason": "Pericolo immediato."},
    )
    assert response.status_code == 302
    with scopes_disabled():
        request = PlacementRequest.objects.get()
        assert (request.person, request.stage, request.urgent, request.status) == (person, "emergency", True, "open")
        referral.refresh_from_db()
        assert referral.status == "decided"
    referrer = verified_client(referral.created_by)
    page = referrer.get(reverse("outreach:referral_detail", args=[referral.pk])).content.decode()
    assert "Racconto" not in page and "psychological" not in page and "Blessing" not in page
    assert referral.outcome == "residential" and "accoglienza residenziale" in page


def test_territorial_decision_opens_a_case(network, filtro, referral):
    client = verified_client(filtro)
    open_person(client, referral)
    person = person_of(referral)
    client.post(
        reverse("intake:consent", args=[person.pk]), {"purpose": "services", "granted": "yes", "day": "2024-05-03"}
    )
    client.post(
        reverse("intake:decision_create", args=[person.pk]), {"kind": "territorial", "reason": "Ha un alloggio."}
    )
    with scopes_disabled():
        case = Case.objects.get()
        assert (case.person, case.type, case.status, case.lead_organisation) == (
            person,
            "territorial",
            "active",
            network.lead,
        )


def test_decision_without_consent_is_refused(network, filtro, referral):
    client = verified_client(filtro)
    open_person(client, referral)
    person = person_of(referral)
    response = client.post(reverse("intake:decision_create", args=[person.pk]), {"kind": "territorial", "reason": "x"})
    assert response.status_code == 200 and response.context["form"].errors
    client.post(
        reverse("intake:consent", args=[person.pk]), {"purpose": "services", "granted": "yes", "day": "2024-05-03"}
    )
    client.post(
        reverse("intake:consent", args=[person.pk]),
        {"purpose": "national_network", "granted": "no", "day": "2024-05-03"},
    )
    refused = client.post(reverse("intake:decision_create", args=[person.pk]), {"kind": "transfer", "reason": "x"})
    assert "kind" in refused.context["form"].errors
    assert client.get(reverse("intake:record_sheet", args=[person.pk, "national"])).status_code == 302
    with scopes_disabled():
        assert not Decision.objects.exists()


def test_residential_decision_needs_a_stage(network, filtro, referral):
    client = verified_client(filtro)
    open_person(client, referral)
    response = client.post(
        reverse("intake:decision_create", args=[person_of(referral).pk]), {"kind": "residential", "reason": "x"}
    )
    assert "stage" in response.context["form"].errors


@pytest.mark.parametrize(
    "variant",
    [
        {"given_name": "BLESSÌNG", "family_name": "okafor"},  # case and accents
        {"given_name": "Okafor", "family_name": "Blessing"},  # swapped order
    ],
)
def test_duplicates_found_by_names_and_birth_date(network, filtro, referral, variant):
    client = verified_client(filtro)
    open_person(client, referral)
    second = client.post(reverse("intake:person_create"), IDENTITY | variant | {"code": ""})
    candidates = second.context["candidates"]
    assert candidates and "name_and_birth_date" in candidates[0].reasons
    with scopes_disabled():
        assert Person.objects.count() == 1


def test_duplicates_found_by_similar_names_and_aliases(network, filtro, referral):
    client = verified_client(filtro)
    open_person(client, referral)
    similar = client.post(
        reverse("intake:person_create"),
        {
            "given_name": "Joy",
            "family_name": "Okaffor",
            "birth_date": "2001-01-01",
            "nationality": "NG",
            "gender": "woman",
        },
    )
    assert [m.reasons for m in similar.context["candidates"]] == [["similar_names"]]
    confirmed = client.post(
        reverse("intake:person_create"),
        {
            "given_name": "Joy",
            "family_name": "Okaffor",
            "confirm": "1",
            "birth_date": "2001-01-01",
            "nationality": "NG",
            "gender": "woman",
        },
    )
    assert confirmed.status_code == 302


def test_minor_is_flagged_and_routed_to_the_child_lists(network, filtro, referral, indicators):
    client = verified_client(filtro)
    open_person(client, referral, birth_date="2012-06-01")
    person = person_of(referral)
    assert person.is_minor
    page = client.get(reverse("intake:screening_create", args=[person.pk]))
    assert page.context["indicator_list"].code == "child_sexual"
    wrong = client.post(
        reverse("intake:screening_create", args=[person.pk]) + "?list=adult_sexual", {"conclusion": "unclear"}
    )
    assert wrong.context["form"].errors


def test_identity_is_absent_for_everyone_outside_the_filtro(network, filtro, referral, people):
    client = verified_client(filtro)
    open_person(client, referral)
    person = person_of(referral)
    for role in ("coordinator", "outreach", "shelter", "case_worker", "legal", "admin", "dpo"):
        trio = people(role, at=network.lead)
        for user in (trio.owner, trio.outsider):
            other = verified_client(user)
            assert other.get(reverse("intake:person", args=[person.pk])).status_code in (403, 404)
            assert "Blessing" not in other.get(reverse("intake:queue")).content.decode()


def test_filtro_of_another_programme_gets_404(network, filtro, referral, make_user):
    client = verified_client(filtro)
    open_person(client, referral)
    elsewhere = make_user("filtro2", network.lead, "filtro", network.other_programme)
    assert verified_client(elsewhere).get(reverse("intake:person", args=[person_of(referral).pk])).status_code == 404
    assert verified_client(elsewhere).get(reverse("intake:referral", args=[referral.pk])).status_code == 404


def test_reading_a_person_is_audited_and_records_print(network, filtro, referral):
    client = verified_client(filtro)
    open_person(client, referral)
    person = person_of(referral)
    client.get(reverse("intake:person", args=[person.pk]))
    entry = client.get(reverse("intake:record_sheet", args=[person.pk, "entry"]))
    assert entry.status_code == 200 and "Blessing" in entry.content.decode()
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="view", object_type="intake.person", actor=filtro).exists()
        assert AuditEntry.objects.filter(action="export", object_type="intake.person").exists()


def test_queue_queries_are_pinned(network, filtro, referral, people, max_queries):
    client = verified_client(filtro)
    client.get("/")
    with max_queries(14) as first:
        client.get(reverse("intake:queue"))
    operator = verified_client(people("outreach", at=network.other).owner)
    for n in range(5):
        operator.post(
            reverse("outreach:referral_create"),
            {"date": "2024-05-02", "source_type": "cas", "urgency": "routine", "person_code": f"R-{n}"},
        )
    with max_queries(first.count):
        page = client.get(reverse("intake:queue"))
    assert page.context["page"].paginator.count == 6


@pytest.mark.parametrize(
    ("kind", "consent", "outcome_word"),
    [
        ("transfer", "national_network", "rete nazionale"),
        ("assisted_return", None, "Rimpatrio"),
        ("other_service", None, "servizio"),
        ("not_eligible", None, "Non presa in carico"),
    ],
)
def test_every_other_decision_path_reaches_the_referrer(network, filtro, referral, kind, consent, outcome_word):
    client = verified_client(filtro)
    open_person(client, referral)
    person = person_of(referral)
    if consent:
        client.post(
            reverse("intake:consent", args=[person.pk]), {"purpose": consent, "granted": "yes", "day": "2024-05-03"}
        )
    assert (
        client.post(
            reverse("intake:decision_create", args=[person.pk]), {"kind": kind, "reason": "Motivo."}
        ).status_code
        == 302
    )
    with scopes_disabled():
        referral.refresh_from_db()
        assert referral.status == "decided" and not PlacementRequest.objects.exists() and not Case.objects.exists()
    page = (
        verified_client(referral.created_by)
        .get(reverse("outreach:referral_detail", args=[referral.pk]))
        .content.decode()
    )
    assert outcome_word in page


def test_a_screening_stays_readable_when_the_list_changes(network, filtro, referral, indicators):
    from approdi.intake.models import Indicator, IndicatorList

    client = verified_client(filtro)
    open_person(client, referral)
    person = person_of(referral)
    with scopes_disabled():
        old = IndicatorList.objects.get(code="adult_sexual", is_current=True)
        ref = old.indicators.first().ref
    client.post(
        reverse("intake:screening_create", args=[person.pk]) + "?list=adult_sexual",
        {"indicators": [ref], "conclusion": "unclear"},
    )
    with scopes_disabled():
        old.is_current = False
        old.save()
        new = IndicatorList.objects.create(code="adult_sexual", version=2, source="revision", is_current=True)
        Indicator.objects.create(
            indicator_list=new,
            ref="AS-NEW-01",
            dimension="exploitation",
            strength="strong",
            text_en="A new indicator",
            text_it="Un nuovo indicatore",
        )
        screening = Screening.objects.get()
    page = client.get(reverse("intake:screening", args=[screening.pk])).content.decode()
    assert "v1" in page and old.indicators.get(ref=ref).text_it in page


def test_the_assessment_says_what_is_missing_for_each_permit(network, filtro, referral):
    client = verified_client(filtro)
    open_person(client, referral)
    person = person_of(referral)
    client.post(reverse("intake:assessment_create", args=[person.pk]), {"exploitation": "labour"})
    page = client.get(reverse("intake:person", args=[person.pk])).content.decode()
    assert "18-ter" in page and "denuncia" in page.lower()


def test_queue_by_urgency_puts_immediate_danger_first(network, filtro, referral, people):
    operator = verified_client(people("outreach", at=network.other).owner)
    for n, urgency in enumerate(["routine", "priority", "routine"]):
        operator.post(
            reverse("outreach:referral_create"),
            {"date": f"2024-05-0{n + 1}", "source_type": "cas", "urgency": urgency, "person_code": f"U-{n}"},
        )
    page = verified_client(filtro).get(reverse("intake:queue"), {"order": "urgency"})
    assert [r.urgency for r in page.context["page"]] == ["immediate", "priority", "routine", "routine"]


def test_urgency_codes_sort_in_the_queues_order():
    """The queue orders by the urgency code itself (an index serves it): a new code must keep that order true."""
    from approdi.intake.selectors import URGENCY_ORDER
    from approdi.outreach.codes import Urgency

    assert sorted(Urgency.values) == list(URGENCY_ORDER)
    assert set(URGENCY_ORDER) == set(Urgency)
