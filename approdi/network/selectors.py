from django.db.models import Prefetch, QuerySet
from django.http import Http404

from .models import Area, Organisation, Programme, Target


def programmes(*, actor) -> QuerySet[Programme]:
    return Programme.objects.select_related("lead_organisation").order_by("-start")


def programme_detail(*, actor, code: str) -> Programme:
    programme = (
        programmes(actor=actor)
        .prefetch_related("partners", "areas", Prefetch("targets", queryset=Target.objects.order_by("indicator")))
        .filter(code__iexact=code)
        .first()
    )
    if programme is None:
        raise Http404
    return programme


def organisations(*, actor) -> QuerySet[Organisation]:
    return Organisation.objects.order_by("type", "name")


def areas(*, actor) -> QuerySet[Area]:
    return Area.objects.order_by("code")
