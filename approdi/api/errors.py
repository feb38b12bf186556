"""One error envelope for every refused API request:

``{"error": {"status": 404, "code": "not_found", "message": "…", "fields": {"name": ["…"]}}}``
"""

import contextlib
import json

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, RequestDataTooBig, ValidationError
from django.db import IntegrityError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import BaseModel

from approdi.core.conflicts import Conflict


def envelope(api, request, *, status: int, code: str, message: str, fields: dict | None = None):
    return api.create_response(
        request, {"error": {"status": status, "code": code, "message": message, "fields": fields or {}}}, status=status
    )


class ErrorBody(BaseModel):
    status: int
    code: str
    message: str
    fields: dict[str, list[str]]


class ErrorEnvelope(BaseModel):
    error: ErrorBody


def error_response(*, status: int, code: str, message: str, fields: dict | None = None) -> JsonResponse:
    """The envelope outside django-ninja: for what is refused before a route runs, or answered by Django."""
    body = {"error": {"status": status, "code": code, "message": message, "fields": fields or {}}}
    return JsonResponse(body, status=status)


def _plain_answers():
    """Django's own refusals under /api/ (no route, wrong method, a bad request), as envelopes."""
    return {
        400: ("invalid", _("The request is not valid.")),
        404: ("not_found", _("Not found.")),
        405: ("method_not_allowed", _("This method is not allowed here.")),
        413: ("too_large", _("The request body is too large.")),
        500: ("server_error", _("Something went wrong on our side; the error has been logged.")),
    }


def as_envelope(response):
    """An answer of the API that is not JSON (Django's HTML 404, 405, 400, 500) becomes the envelope."""
    if response.status_code < 400 or response.get("Content-Type", "").startswith("application/json"):
        return response
    code, message = _plain_answers().get(response.status_code, ("error", _("The request is not valid.")))
    answer = error_response(status=response.status_code, code=code, message=message)
    if response.has_header("Allow"):
        answer["Allow"] = response["Allow"]
    return answer


def _nul_fields(value, path: str = "") -> list[str]:
    if isinstance(value, str):
        return [path or "__all__"] if "\x00" in value else []
    if isinstance(value, dict):
        return [f for k, v in value.items() for f in _nul_fields(k, path) + _nul_fields(v, f"{path}.{k}".strip("."))]
    if isinstance(value, list):
        return [f for item in value for f in _nul_fields(item, path)]
    return []


def refuse_bad_input(request):
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE (413), or a NUL character anywhere (422): refused before any route.

    PostgreSQL cannot store NUL in text and the driver refuses to send it, so it is refused here, where
    the request enters, as Django's forms refuse it for pages.
    """
    try:
        body = request.body
    except RequestDataTooBig:
        return error_response(status=413, code="too_large", message=_("The request body is too large."))
    fields = [name for name, values in request.GET.lists() for v in [name, *values] if "\x00" in v]
    if "\x00" in request.path:
        fields.append("__all__")
    if body and request.content_type == "application/json":
        with contextlib.suppress(ValueError):  # the route answers that the body is not valid JSON
            data = json.loads(body)
            if not isinstance(data, dict):
                # Every body of the API is an object; django-ninja would read a bare number as "no fields".
                return error_response(
                    status=422,
                    code="invalid",
                    message=_("The request is not valid."),
                    fields={"__all__": [_("The body must be a JSON object.")]},
                )
            fields += _nul_fields(data)
    elif b"\x00" in body:
        fields.append("__all__")
    if fields:
        message = _("NUL characters are not allowed.")
        return error_response(
            status=422,
            code="invalid",
            message=_("The request is not valid."),
            fields={name: [message] for name in dict.fromkeys(fields)},
        )
    return None


# The refusals every operation can give: bad data (400), no token (401), a role that may not (403),
# a record outside the scope (404), a body too large (413), parameters or body not as documented (422).
# Writes can also meet a conflict (409).
COMMON_STATUSES = (400, 401, 403, 404, 413, 422)
WRITE_STATUSES = (409,)


def _descriptions():
    return {
        400: "The data is not valid (the error's fields name what to correct).",
        401: "A valid API token is required.",
        403: "Your role does not allow this.",
        404: "Not found, or outside what your membership sees.",
        409: "Conflict with the current state (for example a bed taken meanwhile, a report no longer a draft).",
        413: "The request body is too large.",
        422: "The parameters or the body do not match this document.",
    }


def document(schema: dict) -> dict:
    """Declares, on every operation of the OpenAPI document, the error envelope for each 4xx it can give."""
    definitions = ErrorEnvelope.model_json_schema(ref_template="#/components/schemas/{model}")
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.update(definitions.pop("$defs", {}))
    components["ErrorEnvelope"] = definitions
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}}
    for operations in schema["paths"].values():
        for method, operation in operations.items():
            statuses = COMMON_STATUSES + (WRITE_STATUSES if method in ("post", "put", "patch", "delete") else ())
            responses = operation.setdefault("responses", {})
            for status in statuses:
                responses.setdefault(status, {"description": _descriptions()[status], "content": content})
    return schema


def _pydantic_message(error: dict) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return _("This field is required.")
    if kind.startswith(("int", "float", "decimal")):
        return _("Enter a number.")
    if kind.startswith("date"):
        return _("Enter a date as YYYY-MM-DD.")
    limits = error.get("ctx") or {}
    if kind == "less_than_equal" and "le" in limits:
        return _("Enter a number no greater than %(limit)s.") % {"limit": limits["le"]}
    if kind == "greater_than_equal" and "ge" in limits:
        return _("Enter a number no less than %(limit)s.") % {"limit": limits["ge"]}
    if kind == "time_offset":
        return _("Give the local time, without a UTC offset.")
    if kind.startswith(("string_too_long",)):
        return _("This value is too long.")
    if kind in {"literal_error", "enum"}:
        return _("Select a valid choice.")
    return _("Enter a valid value.")


# What a route refuses by raising, as the envelope's body: ``refusal`` serves the handlers below and the routes
# that answer several records at once (``POST /outreach/sync``), so a record is refused alike in either.
REFUSALS = (ValidationError, Conflict, PermissionDenied, Http404, ObjectDoesNotExist, IntegrityError)


def refusal(exc: Exception) -> dict:
    """The envelope's body (``status``, ``code``, ``message``, ``fields``) for one of ``REFUSALS``."""
    if isinstance(exc, Conflict):
        # The record's state refuses the change, often because another request just changed it: 409.
        fields = exc.message_dict if hasattr(exc, "error_dict") else {}
        return _body(409, "conflict", exc.messages[0], fields)
    if isinstance(exc, ValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        codes = {error.code for error in exc.error_list} if not hasattr(exc, "error_dict") else set()
        codes |= {error.code for errors in getattr(exc, "error_dict", {}).values() for error in errors}
        for closed in ("closed_period", "reason_required"):  # approdi/network/closing.py: the period is closed
            if closed in codes:
                # The body names the reason ``amend_reason`` on every write; the services say ``reason``.
                fields = {("amend_reason" if k == "reason" else k): v for k, v in fields.items()}
                return _body(409, closed, _("This period is closed."), fields)
        return _body(400, "invalid", _("The data is not valid."), fields)
    if isinstance(exc, PermissionDenied):
        return _body(403, "forbidden", _("Your role does not allow this."))
    if isinstance(exc, Http404 | ObjectDoesNotExist):
        return _body(404, "not_found", _("Not found."))
    if isinstance(exc, IntegrityError):
        # A constraint the services' checks could not see coming (two requests at once): the data stays right.
        return _body(409, "conflict", _("The data changed meanwhile: try again."))
    raise TypeError(f"not a refusal: {exc!r}")


def _body(status: int, code: str, message: str, fields: dict | None = None) -> dict:
    return {"status": status, "code": code, "message": message, "fields": fields or {}}


def _refused(api, request, exc: Exception):
    body = refusal(exc)
    return api.create_response(request, {"error": body}, status=body["status"])


def install(api) -> None:
    @api.exception_handler(NinjaValidationError)
    def invalid_request(request, exc):
        fields: dict[str, list[str]] = {}
        for error in exc.errors:
            location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "payload")]
            fields.setdefault(".".join(location) or "__all__", []).append(_pydantic_message(error))
        return envelope(api, request, status=422, code="invalid", message=_("The request is not valid."), fields=fields)

    @api.exception_handler(ValidationError)
    def invalid_data(request, exc):
        return _refused(api, request, exc)

    @api.exception_handler(Conflict)
    def conflict(request, exc):
        """The record's state refuses the change, often because another request just changed it: 409."""
        return _refused(api, request, exc)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return envelope(api, request, status=401, code="unauthenticated", message=_("A valid API token is required."))

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return _refused(api, request, exc)

    def not_found(request, exc):
        return _refused(api, request, exc)

    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(ObjectDoesNotExist, not_found)

    @api.exception_handler(RequestDataTooBig)
    def too_large(request, exc):
        return envelope(api, request, status=413, code="too_large", message=_("The request body is too large."))

    @api.exception_handler(IntegrityError)
    def integrity_conflict(request, exc):
        return _refused(api, request, exc)

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        if exc.status_code == 400:  # ninja's answer to a body it cannot parse
            return envelope(api, request, status=400, code="invalid", message=_("The request body is not valid JSON."))
        return envelope(api, request, status=exc.status_code, code="error", message=str(exc))
