"""The anonymised HTCDS 2.0 export: the standard's names and codes only, k-anonymous, audited, consent respected."""

from __future__ import annotations

import csv
import io
import itertools
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_countries import countries
from django_scopes import scopes_disabled
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from approdi.audit.models import Action, AuditEntry
from approdi.cases.models import Case
from approdi.intake.models import Assessment, IndicatorList, Screening
from approdi.network.models import Programme
from approdi.outreach.models import Referral
from approdi.people.models import Consent, Person
from approdi.reports.disclosure import htcds
from approdi.shelter.models import Bed, Placement
from tests.builders import verified_client

pytestmark = pytest.mark.django_db
STANDARD_SOURCES = Path(__file__).resolve().parents[3] / "shared" / "standards" / "htcds"
PERIOD = {"start": date(2024, 1, 1), "end": date(2024, 12, 31)}


def exports_audited(**filters) -> list[AuditEntry]:
    with scopes_disabled():
        return list(AuditEntry.objects.filter(action=Action.EXPORT, **filters))


def parse(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


def assert_valid_htcds(rows: list[dict[str, str]], header: list[str]) -> None:
    """Every column is a field of the standard; every value of a coded field is one of its codes."""
    names = htcds.field_names()
    assert set(header) <= names, set(header) - names
    iso = {code for code, _name in countries}
    for row in rows:
        for name, value in row.items():
            if value == "":
                continue
            codes = htcds.code_list(name)
            if codes is not None:
                assert value in codes, (name, value)
            elif name == "prs_Citizenship":
                assert value in iso, value
            elif name == "cas_IncomingReferralDate":
                day = date.fromisoformat(value)
                assert (day.month, day.day) == (1, 1), value  # coarsened to the year
            else:
                pytest.fail(f"{name} is not a coded field: free values do not belong in this export")


def assert_k_anonymous(rows: list[dict[str, str]], k: int) -> None:
    classes = htcds.classes(rows)
    assert classes, "the export is empty: nothing was checked"
    assert min(classes.values()) >= k, classes


# --- The standard's data file -------------------------------------------------------------------------


def test_the_code_lists_are_the_standards():
    data = htcds.standard()
    assert data["version"] == "2.0"
    assert htcds.code_list("prs_Gender") == [
        "Feminine",
        "Masculine",
        "TransgenderFeminine",
        "TransgenderMasculine",
        "NonConforming",
        "NonSpecifiedUnknown",
    ]
    assert htcds.code_list("cas_Status") == ["Active", "FollowUp", "Closed", "ClosedReferred"]
    assert "ForcedBegging" in htcds.code_list("vic_TypeOfExploitation")
    # Every field exported, and every code our mappings produce, is the standard's.
    assert set(htcds.FIELDS) <= htcds.field_names()
    for name, mapping in (
        ("prs_Gender", htcds.GENDER),
        ("vic_TypeOfExploitation", htcds.EXPLOITATION),
        ("vic_ForcedLabourIndustry", htcds.INDUSTRY),
        ("vic_TraffickingStatus", htcds.TRAFFICKING_STATUS),
    ):
        assert set(mapping.values()) <= set(htcds.code_list(name)), name


@pytest.mark.skipif(not STANDARD_SOURCES.exists(), reason="the standard's files are not beside the repository")
def test_the_data_file_is_what_the_script_extracts_from_the_standard():
    import importlib.util

    spec = importlib.util.spec_from_file_location("extract_htcds", htcds.STANDARD_FILE.with_name("extract_htcds.py"))
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.extract(STANDARD_SOURCES) == json.loads(htcds.STANDARD_FILE.read_text(encoding="utf-8"))


# --- k-anonymisation ----------------------------------------------------------------------------------

VALUES = {
    "prs_Gender": st.sampled_from(["Feminine", "Masculine", "TransgenderFeminine", "NonConforming"]),
    "prs_Citizenship": st.sampled_from(["NG", "RO", "AL", "CN", ""]),
    "vic_TypeOfExploitation": st.sampled_from(["SexualExploitation", "ForcedLabour", "ForcedBegging", ""]),
    "vic_ForcedLabourIndustry": st.sampled_from(["F_Construction", ""]),
    "cas_IncomingReferralDate": st.sampled_from(["2023-01-01", "2024-01-01", ""]),
    "cas_Status": st.sampled_from(["Active", "Closed"]),
    "vic_TraffickingStatus": st.sampled_from(["PossibleVictimOfTrafficking", ""]),
}
records = st.lists(st.fixed_dictionaries(VALUES), max_size=120)


@settings(max_examples=200)
@given(rows=records, k=st.integers(min_value=2, max_value=15))
def test_every_class_left_has_at_least_k_rows_and_large_classes_are_untouched(rows, k):
    result = htcds.k_anonymise(rows, k=k)
    assert len(result.rows) + result.suppressed == len(rows)
    if result.rows:
        assert min(htcds.classes(result.rows).values()) >= k
    before = htcds.classes(rows)
    untouched = [row for row in rows if before[tuple(row[n] for n in htcds.QUASI_IDENTIFIERS)] >= k]
    for row in untouched:  # rows already hidden among k others keep every value
        assert row in result.rows
    assert result.generalised <= len(result.rows)


def test_rare_rows_lose_detail_step_by_step_before_being_left_out():
    common = {"cas_Status": "Active", "vic_TraffickingStatus": "", "vic_ForcedLabourIndustry": ""}
    nigerian = {**common, "prs_Gender": "Feminine", "vic_TypeOfExploitation": "SexualExploitation"}
    rows = [{**nigerian, "prs_Citizenship": "NG", "cas_IncomingReferralDate": "2024-01-01"}] * 3
    rows += [{**nigerian, "prs_Citizenship": "RO", "cas_IncomingReferralDate": "2023-01-01"}] * 2
    rows += [{**common, "prs_Gender": "TransgenderFeminine", "prs_Citizenship": "BR"}] * 1
    rows[-1] = {**rows[-1], "vic_TypeOfExploitation": "", "cas_IncomingReferralDate": ""}
    result = htcds.k_anonymise(rows, k=3)
    # The three Nigerian women share everything: untouched.
    assert sum(r["prs_Citizenship"] == "NG" and r["cas_IncomingReferralDate"] == "2024-01-01" for r in result.rows) == 3
    # The two Romanian women lose their year, then their citizenship; the trans woman joins nobody: left out.
    assert result.suppressed == 3 and len(result.rows) == 3
    assert result.by_field == {}


# --- The export from the database ---------------------------------------------------------------------


def add_person(network, author, n: int, **facts) -> Person:
    """A person of the programme with a referral in 2024 and, as asked, screening, assessment, case, consent."""
    with scopes_disabled():
        person = Person.objects.create(
            programme=network.programme,
            organisation=network.lead,
            code=f"AP-T{n:05d}",
            given_name=f"Nome{n}",
            family_name=f"Cognome{n}",
            birth_date=date(1990, 5, 17),
            gender=facts.get("gender", "woman"),
            nationality=facts.get("nationality", "NG"),
            created_by=author,
        )
        Referral.objects.create(
            programme=network.programme,
            organisation=network.lead,
            date=facts.get("referred", date(2024, 3, 1)),
            source_type="police",
            person=person,
            exploitation=facts.get("referral_exploitation", ""),
            sector=facts.get("sector", ""),
            notes="Testo libero riservato",
        )
        if "conclusion" in facts:
            Screening.objects.create(
                person=person,
                indicator_list=IndicatorList.objects.filter(code="adult_sexual").first(),
                dimensions={},
                rule_presumed_victim=True,
                explanation="-",
                conclusion=facts["conclusion"],
                created_by=author,
            )
        if "exploitation" in facts:
            Assessment.objects.create(person=person, exploitation=facts["exploitation"], created_by=author)
        if "case" in facts:
            status, outcome = facts["case"]
            Case.objects.create(
                programme=network.programme,
                person=person,
                lead_organisation=network.partner,
                type="territorial",
                status=status,
                start=date(2024, 4, 1),
                end=date(2024, 9, 1) if status == "closed" else None,
                outcome=outcome,
            )
        for granted in facts.get("statistics", []):
            Consent.objects.create(
                person=person, purpose="statistics", granted=granted, date=date(2024, 3, 2), recorded_by=author
            )
    return person


def export(network, k: int) -> htcds.HtcdsExport:
    return htcds.build(programme=network.programme, **PERIOD, k=k)


def test_a_person_in_the_standards_codes(network, filtro):
    for n in range(2):
        add_person(
            network,
            filtro,
            n,
            conclusion="presumed_victim",
            exploitation="labour",
            referral_exploitation="sexual",  # the assessment holds
            sector="construction",
            case=("closed", "transfer"),
        )
    (row, twin) = export(network, k=2).rows
    assert row == twin
    assert row == {
        "prs_Gender": "Feminine",
        "prs_Citizenship": "NG",
        "vic_TraffickingStatus": "PossibleVictimOfTrafficking",
        "vic_TypeOfExploitation": "ForcedLabour",
        "vic_ForcedLabourIndustry": "F_Construction",
        "cas_Status": "ClosedReferred",
        "cas_IncomingReferralDate": "2024-01-01",
    }


def test_people_who_refused_anonymised_statistics_are_left_out(network, filtro):
    add_person(network, filtro, 1, statistics=[False])
    add_person(network, filtro, 2, statistics=[False, True])  # asked again: the latest answer holds
    add_person(network, filtro, 3, statistics=[True, False])
    add_person(network, filtro, 4)  # never asked: anonymised data are not personal data
    with scopes_disabled():  # make the refusal the latest by date for person 3
        Consent.objects.filter(person__code="AP-T00003", granted=False).update(date=date(2024, 3, 5))
        Consent.objects.filter(person__code="AP-T00002", granted=True).update(date=date(2024, 3, 5))
    result = export(network, k=2)
    assert (result.people, result.refused, len(result.rows)) == (4, 2, 2)


def test_only_people_whose_path_touches_the_period(network, filtro):
    add_person(network, filtro, 1, referred=date(2024, 6, 1))
    add_person(network, filtro, 2, referred=date(2023, 6, 1))
    add_person(network, filtro, 3, referred=date(2025, 2, 1))
    assert export(network, k=2).people == 1


def test_nothing_identifying_is_in_the_file(network, filtro):
    for n in range(12):
        add_person(network, filtro, n, conclusion="presumed_victim", exploitation="sexual")
    result = export(network, k=11)
    assert len(result.rows) == 12
    for content in (htcds.to_csv(result), htcds.to_xlsx(result)):
        text = content.decode("latin-1")
        for secret in ("Nome1", "Cognome1", "AP-T0", "1990", "Testo libero"):
            assert secret not in text
    book = load_workbook(io.BytesIO(htcds.to_xlsx(result)))
    header = [c.value for c in book["htcds"][1]]
    assert header == list(htcds.FIELDS)
    assert any("k = 11" in (row[0] or "") for row in book["about"].iter_rows(values_only=True))


# --- Demo-like data: every code against the standard, every class at least k ---------------------------


@pytest.fixture
def demo_like(db):
    """The demo network and DA-2017's activity, plus screenings, assessments, referrals and cases for its people."""
    call_command("load_demo", "--quiet")
    programme = Programme.objects.get(code="DA-2017")
    with scopes_disabled():
        people = list(Person.objects.filter(programme=programme).order_by("pk"))
        author = people[0].created_by
        lead = programme.lead_organisation
        exploitation = itertools.cycle(["sexual", "labour", "begging", "illegal_economies", "forced_marriage", "other"])
        sectors = itertools.cycle(list(htcds.INDUSTRY))
        conclusions = itertools.cycle(["presumed_victim", "not_victim", "unclear"])
        outcomes = itertools.cycle(["autonomy", "transfer", "assisted_return", "dropped_out", "other"])
        indicator_list = IndicatorList.objects.filter(code="adult_labour").first()
        for n, person in enumerate(people):
            kind = next(exploitation)
            Assessment.objects.create(person=person, exploitation=kind, created_by=author)
            Screening.objects.create(
                person=person,
                indicator_list=indicator_list,
                dimensions={},
                rule_presumed_victim=False,
                explanation="-",
                conclusion=next(conclusions),
                created_by=author,
            )
            Referral.objects.create(
                programme=programme,
                organisation=lead,
                date=date(2018, 1, 1 + n % 28),
                source_type="cas",
                person=person,
                sector=next(sectors) if kind == "labour" else "",
            )
            if n % 3 == 0:
                closed = n % 2 == 0
                Case.objects.create(
                    programme=programme,
                    person=person,
                    lead_organisation=lead,
                    type="residential",
                    status="closed" if closed else ("active" if n % 5 else "suspended"),
                    start=date(2018, 2, 1),
                    end=date(2018, 12, 1) if closed else None,
                    outcome=next(outcomes) if closed else "",
                )
        for person in people[:7]:
            Consent.objects.create(
                person=person, purpose="statistics", granted=False, date=date(2018, 1, 2), recorded_by=author
            )
        still_placed = Placement.objects.filter(programme=programme).order_by("pk").first()
        Placement.objects.filter(pk=still_placed.pk).update(end=None, exit_reason="")
    return programme


def run_export(tmp_path, k: int, fmt: str) -> tuple[list[str], list[dict[str, str]]]:
    target = tmp_path / f"htcds-{k}.{fmt}"
    call_command(
        "report", "htcds", "--programme", "DA-2017", "--from", "2017-12-01", "--to", "2019-02-28",
        "--k", str(k), "--output", str(target),
    )  # fmt: skip
    if fmt == "csv":
        content = target.read_bytes()
        return content.decode().splitlines()[0].split(","), parse(content)
    values = list(load_workbook(target)["htcds"].iter_rows(values_only=True))
    header = list(values[0])
    rows = [
        {name: (v.date().isoformat() if hasattr(v, "date") else (v or "")) for name, v in zip(header, row, strict=True)}
        for row in values[1:]
    ]
    return header, rows


def test_an_export_of_demo_like_data_holds_only_the_standards_names_and_codes(demo_like, tmp_path, settings):
    settings.APPRODI_SMALL_CELL_K = 2  # the network allows any k from 2: try several
    for k, fmt in ((11, "csv"), (11, "xlsx"), (5, "csv"), (2, "csv")):
        header, rows = run_export(tmp_path, k, fmt)
        assert header == list(htcds.FIELDS)
        assert_valid_htcds(rows, header)
        assert_k_anonymous(rows, k)
        assert len(rows) <= 179 - 7  # the seven who refused are not there
    # With k = 2 most detail survives: the checks above did see the standard's codes.
    for name in ("vic_TypeOfExploitation", "vic_TraffickingStatus", "cas_Status", "prs_Citizenship"):
        assert len({r[name] for r in rows} - {""}) >= 2, name
    assert {r["vic_ForcedLabourIndustry"] for r in rows} - {""}
    assert "ClosedReferred" in {r["cas_Status"] for r in rows}


def test_the_command_is_audited_and_refuses_a_lower_k(network, filtro, tmp_path, capsys):
    for n in range(11):
        add_person(network, filtro, n)
    target = tmp_path / "out.csv"
    args = ["report", "htcds", "--programme", "P-1", "--from", "2024-01-01", "--to", "2024-12-31"]
    call_command(*args, "--output", str(target))
    assert "11 exported" in capsys.readouterr().out
    assert len(parse(target.read_bytes())) == 11
    (entry,) = exports_audited(object_type="reports.htcds")
    assert (entry.action, entry.actor_username, entry.object_id) == (Action.EXPORT, "manage.py report", "P-1")
    with pytest.raises(CommandError, match="--k"):
        call_command(*args, "--k", "5", "--output", str(target))
    with pytest.raises(CommandError, match="csv or xlsx"):
        call_command(*args, "--output", str(tmp_path / "out.pdf"))


# --- The page -----------------------------------------------------------------------------------------


def test_the_lead_entitys_coordinator_downloads_the_file_and_it_is_audited(network, make_user, filtro):
    for n in range(11):
        add_person(network, filtro, n, exploitation="sexual")
    coordinator = make_user("coordinatrice", network.lead, "coordinator", network.programme)
    client = verified_client(coordinator)
    url = reverse("reports:htcds")
    page = client.get(url, {"start": "2024-01-01", "end": "2024-12-31"})
    assert page.status_code == 200
    assert b'data-testid="htcds-rows">11<' in page.content
    assert not exports_audited()  # looking is not exporting
    response = client.get(url, {"start": "2024-01-01", "end": "2024-12-31", "k": "11", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert len(parse(response.content)) == 11
    (entry,) = exports_audited()
    assert (entry.object_type, entry.actor_id) == ("reports.htcds", coordinator.pk)


def test_a_k_below_the_networks_is_refused_on_the_page(network, make_user, filtro, settings):
    settings.APPRODI_SMALL_CELL_K = 11
    coordinator = make_user("coordinatrice", network.lead, "coordinator", network.programme)
    response = verified_client(coordinator).get(
        reverse("reports:htcds"), {"start": "2024-01-01", "end": "2024-12-31", "k": "5", "format": "csv"}
    )
    assert response.status_code == 200 and b'id="id_k-error"' in response.content
    assert response["Content-Type"].startswith("text/html")
    assert not exports_audited()


@pytest.mark.parametrize(("role", "where"), [("filtro", "lead"), ("coordinator", "partner"), ("outreach", "lead")])
def test_others_may_not_export(network, make_user, role, where):
    user = make_user(f"{role}-{where}", getattr(network, where), role, network.programme)
    for name in ("reports:htcds", "reports:publication"):
        assert verified_client(user).get(reverse(name)).status_code == 403


def test_a_placement_without_a_case_gives_the_case_status(network, filtro):
    people = [add_person(network, filtro, n) for n in range(2)]
    with scopes_disabled():
        bed = Bed.objects.create(structure=network.structure, label="9")
        other = Bed.objects.create(structure=network.structure, label="10")
        for person, place in zip(people, (bed, other), strict=True):
            Placement.objects.create(
                programme=network.programme,
                person=person,
                bed=place,
                structure=network.structure,
                stage="first",
                start=date(2024, 5, 1),
            )
    assert {r["cas_Status"] for r in export(network, k=2).rows} == {"Active"}


@pytest.mark.parametrize(
    ("outcome", "status"),
    [
        ("continued", "ClosedReferred"),
        ("transfer", "ClosedReferred"),
        ("autonomy", "Closed"),
        ("dropped_out", "Closed"),
    ],
)
def test_a_case_continued_in_the_next_edition_is_closed_and_referred_on(network, filtro, outcome, status):
    for n in range(2):
        add_person(network, filtro, n, case=("closed", outcome))
    assert {r["cas_Status"] for r in export(network, k=2).rows} == {status}
