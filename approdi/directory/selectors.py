"""Reading the directory and the protocols of the acting programme (contact data of professionals, no people)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from approdi.core.permissions import ensure
from approdi.network.dates import today

from .models import Body, Obligation, Protocol, ProtocolDocument, Referent

if TYPE_CHECKING:
    from approdi.accounts.actor import Actor

VIEW = "directory.view_directory"
VIEW_PROTOCOLS = "directory.view_protocols"
RENEWALS = "directory.follow_renewals"
# A protocol whose validity ends within these days is due for renewal (on the coordinators' home page).
RENEWAL_DAYS = 60
# Search words are bounded like every input.
QUERY_MAX_LENGTH = 100


def _programme_id(actor: Actor) -> int:
    return actor.active_membership.programme_id


def bodies(*, actor: Actor, query: str = "", type: str = "", area_id: int | None = None) -> QuerySet[Body]:
    """The directory, searched by name, service, referent or hours; narrowed by type and area."""
    ensure(actor, VIEW)
    found = Body.objects.filter(programme_id=_programme_id(actor))
    words = query.strip()[:QUERY_MAX_LENGTH].split()
    for word in words:
        found = found.filter(
            Q(name__icontains=word)
            | Q(services__icontains=word)
            | Q(how_to_refer__icontains=word)
            | Q(address__icontains=word)
            | Q(referents__name__icontains=word)
            | Q(referents__role__icontains=word)
        )
    if type:
        found = found.filter(type=type)
    if area_id is not None:
        found = found.filter(areas__id=area_id)
    if words or area_id is not None:
        found = found.distinct()
    return found.select_related("organisation").prefetch_related("areas", "referents__area").order_by("name", "id")


def body(*, actor: Actor, pk: int) -> Body:
    ensure(actor, VIEW)
    found = (
        Body.objects.filter(programme_id=_programme_id(actor), pk=pk)
        .select_related("organisation")
        .prefetch_related(
            "areas", "referents__area", Prefetch("protocols", queryset=Protocol.objects.order_by("title"))
        )
        .first()
    )
    if found is None:
        raise Http404
    return found


def body_names(*, actor: Actor) -> list[str]:
    """The names a referral form offers for "referring body" or "referred to"."""
    if not actor.has_perm(VIEW):
        return []
    return list(Body.objects.filter(programme_id=_programme_id(actor)).order_by("name").values_list("name", flat=True))


def home_contacts(*, actor: Actor) -> list[Referent]:
    """The area referents and the Ufficio Filtro's contact, for every member's home page."""
    return list(
        Referent.objects.filter(body__programme_id=_programme_id(actor))
        .exclude(network_role="")
        .select_related("body", "area")
        .order_by("-network_role", "area__name", "name")
    )


def protocols(*, actor: Actor) -> QuerySet[Protocol]:
    ensure(actor, VIEW_PROTOCOLS)
    return (
        Protocol.objects.filter(programme_id=_programme_id(actor))
        .prefetch_related(Prefetch("parties", queryset=Body.objects.order_by("name")))
        .order_by("valid_until", "title", "id")
    )


def protocol(*, actor: Actor, pk: int) -> Protocol:
    ensure(actor, VIEW_PROTOCOLS)
    found = (
        Protocol.objects.filter(programme_id=_programme_id(actor), pk=pk)
        .prefetch_related(
            Prefetch("parties", queryset=Body.objects.order_by("name")),
            Prefetch("obligations", queryset=Obligation.objects.select_related("followed_by")),
        )
        .first()
    )
    if found is None:
        raise Http404
    return found


def document_of(*, actor: Actor, protocol: Protocol) -> ProtocolDocument | None:
    """The document's name and size, without its bytes."""
    ensure(actor, VIEW_PROTOCOLS)
    return ProtocolDocument.objects.filter(protocol=protocol).defer("content").first()


def document(*, actor: Actor, pk: int) -> ProtocolDocument:
    ensure(actor, VIEW_PROTOCOLS)
    found = ProtocolDocument.objects.filter(protocol__programme_id=_programme_id(actor), protocol_id=pk).first()
    if found is None:
        raise Http404
    return found


def renewals_due(*, actor: Actor) -> list[Protocol]:
    """Protocols whose validity ends between today and ``RENEWAL_DAYS`` days from now."""
    ensure(actor, RENEWALS)
    day = today()
    return list(
        Protocol.objects.filter(
            programme_id=_programme_id(actor), valid_until__gte=day, valid_until__lte=day + timedelta(days=RENEWAL_DAYS)
        ).order_by("valid_until", "title")
    )
