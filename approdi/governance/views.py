"""The governance tables' pages: the tables, a table, its meetings (scheduled, recorded, as an invitation, as PDF
minutes), an action marked done, and a user's private calendar address and its feed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_scopes import scope

from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.core.forms import add_errors
from approdi.core.permissions import allow_unverified, require_perm
from approdi.core.redirects import safe_next

from . import ical, pdf, selectors, services
from .forms import ActionForm, RecordForm, ScheduleForm, TableForm
from .models import Meeting, Table


@login_required
def table_list(request):
    require_perm(request, selectors.VIEW)
    context = {"tables": selectors.tables(actor=request.user)}
    return render(request, "governance/table_list.html", context)


def _table_form_page(request, table: Table | None):
    if table is None:
        require_perm(request, selectors.ADD)
    else:
        require_perm(request, selectors.RUN, table)
    users, referents = services.programme_users(actor=request.user), services.programme_referents(actor=request.user)
    initial = TableForm.initial_of(table) if table else {"convenor": request.user, "duration": 120}
    form = TableForm(request.POST or None, initial=initial, users=users, referents=referents)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_table(actor=request.user, table=table, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("%(name)s saved.") % {"name": saved.name})
            return redirect("governance:table_detail", pk=saved.pk)
    return render(request, "governance/table_form.html", {"form": form, "table": table})


@login_required
def table_new(request):
    return _table_form_page(request, None)


@login_required
def table_edit(request, pk: int):
    return _table_form_page(request, selectors.table(actor=request.user, pk=pk))


@login_required
def table_detail(request, pk: int):
    table = selectors.table(actor=request.user, pk=pk)
    context = {
        "table": table,
        "meetings": selectors.meetings_of(actor=request.user, table=table),
        "planned": selectors.planned(table=table),
        "runs": request.user.has_perm(selectors.RUN, table),
    }
    return render(request, "governance/table_detail.html", context)


@login_required
def meeting_new(request, pk: int):
    table = selectors.table(actor=request.user, pk=pk)
    require_perm(request, selectors.RUN, table)
    planned = selectors.planned(table=table, count=1)
    day, at = services.schedule_at(planned[0]) if planned else (timezone.localdate(), table.start_time)
    initial = {"day": day, "start_time": at, "duration": table.duration, "place": table.place}
    form = ScheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.schedule_meeting(actor=request.user, table=table, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Meeting scheduled."))
            return redirect("governance:meeting_detail", pk=meeting.pk)
    return render(request, "governance/meeting_form.html", {"form": form, "table": table})


@login_required
def meeting_detail(request, pk: int):
    meeting = selectors.meeting(actor=request.user, pk=pk)
    runs = request.user.has_perm(selectors.RUN, meeting.table)
    form = None
    if runs:
        form = ActionForm(request.POST or None, users=services.programme_users(actor=request.user), prefix="action")
    if request.method == "POST":
        require_perm(request, selectors.RUN, meeting.table)
        if form is not None and form.is_valid():
            try:
                services.add_action(actor=request.user, meeting=meeting, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Action added."))
                return redirect("governance:meeting_detail", pk=meeting.pk)
    context = {"meeting": meeting, "table": meeting.table, "runs": runs, "form": form, "today": timezone.localdate()}
    return render(request, "governance/meeting_detail.html", context)


@login_required
def meeting_record(request, pk: int):
    meeting = selectors.meeting(actor=request.user, pk=pk)
    require_perm(request, selectors.RUN, meeting.table)
    form = RecordForm(request.POST or None, initial=RecordForm.initial_of(meeting), table=meeting.table)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_meeting(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Meeting recorded."))
            return redirect("governance:meeting_detail", pk=meeting.pk)
    return render(request, "governance/meeting_record.html", {"form": form, "meeting": meeting})


@login_required
@require_GET
def meeting_ics(request, pk: int):
    """The meeting as an iCalendar invitation to add to one's calendar."""
    meeting = selectors.meeting(actor=request.user, pk=pk)
    body = ical.calendar([meeting])
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


@login_required
@require_GET
def minutes_pdf(request, pk: int):
    meeting = selectors.meeting(actor=request.user, pk=pk)
    record(actor=request.user, action=Action.EXPORT, obj=meeting, fields=["minutes"], reason="pdf")
    response = HttpResponse(pdf.minutes_pdf(meeting), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="minutes-{meeting.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def action_done(request, pk: int):
    action = selectors.action(actor=request.user, pk=pk)
    require_perm(request, selectors.COMPLETE, action)
    try:
        services.complete_action(actor=request.user, action=action)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Action marked as done."))
    return redirect(safe_next(request, reverse("governance:table_list")))


@login_required
def calendar_page(request):
    """Her private calendar address: made (shown once), made anew (the old one stops), or revoked."""
    require_perm(request, selectors.CALENDAR)
    address = ""
    if request.method == "POST":
        if request.POST.get("do") == "revoke":
            if services.revoke_calendar_feed(actor=request.user):
                messages.success(request, _("Calendar address revoked: calendars reading it get nothing more."))
            return redirect("governance:calendar")
        token = services.new_calendar_feed(actor=request.user)
        address = request.build_absolute_uri(reverse("governance:calendar_feed", args=[token]))
    context = {"feed": selectors.live_feed(actor=request.user), "address": address}
    response = render(request, "governance/calendar.html", context)
    return response


@allow_unverified
@never_cache
@require_GET
def calendar_feed(request, token: str):
    """The meetings of her tables, and the case conferences she takes part in, for her calendar application.

    Opened by the token alone (a calendar cannot sign in), so it carries no one's name and no agenda (a table's
    agenda may name people by their code): a table's name, or a conference's person code, the time, the place and
    the link to the meeting's page in Approdi, where the agenda is read behind sign-in (governance/ical.py)."""
    feed = selectors.feed_of_token(token)
    if feed is None:
        raise Http404
    services.feed_read(feed)
    with scope(organisation=[], programme=[feed.programme_id]):
        meetings = list(selectors.meetings_for_feed(user=feed.user, programme_id=feed.programme_id))
        events: list[Meeting | ical.Event] = [
            *meetings,
            *ical.feed_events(user=feed.user, programme_id=feed.programme_id),
        ]
        body = ical.calendar(events, name=f"Approdi · {feed.programme.code}")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["X-Robots-Tag"] = "noindex"
    return response
