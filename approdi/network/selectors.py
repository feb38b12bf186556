from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from .models import Area, Organisation, Partnership, Programme, Target

if TYPE_CHECKING:
    from approdi.accounts.actor import Actor


def programmes(*, actor: "Actor") -> QuerySet[Programme]:
    return Programme.objects.select_related("lead_organisation").order_by("-start")


def programme_detail(*, actor: "Actor", code: str) -> Programme:
    programme = (
        programmes(actor=actor)
        .prefetch_related(
            "partners", "areas", "co_funding_lines", Prefetch("targets", queryset=Target.objects.order_by("indicator"))
        )
        .filter(code__iexact=code)
        .first()
    )
    if programme is None:
        raise Http404
    return programme


def organisations(*, actor: "Actor") -> QuerySet[Organisation]:
    return Organisation.objects.order_by("type", "name")


def areas(*, actor: "Actor") -> QuerySet[Area]:
    return Area.objects.order_by("code")


def partnerships(*, actor: "Actor") -> QuerySet[Partnership]:
    """The partners of the acting programme, those that left included, with their dates."""
    return (
        Partnership.objects.filter(programme_id=actor.active_membership.programme_id)
        .select_related("organisation")
        .order_by("left", "organisation__name")
    )


def organisations_that_may_partner(*, actor: "Actor") -> QuerySet[Organisation]:
    """Lead entities and partner organisations, the kinds an edition's network is made of."""
    return Organisation.objects.filter(type__in=[Organisation.Type.LEAD, Organisation.Type.PARTNER]).order_by("name")
