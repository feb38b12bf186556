"""One error envelope for every refused API request:

``{"error": {"status": 404, "code": "not_found", "message": "…", "fields": {"name": ["…"]}}}``
"""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from approdi.core.conflicts import Conflict


def envelope(api, request, *, status: int, code: str, message: str, fields: dict | None = None):
    return api.create_response(
        request, {"error": {"status": status, "code": code, "message": message, "fields": fields or {}}}, status=status
    )


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
    if kind.startswith(("string_too_long",)):
        return _("This value is too long.")
    if kind in {"literal_error", "enum"}:
        return _("Select a valid choice.")
    return _("Enter a valid value.")


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
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        codes = {error.code for error in exc.error_list} if not hasattr(exc, "error_dict") else set()
        codes |= {error.code for errors in getattr(exc, "error_dict", {}).values() for error in errors}
        for closed in ("closed_period", "reason_required"):  # approdi/network/closing.py: the period is closed
            if closed in codes:
                return envelope(
                    api, request, status=409, code=closed, message=_("This period is closed."), fields=fields
                )
        return envelope(api, request, status=400, code="invalid", message=_("The data is not valid."), fields=fields)

    @api.exception_handler(Conflict)
    def conflict(request, exc):
        """The record's state refuses the change, often because another request just changed it: 409."""
        fields = exc.message_dict if hasattr(exc, "error_dict") else {}
        return envelope(api, request, status=409, code="conflict", message=exc.messages[0], fields=fields)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return envelope(api, request, status=401, code="unauthenticated", message=_("A valid API token is required."))

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return envelope(api, request, status=403, code="forbidden", message=_("Your role does not allow this."))

    def not_found(request, exc):
        return envelope(api, request, status=404, code="not_found", message=_("Not found."))

    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(ObjectDoesNotExist, not_found)

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        if exc.status_code == 400:  # ninja's answer to a body it cannot parse
            return envelope(api, request, status=400, code="invalid", message=_("The request body is not valid JSON."))
        return envelope(api, request, status=exc.status_code, code="error", message=str(exc))
