"""A person asks for help on the public site (approdi/public/): a self-referral in the Ufficio Filtro's queue.

Nobody is signed in. The referral belongs to the edition running today, filed under its lead entity (the Filtro's
office); its contact details are in the encrypted fields (``phone``, ``notes``), as every identity; the audit
row names no user and no address (``without_ip``), and nothing else about the request is kept.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approdi.accounts import notifications
from approdi.audit.models import Action
from approdi.audit.services import changed_fields, record
from approdi.core.middleware import without_ip
from approdi.network.dates import running_edition
from approdi.outreach.codes import ReferralChannel, SourceType
from approdi.outreach.models import Referral
from approdi.outreach.services import build_referral

# How the person wants to be contacted: codes of the public form; the Filtro reads the labels in its language.
CONTACT_WAYS = {
    "phone": gettext_lazy("Phone call"),
    "whatsapp": gettext_lazy("WhatsApp"),
    "email": gettext_lazy("E-mail"),
    "she_calls": gettext_lazy("She will call us: do not contact her"),
}
# Letters a person can read out on the phone without confusion (no 0/O, 1/I/L).
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


class NoQueue(Exception):
    """No edition is running today (or it has no lead entity): a request would reach nobody."""


def new_reference() -> str:
    return "W-" + "".join(secrets.choice(_ALPHABET) for _ in range(6))


def _notes(*, contact_way: str, email: str, safe_times: str, language: str, message: str, page_language: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):  # read by the Filtro, whatever language the person used
        lines = [
            _("Asked for help on the public website (page in %(language)s).") % {"language": page_language},
            _("Contact: %(way)s") % {"way": CONTACT_WAYS[contact_way]},
        ]
        if email:
            lines.append(_("E-mail: %(email)s") % {"email": email})
        if safe_times:
            lines.append(_("Safe times: %(times)s") % {"times": safe_times})
        if language:
            lines.append(_("Language: %(language)s") % {"language": language})
        if message:
            lines += ["", message]
        return "\n".join(lines)


def receive_help_request(
    *,
    contact_way: str,
    phone: str = "",
    email: str = "",
    safe_times: str = "",
    language: str = "",
    message: str = "",
    page_language: str,
) -> Referral:
    """Files the request as a new self-referral from the web; answers the referral (its ``reference`` to quote).

    Raises ``NoQueue`` when no edition is running today: there is no queue to put it in.
    """
    if contact_way not in CONTACT_WAYS:
        raise ValidationError({"contact_way": [_("Choose how to be contacted.")]})
    programme = running_edition()
    if programme is None or programme.lead_organisation is None:
        raise NoQueue
    notes = _notes(
        contact_way=contact_way,
        email=email,
        safe_times=safe_times,
        language=language,
        message=message,
        page_language=page_language,
    )
    clash: IntegrityError | None = None
    for _attempt in range(5):  # a reference already given (one in 887 million): draw another
        referral = build_referral(
            programme=programme,
            organisation=programme.lead_organisation,
            date=timezone.localdate(),
            source_type=SourceType.SELF,
            phone=phone,
            notes=notes,
        )
        referral.channel = ReferralChannel.WEB
        referral.reference = new_reference()
        # Nobody created it: ``created_by`` stays empty; the other relations are the ones loaded above. The
        # constraints are the database's to check (a reference drawn twice is drawn again below).
        referral.full_clean(
            exclude=[f.name for f in Referral._meta.concrete_fields if f.is_relation], validate_constraints=False
        )
        try:
            with transaction.atomic(), without_ip():
                referral.save(force_insert=True)
                record(action=Action.CREATE, obj=referral, fields=changed_fields(None, referral), username="public")
                # No code to give: what she wrote, her reference and her contact stay out of the e-mail.
                notifications.announce(
                    kind="referral", programme_id=programme.pk, recipients=notifications.queue_office(programme)
                )
            return referral
        except IntegrityError as error:
            clash = error
    assert clash is not None
    raise clash
