"""The command line of DESIGN.md §9: add_programme, add_user, issue_token, import_data organisations."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from approdi.accounts.models import Membership, User
from approdi.network.models import Organisation, Programme

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_add_programme_creates_then_updates(capsys):
    call_command(
        "add_programme", "--code", "DA-2030", "--name", "Derive", "--start", "2030-01-01", "--end", "2031-06-30"
    )
    call_command(
        "add_programme",
        "--code",
        "DA-2030",
        "--name",
        "Derive e Approdi 2030",
        "--start",
        "2030-01-01",
        "--end",
        "2031-06-30",
    )
    programme = Programme.objects.get(code="DA-2030")
    assert programme.name == "Derive e Approdi 2030" and Programme.objects.count() == 1
    assert "updated programme DA-2030" in capsys.readouterr().out


@pytest.mark.parametrize(("start", "end"), [("2030-13-01", "2031-01-01"), ("2031-01-01", "2030-01-01")])
def test_add_programme_refuses_bad_dates(start, end):
    with pytest.raises(CommandError):
        call_command("add_programme", "--code", "X", "--name", "X", "--start", start, "--end", end)
    assert not Programme.objects.exists()


def test_add_user_creates_an_invited_user_and_a_membership(network, capsys, mailoutbox):
    call_command(
        "add_user",
        "--username",
        "nuova",
        "--organisation",
        "partner",
        "--role",
        "outreach",
        "--programme",
        "P-1",
        "--email",
        "nuova@example.invalid",
    )
    user = User.objects.get(username="nuova")
    assert not user.has_usable_password()  # invite only: the person chooses the password
    assert Membership.objects.filter(user=user, role="outreach", organisation=network.partner).exists()
    assert "/accounts/password-reset/" in capsys.readouterr().out
    assert mailoutbox and mailoutbox[0].to == ["nuova@example.invalid"]
    call_command(
        "add_user", "--username", "nuova", "--organisation", "partner", "--role", "legal", "--programme", "P-1"
    )
    assert sorted(user.memberships.values_list("role", flat=True)) == ["legal", "outreach"]


def test_add_user_refuses_unknown_organisation(network):
    with pytest.raises(CommandError, match="unknown organisation"):
        call_command(
            "add_user", "--username", "x", "--organisation", "nope", "--role", "outreach", "--programme", "P-1"
        )
    assert not User.objects.filter(username="x").exists()


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_import_organisations_from_csv(db, tmp_path, capsys):
    path = write(tmp_path, "orgs.csv", "code,name,type\nalfa,Cooperativa Alfa,PARTNER\nbeta,Questura,network_body\n")
    call_command("import_data", "organisations", path)
    assert dict(Organisation.objects.values_list("code", "type")) == {"alfa": "partner", "beta": "network_body"}
    assert "2 row(s) imported" in capsys.readouterr().out


def test_import_organisations_from_xlsx(db, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["code", "name", "type"])
    book.active.append(["alfa", "Cooperativa Alfa", "partner"])
    path = tmp_path / "orgs.xlsx"
    book.save(path)
    call_command("import_data", "organisations", str(path))
    assert Organisation.objects.get(code="alfa").name == "Cooperativa Alfa"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("code,name,type\nalfa,Alfa,partner\nbeta,Beta,charity\n", "row 3, column type: 'charity' is not one of"),
        ("code,name,type\nalfa,Alfa,partner\n,Senza codice,partner\n", "row 3, column code: this column is required"),
        ("code,name\nalfa,Alfa\n", "row 1, column type: required column is missing"),
        ("code,name,type,colour\nalfa,Alfa,partner,red\n", "row 1, column colour: unknown column"),
        (
            "code,name,type\nalfa,Alfa,partner\nalfa,Alfa bis,partner\n",
            "row 3, column code: 'alfa' appears more than once",
        ),
        ("", "the file is empty"),
        ("code,name,type\n", "the file has no rows under the header"),
    ],
)
def test_bad_rows_import_nothing_and_say_where(db, tmp_path, capsys, content, expected):
    path = write(tmp_path, "orgs.csv", content)
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("import_data", "organisations", path)
    assert expected in capsys.readouterr().err
    assert not Organisation.objects.exists()


def test_every_error_is_reported_not_only_the_first(db, tmp_path, capsys):
    path = write(tmp_path, "orgs.csv", "code,name,type\n,A,partner\nb,B,nope\nc,,lead\n")
    with pytest.raises(CommandError, match="3 error"):
        call_command("import_data", "organisations", path)
    err = capsys.readouterr().err
    assert "row 2, column code" in err and "row 3, column type" in err and "row 4, column name" in err


def test_dry_run_writes_nothing(db, tmp_path, capsys):
    path = write(tmp_path, "orgs.csv", "code,name,type\nalfa,Alfa,partner\n")
    call_command("import_data", "organisations", path, "--dry-run")
    assert not Organisation.objects.exists()
    assert "dry run" in capsys.readouterr().out


def test_oversized_file_is_refused(db, tmp_path, capsys):
    path = tmp_path / "big.csv"
    path.write_text("code,name,type\n" + "alfa,Alfa,partner\n" * 1_200_000, encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_data", "organisations", str(path))
    assert "more than 200,000 rows" in capsys.readouterr().err  # the row limit comes first: 1,200,000 rows
    assert not Organisation.objects.exists()


def test_commands_run_on_the_embedded_default_with_no_environment(tmp_path):
    """`.venv/bin/python manage.py …` works with no environment at all, as `make run` does."""
    env = {"PATH": "/usr/bin:/bin", "APPRODI_VAR_DIR": str(tmp_path / "var")}
    run = lambda *args: subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        # A guard against a hang, not a timing: a whole migrate takes about 35 s of CPU, and on CI's busy two
        # cores it once took over 120 s of wall time.
        timeout=600,
    )
    assert run("migrate", "--no-input").returncode == 0
    assert (
        run(
            "add_programme", "--code", "T-1", "--name", "Prova", "--start", "2030-01-01", "--end", "2030-12-31"
        ).returncode
        == 0
    )
    out = run("load_demo", "--quiet")
    assert out.returncode == 0, out.stderr
    token = run("issue_token", "--username", "filtro")
    assert token.returncode == 0 and token.stdout.strip().splitlines()[-1].startswith("apd_")
    assert (tmp_path / "var" / "approdi.sqlite3").exists()


def add_user(line: str, *extra: str):
    call_command("add_user", *line.split(), *extra)


def test_add_user_never_changes_an_existing_persons_email(network, make_user, mailoutbox):
    colleague = make_user("filtro", network.lead, "filtro", network.programme)
    with pytest.raises(CommandError, match="exists with another e-mail address"):
        add_user("--username filtro --organisation lead --role coordinator --programme P-1", "--email", "x@y.it")
    colleague.refresh_from_db()
    assert colleague.email == "filtro@example.invalid" and colleague.memberships.count() == 1 and not mailoutbox


def test_add_user_adds_a_role_to_an_existing_person_explicitly_and_audited(network, make_user, capsys):
    from django_scopes import scopes_disabled

    from approdi.audit.models import AuditEntry

    colleague = make_user("filtro", network.lead, "filtro", network.programme)
    add_user("--username filtro --organisation lead --role coordinator --programme P-1")
    assert "existing user filtro: role added" in capsys.readouterr().out
    # The operator's bootstrap path acts at once (README: it needs the server's access).
    assert colleague.memberships.get(role="coordinator").status == "active"
    with scopes_disabled():
        row = AuditEntry.objects.get(action="create", object_type="accounts.membership")
    assert row.reason == "command line"
    add_user("--username filtro --organisation lead --role coordinator --programme P-1")
    assert "unchanged" in capsys.readouterr().out


def test_add_user_gives_the_ufficio_filtro_role_only_at_the_lead_entity(network):
    with pytest.raises(CommandError, match="lead entity"):
        add_user("--username nuova --organisation partner --role filtro --programme P-1")
    assert not User.objects.filter(username="nuova").exists()


def test_add_user_refuses_a_law_enforcement_body(network):
    Organisation.objects.create(code="questura", name="Questura – Ufficio Immigrazione", type="enforcement")
    with pytest.raises(CommandError, match="holds no account"):
        add_user("--username agente --organisation questura --role case_worker --programme P-1")
    assert not User.objects.filter(username="agente").exists()


def test_an_organisation_with_accounts_cannot_become_an_enforcement_body(network, make_user, tmp_path, capsys):
    make_user("operatrice", network.partner, "case_worker", network.programme)
    path = write(tmp_path, "orgs.csv", "code,name,type\npartner,Cooperativa Alfa,enforcement\n")
    with pytest.raises(CommandError):
        call_command("import_data", "organisations", path)
    assert "row 2, column type: 'partner' has user accounts" in capsys.readouterr().err
    assert Organisation.objects.get(code="partner").type == "partner"
