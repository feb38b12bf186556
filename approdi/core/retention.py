"""The retention schedule: how long each kind of record is kept after its event, and why. One rule, one place.

``RULES`` gives, for each kind of record, the event its clock starts from, what happens when it is due, the
default (in months), the bounds a programme may set it to (the coordinator or the DPO, on the retention page)
and the reason (legal basis or purpose). The register of processing (``processing.py``), the retention page,
the README and ``manage.py apply_retention`` (``approdi/intake/retention.py``) all read it here; a programme's
own choice is a ``network.RetentionPeriod`` row, read through ``approdi.network.retention.schedule``.

Nothing here changes a figure already reported: people are anonymised, never deleted, and every field a funder
figure counts (dates, channels, headcounts, sources, person codes of referrals, stays, genders) is kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    CONTACTS = "contacts", _("Anonymous contacts")
    REFERRALS = "referrals", _("Referrals that led nowhere")
    CASES = "cases", _("Closed cases")
    DOCUMENTS = "documents", _("Documents")
    AUDIT = "audit", _("Audit rows")
    SYNC_KEYS = "sync_keys", _("Outreach synchronisation keys")
    NOTIFICATIONS = "notifications", _("Notifications")


@dataclass(frozen=True)
class Rule:
    kind: str
    event: Promise  # what starts the clock
    action: Promise  # what happens when it is due
    months: int  # the default
    minimum: int
    maximum: int
    reason: Promise  # legal basis or purpose of the default

    @property
    def label(self) -> str:
        return str(Kind(self.kind).label)


RULES: dict[str, Rule] = {
    Kind.CONTACTS: Rule(
        Kind.CONTACTS,
        event=_("the day of the contact"),
        action=_("the person code is removed; date, channel, headcount and the other counted fields stay"),
        months=24,
        minimum=12,
        maximum=120,
        reason=_(
            "A contact is counted by its headcount, never by its code: the code only links the contacts of one "
            "person while outreach follows her (art. 5(1)(c) and (e) GDPR, minimisation and storage limitation)."
        ),
    ),
    Kind.REFERRALS: Rule(
        Kind.REFERRALS,
        event=_("the day of the referral, when it never led to a person of the programme"),
        action=_(
            "name, birth date, phone, notes and the public reference are removed; the person code stays, because "
            "the people referred are counted by it"
        ),
        months=12,
        minimum=6,
        maximum=120,
        reason=_(
            "A request for help that was not taken up is kept for a year, long enough for her to come back and be "
            "recognised; then only what the funder's figures count stays (art. 5(1)(e) GDPR)."
        ),
    ),
    Kind.CASES: Rule(
        Kind.CASES,
        event=_(
            "the end of the person's last case (none still open, no stay or bed request open), or her registration "
            "when no case was opened for her"
        ),
        action=_(
            "her identity, its blind indexes and name keys, the identities of the referrals that led to her and "
            "the file names of her documents are removed (as an approved erasure's anonymisation); her code and "
            "records stay, so every figure reported stays the same"
        ),
        months=120,
        minimum=60,
        maximum=240,
        reason=_(
            "Ten years after the case closes: the funder and the Court of Auditors may audit the use of public "
            "funds for ten years (art. 2946 of the Civil Code), and the judicial authority may ask for the records "
            "of a victim of an offence (art. 10 GDPR, art. 2-octies of Legislative Decree 196/2003)."
        ),
    ),
    Kind.DOCUMENTS: Rule(
        Kind.DOCUMENTS,
        event=_("the end of the document's case, or the document's date when it belongs to the person only"),
        action=_("the encrypted file and its name are deleted; the row says what it was and when"),
        months=60,
        minimum=12,
        maximum=240,
        reason=_(
            "Copies of identity documents, permits and certificates prove what was done while the case runs and "
            "for the funder's check of the edition (five years); kept longer they only add risk (art. 5(1)(e))."
        ),
    ),
    Kind.AUDIT: Rule(
        Kind.AUDIT,
        event=_("the day of the audit row"),
        action=_("the row is deleted (the database refuses it for a row younger than two years)"),
        months=120,
        minimum=24,
        maximum=240,
        reason=_(
            "Who read or changed a record is kept as long as the records it speaks of (accountability, art. 5(2) "
            "and 32 GDPR), so the DPO can answer a person's request of who viewed her file."
        ),
    ),
    Kind.SYNC_KEYS: Rule(
        Kind.SYNC_KEYS,
        event=_("the day a phone sent the record"),
        action=_("the key is deleted; the record it stored stays"),
        months=1,
        minimum=1,
        maximum=12,
        reason=_(
            "The key only keeps a record sent twice from a phone out of coverage from being stored twice; once "
            "the phone has its answer it serves nothing (art. 5(1)(c) GDPR)."
        ),
    ),
    Kind.NOTIFICATIONS: Rule(
        Kind.NOTIFICATIONS,
        event=_("the day the notification was made"),
        action=_("the notification is deleted; the work it pointed to stays"),
        months=6,
        minimum=1,
        maximum=24,
        reason=_(
            "A notification tells a user of work given to her and names the person by code; once old it is "
            "only a copy of what the case already says (art. 5(1)(c) GDPR)."
        ),
    ),
}


def default_months() -> dict[str, int]:
    return {kind: rule.months for kind, rule in RULES.items()}
