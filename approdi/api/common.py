"""What every part of the API shares: the answer to a creation, the 409 envelope, a page of a list, choices."""

from typing import Annotated, Any, Literal

from ninja import Field, Schema
from ninja.pagination import PaginationBase

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
