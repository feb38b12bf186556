from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from django.core.paginator import Page
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from approdi.accounts.actor import Actor
from approdi.audit.services import record_view
from approdi.core.paginator import CappedPaginator
from approdi.core.permissions import ensure

from . import admission, beds
from .models import (
    DEFAULT_STAGE_DAYS,
    RESERVED_PLACE_TYPES,
    Placement,
    PlacementRequest,
    Stage,
    StageDuration,
    Structure,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


@dataclass(frozen=True)
class StructureSecrets:
    address: str
    phone: str


def structures_visible(*, actor: Actor) -> QuerySet[Structure]:
    """Structures of the actor's programme managed by organisations in the actor's scope.

    Address and phone are not loaded: only ``structure_detail`` reads them, for those allowed.
    """
    return Structure.objects.select_related("organisation", "area").defer(*Structure.SECRET_FIELDS).order_by("code")


def structure_detail(*, actor: Actor, code: str) -> tuple[Structure, StructureSecrets | None]:
    """One structure; its address and phone only for those allowed, and their reading audited."""
    structure = (
        structures_visible(actor=actor)
        .defer(None)
        .select_related("organisation", "area")
        .filter(code__iexact=code)
        .first()
    )
    if structure is None:
        raise Http404
    if not actor.has_perm("shelter.view_structure_secrets", structure):
        return structure, None
    record_view(actor=actor, obj=structure, fields=Structure.SECRET_FIELDS)
    return structure, StructureSecrets(address=structure.address, phone=structure.phone)


def board_structures(*, actor: Actor) -> QuerySet[Structure]:
    """The structures on the actor's bed board: all those in her scope, or an educator's own organisation's."""
    rows = structures_visible(actor=actor)
    if not actor.has_perm("shelter.view_every_board"):
        rows = rows.filter(organisation_id=actor.active_membership.organisation_id)
    return rows


def board(
    *, actor: Actor, area_id: int | None = None, type: str = "", gender: str = "", today: date | None = None
) -> QuerySet[WithAnnotations[Structure, beds.BoardCounts]]:
    """Every structure with beds, occupied, free, reserved and departures due in 30 days, in one query.

    The correlated counts of ``board_counts`` over every row (bench/bed_board.py times them): the pages and the API
    read ``board_page`` and ``board_list``, which count the same rules grouped by structure.
    """
    today = today or timezone.localdate()
    return beds.board_counts(_board_rows(actor, area_id=area_id, type=type, gender=gender, today=today), today)


def board_page(
    *,
    actor: Actor,
    number,
    per_page: int,
    area_id: int | None = None,
    type: str = "",
    gender: str = "",
    today: date | None = None,
) -> tuple[Page, dict[str, int]]:
    """A page of ``board``, and its figures summed over every structure the filters keep (the free beds of all)."""
    today = today or timezone.localdate()
    rows = _board_rows(actor, area_id=area_id, type=type, gender=gender, today=today)
    figures = beds.board_figures(rows, today)
    page = CappedPaginator(rows, per_page).get_page(number)
    page.object_list = _with_figures(page.object_list, figures)
    return page, beds.board_totals(figures)


def board_list(
    *, actor: Actor, area_id: int | None = None, type: str = "", gender: str = "", today: date | None = None
) -> list[WithAnnotations[Structure, beds.BoardCounts]]:
    """``board`` as a list, its figures counted grouped by structure: three statements, none per structure."""
    today = today or timezone.localdate()
    rows = _board_rows(actor, area_id=area_id, type=type, gender=gender, today=today)
    return _with_figures(rows, beds.board_figures(rows, today))


def _with_figures(structures, figures) -> list:
    found = list(structures)
    for structure in found:
        structure.__dict__.update(figures[structure.pk])
    return found


def _board_rows(actor: Actor, *, area_id: int | None, type: str, gender: str, today: date) -> QuerySet[Structure]:
    ensure(actor, "shelter.view_board")
    # What a row of the board shows, and what the proposals match on: nothing of the managing organisation.
    rows = (
        board_structures(actor=actor)
        .filter(Q(open_to__isnull=True) | Q(open_to__gte=today))
        .select_related(None)
        .select_related("area")
        .only("code", "name", "type", "gender", "ages", "area__code")
    )
    if area_id:
        rows = rows.filter(area_id=area_id)
    if type:
        rows = rows.filter(type=type)
    if gender:  # structures that admit women (or men): by their target and by their type, as place() does
        person_gender = {"women": "woman", "men": "man"}.get(gender, gender)
        rows = rows.filter(
            gender__in=[gender, "any"],
            type__in=[t for t, takes in admission.TYPE_TAKES.items() if person_gender in takes],
        )
    return rows


def residents(*, actor: Actor, structure: Structure) -> QuerySet[Placement]:
    """The people in a structure now: for its own staff and the Ufficio Filtro."""
    ensure(actor, "shelter.view_residents")
    return Placement.objects.filter(structure=structure, end__isnull=True).select_related("person", "bed")


def residents_of(*, actor: Actor, structures) -> QuerySet[Placement]:
    """The people in any of ``structures`` now, by structure and code: codes only, no identity is read."""
    ensure(actor, "shelter.view_residents")
    return (
        Placement.objects.filter(structure__in=[s.pk for s in structures], end__isnull=True)
        .select_related("person", "structure")
        .only("stage", "start", "person__code", "structure__code", "structure__name")
        .order_by("structure__code", "person__code")
    )


def placement_detail(*, actor: Actor, pk: int) -> Placement:
    """A placement: the Ufficio Filtro's, or one in a structure of the educator's organisation."""
    ensure(actor, "shelter.view_residents")
    rows = Placement.objects.select_related("person", "bed", "structure", "previous")
    if not actor.has_perm("shelter.place"):
        rows = rows.filter(structure__organisation_id=actor.active_membership.organisation_id)
    placement = rows.filter(pk=pk).first()
    if placement is None:
        raise Http404
    record_view(actor=actor, obj=placement, fields=["person"])
    return placement


def waiting_list(*, actor: Actor) -> QuerySet[PlacementRequest]:
    """Open requests for a place; for an educator, those a bed of her structures fits now (her board's proposals)."""
    ensure(actor, "shelter.view_board")
    rows = _open_requests()
    if not actor.has_perm("shelter.view_every_board"):
        rows = rows.filter(pk__in=[row.pk for row in _proposed(actor, list(rows))])
    return rows


def waiting_list_rows(*, actor: Actor) -> list[PlacementRequest]:
    """The waiting list with each request's proposals (``proposed``): the same number of queries for any length."""
    ensure(actor, "shelter.view_board")
    return _proposed(actor, list(_open_requests()))


def _open_requests() -> QuerySet[PlacementRequest]:
    return (
        PlacementRequest.objects.filter(status=PlacementRequest.Status.OPEN)
        .select_related("person", "avoid_area")
        .order_by("-urgent", "created_at")
    )


def _proposed(actor: Actor, rows: list[PlacementRequest]) -> list[PlacementRequest]:
    """``rows`` with their proposals; an educator's only where a bed of her structures fits (one board read)."""
    found = proposals_for(actor=actor, requests=rows)
    for row in rows:
        row.proposed = found[row.pk]  # type: ignore[attr-defined]
    if actor.has_perm("shelter.view_every_board"):
        return rows
    return [row for row in rows if row.proposed]  # type: ignore[attr-defined]


def proposals(
    *, actor: Actor, request: PlacementRequest, limit: int = 5
) -> list[WithAnnotations[Structure, beds.BoardCounts]]:
    """Structures with a free bed that admit the person at the request's stage, away from the area to avoid."""
    return proposals_for(actor=actor, requests=[request], limit=limit)[request.pk]


def proposals_for(
    *, actor: Actor, requests: Sequence[PlacementRequest], limit: int = 5
) -> dict[int, list[WithAnnotations[Structure, beds.BoardCounts]]]:
    """Each request's proposals (see ``proposals``) from one reading of the board, however many requests wait.

    The person's record, not the request's copy, says her gender and age: the same rule as place().
    """
    if not requests:
        return {}
    today = timezone.localdate()
    structures = board_list(actor=actor, today=today)
    found = {}
    for request in requests:
        person = request.person
        fits = admission.fitting(
            gender=person.gender or "", minor=admission.is_minor(person, today), stage=request.stage
        )
        # The beds place() would give this request: reserved ones too for an urgent or an emergency-stage one.
        found[request.pk] = [
            s
            for s in structures
            if s.type in fits["type__in"]
            and s.gender in fits["gender__in"]
            and s.ages in fits["ages__in"]
            and s.area_id != request.avoid_area_id
            and beds.free_for(s, stage=request.stage, urgent=request.urgent) > 0
        ][:limit]
    return found


@dataclass(frozen=True)
class Alert:
    """One alert of a current stay, from plain values: the page shows codes only, so no identity is read."""

    placement_id: int
    person_id: int
    structure_code: str
    stage: str
    kind: str  # "not_residential", "overstay" or "path_18" / "path_24"
    days: int
    person_code: str = ""  # read by ``named`` for the alerts a page shows

    def get_stage_display(self) -> str:
        return str(Stage(self.stage).label)


# Each current stay with the first day of its path, in one statement: the stays of the acting scope (the ORM's
# query, scoped as every other read) and, recursively, the stages before each of them. Earlier stages are read
# without the scope, as ``placement.previous`` reads them: a path may have begun in an earlier edition; only their
# dates are read. The stage with no previous one is the path's first.
_PATHS = """
WITH RECURSIVE current_stay (id, previous_id, start, stage, person_id, structure_code) AS ({current}),
path (stay_id, previous_id, start) AS (
    SELECT id, previous_id, start FROM current_stay
    UNION ALL
    SELECT path.stay_id, earlier.previous_id, earlier.start
    FROM {table} earlier JOIN path ON earlier.id = path.previous_id
)
SELECT current_stay.id, current_stay.start, current_stay.stage, current_stay.person_id,
       current_stay.structure_code, path.start
FROM current_stay JOIN path ON path.stay_id = current_stay.id AND path.previous_id IS NULL
ORDER BY current_stay.start DESC, current_stay.id DESC
"""


def alerts(*, actor: Actor, today: date | None = None) -> list[Alert]:
    """Night stays the Ufficio Filtro decided not to turn into residential reception (first: she is to be
    accompanied out), stays past the planned length of their stage, paths within 30 days of 18 or 24 months."""
    ensure(actor, "shelter.view_residents")
    today = today or timezone.localdate()
    limits = stage_days(programme=actor.active_membership.programme)
    rows = Placement.objects.filter(end__isnull=True)
    if not actor.has_perm("shelter.place"):
        rows = rows.filter(structure__organisation_id=actor.active_membership.organisation_id)
    current, params = (
        rows.order_by()
        .values_list("pk", "previous_id", "start", "stage", "person_id", "structure__code")
        .query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute(
            _PATHS.format(current=current, table=connection.ops.quote_name(Placement._meta.db_table)), params
        )
        stays = cursor.fetchall()
    found = [
        Alert(pk, person_id, structure_code, stage, "not_residential", (today - timezone.localdate(decided)).days)
        for pk, person_id, structure_code, stage, decided in rows.filter(
            # ``night.regularise`` attaches the residential decision's request to the night stay: a stay
            # regularised without one was decided otherwise, and nothing else ends it.
            night_entry__regularised_at__isnull=False,
            request__isnull=True,
        )
        .order_by("night_entry__regularised_at", "pk")
        .values_list("pk", "person_id", "structure__code", "stage", "night_entry__regularised_at")
    ]
    for pk, start, stage, person_id, structure_code, first_day in stays:
        start, first_day = _day(start), _day(first_day)  # SQLite answers a raw query's dates as text
        stay = (pk, person_id, structure_code, stage)
        stayed = (today - start).days
        if stayed > limits.get(stage, 10**6):
            found.append(Alert(*stay, "overstay", stayed - limits[stage]))
        months = (today - first_day).days / 30.44
        for mark in (18, 24):
            if mark - 1 <= months < mark:
                found.append(Alert(*stay, f"path_{mark}", round((mark - months) * 30.44)))
    return found


def named(alerts: Sequence[Alert]) -> list[Alert]:
    """``alerts`` with their person codes, in one statement: a page names its fifty, not every current stay.

    The codes are read as ``alerts`` reads its stays' (a person of an earlier edition keeps hers): through the
    placement, never decrypting an identity.
    """
    codes = dict(Placement.objects.filter(pk__in=[a.placement_id for a in alerts]).values_list("pk", "person__code"))
    return [replace(a, person_code=codes.get(a.placement_id, "")) for a in alerts]


def _day(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def reserved_types() -> set[str]:
    return set(RESERVED_PLACE_TYPES)


def stage_days(*, programme) -> dict[str, int]:
    """Planned days per stage: the programme's own where set, else the defaults."""
    return {str(k): v for k, v in DEFAULT_STAGE_DAYS.items()} | dict(
        StageDuration.objects.filter(programme=programme).values_list("stage", "days")
    )
