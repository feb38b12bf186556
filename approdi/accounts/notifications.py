"""Notices: what needs a user, in the header's bell and on My work, and by e-mail for the kinds she chose.

Two sorts of kind, decided here once:

- **Derived** (a new referral in the queue, a night entry to regularise, a deadline, a conference action of hers):
  the bell counts the rows of the app's own rule (the queue, ``shelter.night.open_entries``,
  ``cases.deadlines.pressing``, the actions she owns), read where it is kept: one rule, one place, nothing copied
  that could drift. Such a notice has no "read" state: it goes when the work is done (the referral taken up, the
  entry regularised, the deadline past, the action done).
- **Stored** (a case assigned to her, a transfer proposed to her): an event that happened once, which she has seen
  or not. A ``Notification`` row is written in the transaction of the service that made the event, and she marks
  it read (``mark_read``).

Apps above accounts cannot be imported here: each registers its kinds (``register``) when it is ready
(``<app>/notices.py``), as the home page's panels do (core/home.py).

The header pays one statement for all of it (``counts``: a subquery per rule in one SELECT), and none for a role
no kind reaches. E-mail: ``announce`` queues ``send_notice`` (django-tasks, in the service's transaction, so it
goes only if the work commits) for the recipients who chose the kind (``User.email_notices``; else the kind's
default). A message says what happened, the person's code and a link: never her identity.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, connections, transaction
from django.db.models import F, Func, IntegerField, QuerySet, Subquery
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import get_scope, scope, scopes_disabled
from django_tasks import task

from approdi.audit.models import Action
from approdi.audit.services import record

from .models import Membership, Notification, User
from .roles import Role

if TYPE_CHECKING:
    from approdi.network.models import Programme

    from .actor import Actor

Pending = Callable[["Actor", date], Sequence[QuerySet]]


@dataclass(frozen=True)
class Item:
    """One row of a kind's list on My work: what, whose (the person's code), by when, where to go."""

    text: str
    code: str
    due: date | None
    url: str


Items = Callable[["Actor", date], list[Item]]


@dataclass(frozen=True)
class Kind:
    code: str
    label: Promise  # what needs her, as My work, the account page and the e-mail's subject say it
    perm: str  # the kind reaches only users who hold it
    # The rows that need her now (each counted). Their SQL may depend on the actor, her acting membership and scope
    # and the day, nothing else (no clock time, no value read while building it): the bell keeps it by those.
    pending: Pending
    order: int
    url: str = ""  # where the work is (a URL name), for the derived kinds
    anchor: str = ""  # and what follows the page's path: its section ("#...") or a filter ("?...")
    items: Items | None = None  # its rows, for a kind My work lists one by one
    email_default: bool = False
    choice: Promise | None = None  # how My account offers its e-mail, when it differs from ``label``

    @property
    def choice_label(self) -> Promise:
        return self.choice or self.label

    @property
    def stored(self) -> bool:
        return self.code in Notification.Kind.values

    def link(self) -> str:
        return (reverse(self.url) + self.anchor) if self.url else reverse("cases:my_work") + "#needs-you"


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    _KINDS[kind.code] = kind
    return kind


def kinds() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.order)


def kinds_for(actor: Actor) -> list[Kind]:
    """The kinds that may reach the acting user (none for a role without them: the header reads nothing)."""
    return [kind for kind in kinds() if actor.has_perm(kind.perm)]


def _count(rows: QuerySet) -> Subquery:
    # COUNT as a plain function, so the subquery groups nothing: one number per rule.
    counted = rows.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Subquery(counted, output_field=IntegerField())


@dataclass(frozen=True)
class _Statement:
    sql: str
    params: tuple
    columns: tuple[str, ...]  # n_<kind code>_<i>, in the statement's order
    using: str


# The bell's statement, compiled, by everything its text depends on (``_statement_key``). Building a dozen rules'
# querysets and compiling them cost about 10 ms of every page of a Filtro or a case worker (docs/benchmarks.md,
# "Every page at national scale"); running the statement costs one. The counts are read fresh every time: only the
# SQL text and its parameters are kept, and a change of the user's role, organisation, programme, scope or day is a
# new key. Per process, bounded.
_STATEMENTS: OrderedDict[tuple, _Statement | None] = OrderedDict()
_STATEMENTS_KEPT = 2048


def _statement_key(actor: Actor, today: date, kinds: list[Kind]) -> tuple | None:
    membership = getattr(actor, "active_membership", None)
    if membership is None:
        return None
    current = tuple(
        sorted(
            (name, tuple(value) if isinstance(value, list | tuple | set) else value)
            for name, value in get_scope().items()
        )
    )
    acting = (membership.pk, membership.role, membership.organisation_id, membership.programme_id, membership.status)
    return (actor.pk, acting, today, current, tuple(kind.code for kind in kinds))


def _compile(actor: Actor, today: date, kinds: list[Kind]) -> tuple[_Statement | None, bool]:
    """The bell's statement, and whether building it read nothing (then its text is a function of the key alone)."""
    rules: dict[str, Subquery] = {}
    read: list[str] = []

    def noted(execute, sql, params, many, context):
        read.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(noted):
        for kind in kinds:
            for i, rows in enumerate(kind.pending(actor, today)):
                rules[f"n_{kind.code}_{i}"] = _count(rows)
        if not rules:
            return None, not read
        queryset = User.objects.filter(pk=actor.pk).annotate(**rules).values_list(*rules)
        sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    return _Statement(sql, tuple(params), tuple(rules), queryset.db), not read


def counts(*, actor: Actor, today: date | None = None) -> dict[str, int]:
    """How many of each kind need the actor now, by code: one statement, read once per request."""
    cached = getattr(actor, "_approdi_notice_counts", None)
    if cached is not None:
        return cached
    today = today or timezone.localdate()
    kinds = kinds_for(actor)
    key = _statement_key(actor, today, kinds)
    if key is not None and key in _STATEMENTS:
        _STATEMENTS.move_to_end(key)
        statement = _STATEMENTS[key]
    else:
        statement, pure = _compile(actor, today, kinds)
        if key is not None and pure:
            _STATEMENTS[key] = statement
            if len(_STATEMENTS) > _STATEMENTS_KEPT:
                _STATEMENTS.popitem(last=False)
    found: dict[str, int] = {}
    if statement is not None:
        with connections[statement.using].cursor() as cursor:
            cursor.execute(statement.sql, statement.params)
            row = cursor.fetchone()
        for column, n in zip(statement.columns, row, strict=True):
            code = column[2:].rsplit("_", 1)[0]
            found[code] = found.get(code, 0) + int(n or 0)
    actor._approdi_notice_counts = found
    return found


def total(*, actor: Actor) -> int:
    return sum(counts(actor=actor).values())


@dataclass(frozen=True)
class Line:
    kind: Kind
    count: int
    items: list[Item]


def summary(*, actor: Actor, today: date | None = None) -> list[Line]:
    """The derived kinds that need the actor, with how many (and their rows, for a kind listed one by one):
    My work's "What needs you". A kind with nothing pending reads nothing more."""
    today = today or timezone.localdate()
    found = counts(actor=actor, today=today)
    return [
        Line(kind, found[kind.code], kind.items(actor, today) if kind.items else [])
        for kind in kinds_for(actor)
        if not kind.stored and found.get(kind.code)
    ]


def unread(*, actor: Actor) -> QuerySet[Notification]:
    """The actor's events not yet seen, in the acting programme, newest first."""
    return Notification.objects.filter(recipient=actor, read_at__isnull=True)


@transaction.atomic
def mark_read(*, actor: Actor, pk: int) -> Notification:
    """Marks one of the actor's own notices read; anyone else's answers 404 as a missing one would."""
    notice = Notification.objects.filter(recipient=actor, pk=pk).first()
    if notice is None:
        raise Http404
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
        record(actor=actor, action=Action.CHANGE, obj=notice, fields=["read_at"])
    return notice


def settle(*, kind: str, path: str) -> int:
    """The event's work is over (a transfer answered or revoked): its notices stop waiting, for everyone."""
    return Notification.objects.filter(kind=kind, path=path, read_at__isnull=True).update(read_at=timezone.now())


# --- e-mail --------------------------------------------------------------------------------------------------


def wants_email(user: User, code: str) -> bool:
    kind = _KINDS.get(code)
    if kind is None:
        return False
    return bool((user.email_notices or {}).get(code, kind.email_default))


@transaction.atomic
def set_email_kinds(*, actor: Actor, chosen: Iterable[str]) -> None:
    """Her choice for the kinds that may reach her now; the kinds of her other roles keep theirs."""
    chosen = set(chosen)
    choices = dict(actor.email_notices or {})
    for kind in kinds_for(actor):
        choices[kind.code] = kind.code in chosen
    if choices != actor.email_notices:
        actor.email_notices = choices
        actor.save(update_fields=["email_notices"])
        record(actor=actor, action=Action.CHANGE, obj=actor, fields=["email_notices"])


def queue_office(programme: Programme) -> list[User]:
    """The Ufficio Filtro of ``programme``: the users holding the role at its lead entity (``rules.filtro``)."""
    return list(
        User.objects.filter(
            is_active=True,
            pk__in=Membership.objects.acting()
            .filter(programme=programme, role=Role.FILTRO, organisation_id=programme.lead_organisation_id)
            .values("user_id"),
        ).order_by("pk")
    )


def announce(*, kind: str, programme_id: int, recipients: Iterable[User], code: str = "", path: str = "") -> None:
    """Tells ``recipients`` of an event, inside the transaction of the service that made it: a stored kind writes
    one ``Notification`` each; those who chose the kind get an e-mail (the code and a link, no identity)."""
    spec = _KINDS[kind]
    users = list({user.pk: user for user in recipients if user.is_active}.values())
    path = path or spec.link()
    if spec.stored and users:
        with scope(programme=[programme_id]):
            Notification.objects.bulk_create(
                Notification(programme_id=programme_id, recipient=user, kind=kind, code=code, path=path)
                for user in users
            )
    to = _choosing([user.pk for user in users], kind)
    if to:
        send_notice.enqueue(user_ids=to, kind=kind, code=code, path=path)


def _choosing(user_ids: list[int], kind: str) -> list[int]:
    """Of ``user_ids``, those who chose ``kind`` and can be written to, by their choice as stored now."""
    if not user_ids:
        return []
    users = User.objects.filter(pk__in=user_ids, is_active=True).exclude(email="").only("pk", "email_notices")
    return sorted(user.pk for user in users if wants_email(user, kind))


def link(path: str) -> str:
    return settings.APPRODI_SITE_URL.rstrip("/") + path


def message(*, kind: str, code: str, path: str) -> tuple[str, str]:
    """The subject and the body of a notice's e-mail: what, the code, the link."""
    label = str(_KINDS[kind].label)
    subject = _("Approdi: %(what)s") % {"what": label}
    lines = [f"{label}: {code}" if code else label, "", link(path), ""]
    lines.append(_("Open the link in Approdi to see what to do. E-mails from Approdi never name the person."))
    return subject, "\n".join(lines)


@task()
def send_notice(*, user_ids: list[int], kind: str, code: str, path: str) -> int:
    """One e-mail per recipient, in the deployment's language; each one sent is audited."""
    sent = 0
    with scopes_disabled(), translation.override(settings.LANGUAGE_CODE):
        subject, body = message(kind=kind, code=code, path=path)
        for user in User.objects.filter(pk__in=_choosing(user_ids, kind)).order_by("pk"):
            send_mail(subject=subject, message=body, from_email=None, recipient_list=[user.email])
            record(
                action=Action.CREATE,
                object_type="accounts.notice_email",
                object_id=user.pk,
                reason=kind,
                username="send_notice",
            )
            sent += 1
    return sent


# The stored kinds: an event the cases app writes (``cases.services.case``); the link is the row's own.
register(
    Kind(
        code=Notification.Kind.ASSIGNED.value,
        label=gettext_lazy("A case assigned to you"),
        perm="cases.view_cases",
        pending=lambda actor, today: [unread(actor=actor).filter(kind=Notification.Kind.ASSIGNED)],
        order=30,
    )
)
register(
    Kind(
        code=Notification.Kind.PROPOSED.value,
        label=gettext_lazy("A transfer proposed to you"),
        perm="cases.view_cases",
        pending=lambda actor, today: [unread(actor=actor).filter(kind=Notification.Kind.PROPOSED)],
        order=40,
    )
)
