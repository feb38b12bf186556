"""A case conference in the meeting engine's calendar (governance/ical.py): as an invitation (its .ics, the e-mail
to its participants) and in each participant's calendar feed.

The event names the person by her code only: the time (a conference scheduled ahead) or the day (one recorded after
the fact), the place, and the link to her case's conferences in Approdi; never her identity, the participants, the
organisations or the decisions.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from approdi.cases.models import Case
from approdi.governance import ical

from .models import CaseConference


def conference_event(conference: CaseConference, *, case_id: int | None) -> ical.Event:
    """``case_id``: the case whose conferences page the event links to (none: no link)."""
    url = reverse("conferences:case_conferences", args=[case_id]) if case_id else ""
    return ical.Event(
        key=f"conference-{conference.pk}",
        summary=_("Case conference · %(code)s") % {"code": conference.person.code},
        starts_at=conference.starts_at,
        ends_at=conference.ends_at,
        day=conference.date,
        location=conference.place,
        url=ical.site_link(url) if url else "",  # none where the site's address is not set
    )


@ical.feed_source
def conferences_for_feed(user, programme_id: int) -> list[ical.Event]:
    """The case conferences of the programme ``user`` takes part in (a participant with an account), from a year
    ago on; each links to her person's newest case (the page checks who may read it)."""
    since = timezone.localdate() - timedelta(days=365)
    newest = Case.objects.filter(person_id=OuterRef("person_id")).order_by("-start", "-id").values("pk")[:1]
    rows = (
        CaseConference.objects.filter(person__programme_id=programme_id, participants=user, date__gte=since)
        .select_related("person")
        .only("date", "start_time", "duration", "place", "person__code")
        .annotate(case_id=Subquery(newest))
        .order_by("date", "start_time", "id")
    )
    return [conference_event(row, case_id=getattr(row, "case_id", None)) for row in rows]
