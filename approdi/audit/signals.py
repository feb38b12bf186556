from django.dispatch import receiver

from approdi.core.permissions import permission_refused

from .services import record_denied


@receiver(permission_refused)
def audit_refusal(sender, request, perm: str, **kwargs):
    record_denied(actor=request.user, object_type=perm, reason=request.path[:200])
