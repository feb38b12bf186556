"""The funder-summary world (``bench/summary_scale.py``) made a working network for ``bench/pages.py``: staff of every
role at the lead entity and the partners, cases with their teams, plans, actions and notes, and a referral queue with
every urgency. Child side: Django is set up, the summary world is built (or kept from an earlier run).

Users have no password (nobody signs in through the form); the ones the benchmark acts as get a confirmed
authenticator, as the pages require a second factor.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from bench import _harness, _world
from bench.summary_scale import END, START

# Who works where, per 500 users: at the lead entity network-wide roles, at each partner the field roles.
LEAD_ROLES = {"coordinator": 6, "filtro": 12, "dpo": 2, "admin": 4}
PARTNER_ROLES = {"outreach": 24, "case_worker": 18, "shelter": 12, "legal": 5}  # at each of the eight partners
# The users the pages are asked as: role -> username.
ACTORS = ("coordinator", "filtro", "case_worker", "outreach", "shelter", "dpo", "admin")
CASE_STATUS = {"active": 55, "closed": 35, "suspended": 10}
OUTCOMES = {"autonomy": 35, "transfer": 15, "assisted_return": 5, "dropped_out": 35, "other": 10}
GOAL_DOMAINS = ("housing", "health", "legal", "work", "language")


@dataclass
class Enriched:
    users: int
    cases: int
    actions: int
    notes: int


def actor_name(role: str) -> str:
    return f"bench-{role}"


def _users(programme, organisations: list[int], count: int) -> dict[str, list[int]]:
    """About ``count`` users with one active membership each, ``role@organisation`` -> their ids. The benchmark's
    actors are the first of their role at the lead entity (network-wide roles) or at the first partner."""
    from django.contrib.auth.hashers import make_password
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from approdi.accounts.models import Membership, User

    scale = count / 500
    plan: list[tuple[str, int]] = []  # (role, organisation) per user
    for role, per in LEAD_ROLES.items():
        plan += [(role, organisations[0])] * max(1, round(per * scale))
    for organisation in organisations[1:]:
        for role, per in PARTNER_ROLES.items():
            plan += [(role, organisation)] * max(1, round(per * scale))
    unusable = make_password(None)
    users = User.objects.bulk_create(
        [User(username=f"bench-u{n:05d}", password=unusable, email=f"u{n}@example.invalid") for n in range(len(plan))]
    )
    Membership.objects.bulk_create(
        [
            Membership(user=user, organisation_id=organisation, programme=programme, role=role)
            for user, (role, organisation) in zip(users, plan, strict=True)
        ]
    )
    by_role: dict[tuple[str, int], list[int]] = {}
    for user, (role, organisation) in zip(users, plan, strict=True):
        by_role.setdefault((role, organisation), []).append(user.pk)
    for role in ACTORS:
        where = organisations[0] if role in LEAD_ROLES else organisations[1]
        User.objects.filter(pk=by_role[role, where][0]).update(username=actor_name(role))
        TOTPDevice.objects.create(user_id=by_role[role, where][0], name="bench", confirmed=True)
    return {f"{role}@{organisation}": ids for (role, organisation), ids in by_role.items()}


def _cases(rng: random.Random, programme, organisations: list[int], staff: dict[str, list[int]], count: int) -> dict:
    """``count`` cases of different people at the partners, each managed by one of the partner's case workers."""
    from django.db.models import Max

    from approdi.cases.models import Case
    from approdi.people.models import Person

    people = list(Person.objects.filter(programme=programme).order_by("pk").values_list("pk", flat=True)[:count])
    first = (Case.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    n = len(people)
    partners = organisations[1:]
    lead = rng.choices(partners, [len(partners) - i for i in range(len(partners))], k=n)  # the first partner busiest
    managers = [rng.choice(staff[f"case_worker@{o}"]) for o in lead]
    status = _world.weighted(rng, CASE_STATUS, n)
    span = (END - START).days
    starts = [START + timedelta(days=rng.randint(0, span - 60)) for _ in range(n)]
    ends = [
        min(s + timedelta(days=rng.randint(30, 700)), END) if st == "closed" else None
        for s, st in zip(starts, status, strict=True)
    ]
    return {
        "id": list(range(first, first + n)),
        "person_id": people,
        "lead_organisation_id": lead,
        "case_manager_id": managers,
        "type": [rng.choice(("residential", "territorial")) for _ in range(n)],
        "status": status,
        "start": starts,
        "end": ends,
        "outcome": [_world.one(rng, OUTCOMES) if st == "closed" else "" for st in status],
    }


def enrich(programme, organisations: list[int], *, users: int, cases: int, seed: int) -> Enriched:
    """Adds the staff, the cases and the queue's urgencies to the summary world of ``programme``."""
    from django.db import connection, transaction
    from django.db.models import Max
    from django_scopes import scopes_disabled

    from approdi.cases.models import Case, Goal, Note, PlanAction, TeamMember
    from approdi.outreach.models import Referral

    rng = random.Random(seed + 1)
    sqlite = connection.vendor == "sqlite"
    today = date.today()
    added = datetime(2025, 12, 1, tzinfo=UTC)
    stamp = added.strftime("%Y-%m-%d %H:%M:%S") if sqlite else added
    with scopes_disabled(), transaction.atomic():
        staff = _users(programme, organisations, users)
        made = _cases(rng, programme, organisations, staff, cases)
        n = _harness.Writer(Case, sqlite).write(len(made["id"]), {**made, "programme_id": programme.pk})
        _harness.Writer(TeamMember, sqlite).write(
            n,
            {
                "case_id": made["id"],
                "user_id": made["case_manager_id"],
                "organisation_id": made["lead_organisation_id"],
                "role": "case_manager",
                "added_by_id": made["case_manager_id"],
                "added_at": stamp,
            },
        )
        open_cases = [
            (pk, m)
            for pk, m, st in zip(made["id"], made["case_manager_id"], made["status"], strict=True)
            if st != "closed"
        ]
        first_goal = (Goal.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        goals = {"id": [], "case_id": [], "domain": [], "created_by_id": []}
        actions = {"goal_id": [], "owner_id": [], "due": [], "done_on": []}
        for pk, manager in open_cases:
            for domain in rng.sample(GOAL_DOMAINS, 2):
                goal = first_goal + len(goals["id"])
                goals["id"].append(goal)
                goals["case_id"].append(pk)
                goals["domain"].append(domain)
                goals["created_by_id"].append(manager)
                for _ in range(2):
                    due = today + timedelta(days=rng.randint(-60, 60))
                    actions["goal_id"].append(goal)
                    actions["owner_id"].append(manager)
                    actions["due"].append(due)
                    actions["done_on"].append(due if rng.random() < 0.4 else None)
        if goals["id"]:
            _harness.Writer(Goal, sqlite).write(len(goals["id"]), goals)
            _harness.Writer(PlanAction, sqlite).write(len(actions["due"]), actions)
        notes = {"case_id": [], "date": [], "author_role": "case_manager", "author_id": []}
        for pk, manager, start in zip(made["id"], made["case_manager_id"], made["start"], strict=True):
            for k in range(3):
                notes["case_id"].append(pk)
                notes["date"].append(start + timedelta(days=10 * k))
                notes["author_id"].append(manager)
        _harness.Writer(Note, sqlite).write(len(notes["date"]), notes)
        # The queue: most referrals routine, some priority, a few in immediate danger; some not decided yet.
        referrals = Referral.objects.filter(programme=programme)
        referrals.filter(pk__in=_every(referrals, 20)).update(urgency="immediate", status="new")
        referrals.filter(pk__in=_every(referrals, 7)).update(urgency="priority", status="assessing")
    staffed = sum(len(ids) for ids in staff.values())
    return Enriched(users=staffed, cases=n, actions=len(actions["due"]), notes=len(notes["date"]))


def _every(rows, step: int) -> list[int]:
    return list(rows.order_by("pk").values_list("pk", flat=True)[::step])
