from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from approdi.audit.models import Action
from approdi.audit.services import changed_fields, record
from approdi.core.permissions import ensure

from ..models import Case


def ensure_open(actor, perm: str, case: Case) -> None:
    """The actor may do ``perm`` on the case, and the case is still open to changes."""
    ensure(actor, perm, case)
    if case.status == Case.Status.CLOSED:
        raise ValidationError(_("The case is closed: it can be read but not changed."))


def save_new(*, actor, obj: models.Model, exclude: list[str] | None = None) -> models.Model:
    obj.full_clean(exclude=exclude)
    obj.save()
    record(actor=actor, action=Action.CREATE, obj=obj, fields=changed_fields(None, obj))
    return obj


def save_changes(*, actor, before: models.Model, after: models.Model, exclude: list[str] | None = None) -> None:
    after.full_clean(exclude=exclude)
    after.save()
    record(actor=actor, action=Action.CHANGE, obj=after, fields=changed_fields(before, after))
