from django.contrib.auth.signals import user_logged_out, user_login_failed
from django.dispatch import receiver

from approdi.audit.models import Action
from approdi.audit.services import record

from .models import User


def organisation_of(user: User | None) -> int | None:
    if user is None:
        return None
    membership = user.memberships.order_by("id").first()
    return membership.organisation_id if membership else None


@receiver(user_logged_out)
def audit_sign_out(sender, request, user, **kwargs):
    if user is not None:
        record(actor=user, action=Action.SIGN_OUT, organisation_id=organisation_of(user))


@receiver(user_login_failed)
def audit_failed_sign_in(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    user = User.objects.filter(username=username).first()
    record(action=Action.SIGN_IN_FAILED, username=username, organisation_id=organisation_of(user))
