"""The synthetic world the benchmarks time: a network (a lead entity, partners, areas, a programme and, if asked, an
Ufficio Filtro member to act as), weighted draws and person codes. Child side: Django is set up (``_harness.setup``).

Everything is drawn from the ``random.Random`` a benchmark passes in, so a seed gives the same world every run.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from datetime import date, timedelta

CODE_LETTERS = string.ascii_uppercase + "234567"


def weighted(rng: random.Random, weights, n: int) -> list:
    """``n`` values drawn with replacement; ``weights`` maps value -> weight (a dict or (value, weight) pairs)."""
    pairs = weights.items() if isinstance(weights, dict) else weights
    values, chances = zip(*pairs, strict=True)
    return rng.choices(values, chances, k=n)


def one(rng: random.Random, weights) -> object:
    """One value drawn from ``weights`` (as ``weighted``)."""
    return weighted(rng, weights, 1)[0]


def person_codes(rng: random.Random, count: int, taken: set[str] | None = None) -> list[str]:
    """Codes shaped as Approdi's person codes (``AP-XXXXX-XXXXX``), all different (and none of ``taken``, which
    grows with them)."""
    taken = set() if taken is None else taken
    codes: list[str] = []
    while len(codes) < count:
        code = "AP-" + "".join(rng.choices(CODE_LETTERS, k=5)) + "-" + "".join(rng.choices(CODE_LETTERS, k=5))
        if code not in taken:
            taken.add(code)
            codes.append(code)
    return codes


def every_day(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


@dataclass
class Network:
    programme: object
    lead: object
    partners: list
    areas: list
    actor: object = None  # an Ufficio Filtro member of the lead entity, her membership active
    membership: object = None

    @property
    def organisation_ids(self) -> list[int]:
        """The lead entity first, then the partners."""
        return [self.lead.pk, *(p.pk for p in self.partners)]

    @property
    def area_ids(self) -> list[int]:
        return [a.pk for a in self.areas]


def network(
    *,
    start: date,
    end: date,
    partners: int,
    areas: int,
    code: str = "BENCH",
    name: str = "Benchmark",
    prefix: str = "bench",
    area_prefix: str = "B",
    filtro_perms: tuple[str, ...] | None = None,
) -> Network:
    """One programme of a lead entity and ``partners`` partners over ``areas`` areas; codes start with ``prefix``
    (two networks in one database need two). With ``filtro_perms``, an Ufficio Filtro member of the lead entity
    (``<prefix>-filtro``) to act as, checked to hold those permissions."""
    from django.db import transaction
    from django_scopes import scopes_disabled

    from approdi.accounts.models import Membership, User
    from approdi.network.models import Area, Organisation, Programme

    with scopes_disabled(), transaction.atomic():
        lead = Organisation.objects.create(code=f"{prefix}-lead", name=f"Comune {name}", type="lead")
        others = [
            Organisation.objects.create(code=f"{prefix}-p{i}", name=f"Ente {name} {i}", type="partner")
            for i in range(1, partners + 1)
        ]
        made = [Area.objects.create(code=f"{area_prefix}{i}", name=f"Area {name} {i}") for i in range(1, areas + 1)]
        programme = Programme.objects.create(code=code, name=name, start=start, end=end, lead_organisation=lead)
        programme.partners.set([lead, *others])
        programme.areas.set(made)
        world = Network(programme, lead, others, made)
        if filtro_perms is not None:
            world.actor = User.objects.create_user(username=f"{prefix}-filtro", password=None)
            Membership.objects.create(user=world.actor, organisation=lead, programme=programme, role="filtro")
    if world.actor is not None:
        world.membership = Membership.objects.select_related("programme", "organisation").get(user=world.actor)
        world.actor.active_membership = world.membership
        for perm in filtro_perms:
            if not world.actor.has_perm(perm):
                raise SystemExit(f"the benchmark actor lacks {perm}")
    return world
