"""What every part of the API shares: the answer to a creation, the 409 envelope, a page of a list, choices."""

from datetime import date
from typing import Annotated, Any, Literal

from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import PaginationBase

from approdi.core import paginator
from approdi.core.paginator import COUNT_CAP, MAX_ID, rows_after

# Far beyond any list, and within every database's integers (a larger offset overflowed into a 500).
MAX_OFFSET = 1_000_000_000
Limit = Annotated[int, Field(ge=1, le=1000)]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET)]


class CreatedOut(Schema):
    id: int


# The envelope of errors.py, declared on the routes that answer 409 themselves. No docstring: it would
# become the OpenAPI component's description, which clients already read without one.
class ErrorOut(Schema):
    error: dict


class Page(Schema):
    """A page of a list: subclasses narrow ``items``; ``count`` is the length of the whole list."""

    items: list[Any]
    count: int


class PageIn(Schema):
    limit: Limit = 100
    offset: Offset = 0


class LimitOffset(PaginationBase):
    """``limit`` and ``offset`` in the query string; the answer is the route's ``Page``: ``{"items", "count"}``."""

    Input = PageIn
    # Each route declares its own Page (ContactListOut …): the OpenAPI document keeps the names clients know.
    Output = None

    def paginate_queryset(self, queryset, pagination, request, **params):
        limit, offset = pagination.limit, pagination.offset
        items = list(queryset[offset : offset + limit])
        if len(items) < limit and (items or offset == 0):
            # A short page ends the list, so its length gives the count without a COUNT(*) (issue #20).
            count = offset + len(items)
        else:
            count = queryset.count()
        return {"items": items, "count": count}


class CursorPage(Page):
    """A page of a list sorted newest first, with where the next page starts."""

    count: int = Field(
        ...,
        description=(
            f"The rows of the list; on a page asked with `after`, counted up to {COUNT_CAP:,} (a longer list answers"
            f" {COUNT_CAP + 1:,})."
        ),
    )
    next: str | None = Field(
        ..., description="Pass it as `after` for the next page (null on the last page): as fast at any depth."
    )


class CursorIn(PageIn):
    after: str = Field("", max_length=200, description="The `next` of the page before; not with `offset`.")


class NewestFirst(PaginationBase):
    """``limit`` and ``offset`` as ``LimitOffset``, or ``after``: the ``next`` of the page before (issue #20).

    For lists sorted by ``date`` then ``id``, newest first, in the order of an index that ends with them. An offset
    reads and skips every row before the page; ``after`` starts at the position of the last row given, so page 200
    costs what page 2 does. The position is signed with the list's path: a forged, altered or other list's cursor
    answers 400. ``count`` is exact unless the page is asked with ``after`` (DESIGN.md §9: a caller may page by
    offset up to it); a cursor's pages count up to ``COUNT_CAP`` as the list pages do, since counting 300,000
    contacts on every page cost more than the page.
    """

    # ninja's own stubs type these as its nested classes; a schema of ours (and no Output) is what it expects.
    Input = CursorIn  # type: ignore[assignment]
    Output = None  # type: ignore[assignment]

    def paginate_queryset(self, queryset, pagination, request, **params):
        limit, offset = pagination.limit, pagination.offset
        if pagination.after and offset:
            raise ValidationError({"after": [_("Give either after or offset, not both.")]})
        rows = rows_after(queryset, *_position(request, pagination.after)) if pagination.after else queryset
        found = list(rows[offset : offset + limit + 1])
        items, more = found[:limit], len(found) > limit
        if not more and not pagination.after and (items or offset == 0):
            count = offset + len(items)  # the list ends on this page: its length is known without a COUNT
        elif pagination.after:
            count = queryset[: paginator.COUNT_CAP + 1].count()
        else:
            # Without a cursor the caller may page by offset up to ``count`` (DESIGN.md §9): the exact length.
            count = queryset.count()
        after = _cursor(request, items[-1]) if more else None
        return {"items": items, "count": count, "next": after}


def _salt(request) -> str:
    return f"approdi.api.after:{request.path}"


def _cursor(request, row) -> str:
    return signing.dumps([row.date.isoformat(), row.pk], salt=_salt(request))


def _position(request, cursor: str) -> tuple[date, int]:
    try:
        day, pk = signing.loads(cursor, salt=_salt(request))
        position = date.fromisoformat(day), int(pk)
    except (signing.BadSignature, TypeError, ValueError):
        position = None
    if position is None or not 0 < position[1] <= MAX_ID:
        raise ValidationError({"after": [_("This is not a cursor of this list: ask its first page again.")]})
    return position


def choice(choices, *, blank: bool = False) -> Any:
    """A ``Literal`` of a model's choice values (with ``""`` when the field may be left empty)."""
    values = tuple(choices.values)
    return Literal[("", *values) if blank else values]


def allowed(context: dict, perm: str) -> bool:
    """Whether the acting user may ``perm``: asked once per request, however many rows an answer has."""
    request = context["request"]
    asked = request.__dict__.setdefault("_api_allowed", {})
    if perm not in asked:
        asked[perm] = request.user.has_perm(perm)
    return asked[perm]


def programme_code(obj, context: dict) -> str:
    """The code of a scoped record's programme: the one the request acts under, so no query per row."""
    programme = context["request"].membership.programme
    return programme.code if obj.programme_id == programme.pk else obj.programme.code
