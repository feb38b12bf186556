"""The register of processing activities (GDPR art. 30), declared once beside the schema it describes.

``ACTIVITIES`` says, for each processing activity, its purposes, legal basis, recipients and retention;
``MODELS`` gives every model that holds people's data (an entry per model): its activity, the categories of
people and of data it holds. The page and the PDF for the DPO (``audit:processing_record``) are generated from
these declarations and from the schema itself (each model's encrypted fields are read from the model), so the
register follows the code. ``tests/core/test_processing_register.py`` walks every model and fails when one that
holds people's data (an encrypted field, a link to a person, a case, a contact, a referral, an outing) is not
described here: a new model is described in the same change that adds it.

Models are named by label ("cases.Case"): core sits below every app that owns them. How long each kind of record
is kept is not written here but read from the retention schedule (``retention.py``, one rule in one place).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .crypto import EncryptedDateField, EncryptedTextField

# Categories of the people whose data is processed.
PEOPLE = {
    "assisted": _("People met or assisted: possible victims of trafficking and exploitation, minors among them"),
    "others": _("Other people named in records: relatives, contacts, authorities, providers"),
    "staff": _("Staff and volunteers of the network's organisations (users of Approdi)"),
}


@dataclass(frozen=True)
class Activity:
    name: Promise
    purposes: Promise
    legal_basis: Promise
    recipients: Promise
    retention: Promise


@dataclass(frozen=True)
class Described:
    """One model that holds people's data: its activity, whose data it holds, and what."""

    activity: str
    people: tuple[str, ...]
    data: Promise


_PROGRAMME_BASIS = _(
    "Art. 6(1)(e) GDPR (a task in the public interest: the anti-trafficking programme of art. 18 of Legislative "
    "Decree 286/1998, under its funding agreement); art. 9(2)(g) and (c) (substantial public interest; vital "
    "interests) for special categories; art. 10 with art. 2-octies of Legislative Decree 196/2003 for data "
    "relating to offences."
)
_PROGRAMME_RETENTION = _(
    "For the programme's edition and as long as the funder may audit it afterwards; then removed or anonymised, "
    "keeping the figures already reported: how long, kind by kind, in the retention schedule below."
)

ACTIVITIES: dict[str, Activity] = {
    "outreach": Activity(
        name=_("Outreach and referral"),
        purposes=_(
            "Meeting people in the street, indoors and at drop-in centres; counting contacts for the funder's "
            "figures; referring whom asks for help to the Ufficio Filtro."
        ),
        legal_basis=_PROGRAMME_BASIS,
        recipients=_(
            "The outreach operators of the organisation that recorded them; the Ufficio Filtro of the lead entity "
            "(referrals); the programme's coordinators and the funder as figures only, never a person."
        ),
        retention=_PROGRAMME_RETENTION,
    ),
    "intake": Activity(
        name=_("Identification, assessment and decision (Ufficio Filtro)"),
        purposes=_(
            "Identifying the person, recording her consents, screening the indicators of trafficking, assessing "
            "her needs and deciding how the programme takes her in."
        ),
        legal_basis=_PROGRAMME_BASIS,
        recipients=_(
            "The Ufficio Filtro of the lead entity; the case team the decision opens; the national anti-trafficking "
            "network only with the person's consent to that transfer."
        ),
        retention=_PROGRAMME_RETENTION,
    ),
    "reception": Activity(
        name=_("Residential reception"),
        purposes=_(
            "Placing the person in a shelter, night emergency entries, the educators' diary, moves between stages "
            "and exits."
        ),
        legal_basis=_PROGRAMME_BASIS,
        recipients=_(
            "The educators of the structure; the Ufficio Filtro; the case team. A shelter's address is kept to its "
            "own staff and the Ufficio Filtro."
        ),
        retention=_PROGRAMME_RETENTION,
    ),
    "cases": Activity(
        name=_("Case management and integration"),
        purposes=_(
            "Following the person's path: the case team, the individual plan, notes, appointments, services "
            "delivered (and their reimbursement), training, work and housing."
        ),
        legal_basis=_PROGRAMME_BASIS,
        recipients=_(
            "The case team (the lead organisation's; other organisations' only with the person's consent to "
            "sharing); the Ufficio Filtro; in an emergency, whom opened the case (break-glass), told to the DPO."
        ),
        retention=_PROGRAMME_RETENTION,
    ),
    "legal": Activity(
        name=_("Legal support"),
        purposes=_("Residence permits, legal matters and hearings, and their deadlines."),
        legal_basis=_PROGRAMME_BASIS,
        recipients=_("The legal advisors on the case team, the case manager and the Ufficio Filtro only."),
        retention=_PROGRAMME_RETENTION,
    ),
    "staff": Activity(
        name=_("Users, roles and accountability"),
        purposes=_(
            "Signing users in, granting their roles, the on-call roster, and the audit log of who read or changed "
            "what (accountability, art. 5(2) and 32 GDPR)."
        ),
        legal_basis=_("Art. 6(1)(b) and (c) GDPR (the users' work; the controller's security obligations, art. 32)."),
        recipients=_(
            "The administrators of each organisation (accounts); the lead entity (roster); the DPO (audit log)."
        ),
        retention=_(
            "Accounts while the user works in the network; the audit log, notifications and synchronisation keys "
            "as the retention schedule below says."
        ),
    ),
}

MODELS: dict[str, Described] = {
    # Outreach
    "outreach.Outing": Described(
        "outreach", ("staff", "assisted"), _("Date, area, team and operators of an outing; free notes (encrypted).")
    ),
    "outreach.OutingSite": Described(
        "outreach", ("assisted",), _("Places visited on an outing and how many people were seen.")
    ),
    "outreach.OutingMaterial": Described(
        "outreach", ("assisted",), _("Materials and quantities handed out on an outing.")
    ),
    "outreach.SyncKey": Described(
        "outreach",
        ("staff",),
        _("The key a phone gave a record it sent, who sent it and when, so that it is never stored twice."),
    ),
    "outreach.OfflineKey": Described(
        "outreach",
        ("staff",),
        _("The key, encrypted, under which a street unit's phone encrypts what waits there to be sent."),
    ),
    "outreach.Contact": Described(
        "outreach",
        ("assisted",),
        _(
            "A contact under a pseudonymous person code: gender, age band, nationality, languages, form of "
            "exploitation, place, services offered and referrals; at a desk, employment sector and target group."
        ),
    ),
    "outreach.Referral": Described(
        "outreach",
        ("assisted",),
        _(
            "A request for help: name, birth date, phone and notes (encrypted), person code, gender, nationality, "
            "exploitation, urgency, consent to share, referring body, employment sector and target group."
        ),
    ),
    # Intake
    "people.Person": Described(
        "intake",
        ("assisted",),
        _(
            "Identity (names, aliases, birth date and place, phone, documents: encrypted), code, gender, "
            "nationality, languages, whether a minor."
        ),
    ),
    "people.PersonKey": Described(
        "intake", ("assisted",), _("Keyed hashes of the name tokens, to find a person without decrypting anyone.")
    ),
    "people.Consent": Described("intake", ("assisted",), _("The person's answer for each purpose, and when.")),
    "people.SafetyFlag": Described(
        "intake",
        ("assisted", "staff"),
        _("Safety alerts on the person: kind, detail (encrypted), who raised and who lifted them, and why."),
    ),
    "people.ProgrammeRecord": Described(
        "intake", ("assisted",), _("The entry, exit and national-network records of the person in the programme.")
    ),
    "intake.Screening": Described(
        "intake",
        ("assisted",),
        _(
            "Indicators of trafficking and exploitation found (offences suffered: art. 10 data), the conclusion, "
            "its explanation and notes (encrypted)."
        ),
    ),
    "intake.Assessment": Described(
        "intake",
        ("assisted",),
        _(
            "Vulnerabilities, exploitation, complaint filed, cooperation with justice, asylum claim, permit paths; "
            "the person's wishes and notes (encrypted)."
        ),
    ),
    "intake.Decision": Described(
        "intake", ("assisted",), _("How the programme takes the person in, and why (encrypted).")
    ),
    "intake.CaseConference": Described(
        "intake", ("assisted", "others", "staff"), _("Who met about the person and what they decided (encrypted).")
    ),
    "intake.ErasureRequest": Described(
        "intake",
        ("assisted", "staff"),
        _("A person's request of erasure: her code, what she asked, when, who recorded and who approved it."),
    ),
    "intake.FollowUpAction": Described("intake", ("assisted", "staff"), _("What a case conference asked of whom.")),
    # Reception
    "shelter.Structure": Described(
        "reception",
        ("assisted",),
        _("A shelter: its address and phone are encrypted, because they reveal where the residents live."),
    ),
    "shelter.PlacementRequest": Described(
        "reception", ("assisted",), _("A person waiting for a bed: stage, urgency, gender, areas to avoid, status.")
    ),
    "shelter.Placement": Described("reception", ("assisted",), _("A stay: structure, bed, dates, stage, exit.")),
    "shelter.DiaryEntry": Described(
        "reception", ("assisted", "staff"), _("What the educators wrote during the stay (encrypted).")
    ),
    "shelter.NightEntry": Described(
        "reception",
        ("assisted", "staff"),
        _("A night emergency entry: age band, who referred her, arrival, immediate needs (encrypted), regularisation."),
    ),
    # Cases
    "cases.Case": Described(
        "cases",
        ("assisted", "staff"),
        _("The case: person, lead organisation, case manager, type, dates, status, outcome."),
    ),
    "cases.TeamMember": Described("cases", ("staff", "assisted"), _("Who sits on the person's case team, and when.")),
    "cases.Transfer": Described(
        "cases", ("staff", "assisted"), _("A case proposed to another organisation: reason and answer (encrypted).")
    ),
    "cases.Note": Described(
        "cases",
        ("assisted", "others", "staff"),
        _("Case notes (encrypted), some legal, psychological or health notes read by their author's role only."),
    ),
    "cases.Document": Described(
        "cases",
        ("assisted", "others", "staff"),
        _("Documents kept with the person or her case: kind, date, file name and file (encrypted), who may read it."),
    ),
    "cases.ExternalTransfer": Described(
        "cases",
        ("assisted", "staff"),
        _(
            "Her transfer to another project of the national network: the receiving project, dates sent, answered "
            "and arrived, and the follow-up a month later (encrypted)."
        ),
    ),
    "cases.AssistedReturn": Described(
        "cases",
        ("assisted", "staff"),
        _(
            "Her assisted voluntary return with IOM: the IOM office, the dates of each step (request, answer, travel "
            "documents, departure, arrival), IOM's reference, the documents needed and the reintegration follow-up "
            "(encrypted)."
        ),
    ),
    "cases.Continuation": Described(
        "cases",
        ("assisted", "staff"),
        _("Her case continued in the next edition of the project: the two cases, the day, the coordinator."),
    ),
    "cases.BreakGlass": Described(
        "cases", ("staff", "assisted"), _("Who opened a case in an emergency, why, and for how long.")
    ),
    "cases.ServiceDelivery": Described(
        "cases",
        ("assisted", "staff"),
        _("Services delivered to the person: type, date, duration, quantity, cost, operator."),
    ),
    "cases.Activity": Described(
        "cases",
        ("assisted", "others"),
        _(
            "Training, work and housing: provider, sector, certificate and who pays (encrypted), level, hours, "
            "contract, allowance, outcome."
        ),
    ),
    "cases.Goal": Described("cases", ("assisted",), _("Goals of the individual plan (encrypted).")),
    "cases.PlanAction": Described("cases", ("assisted", "staff"), _("Actions of the plan, who owes them (encrypted).")),
    "cases.Review": Described("cases", ("assisted", "staff"), _("Reviews of the plan and their summary (encrypted).")),
    "cases.GoalProgress": Described("cases", ("assisted",), _("Progress of each goal at a review (encrypted).")),
    "cases.Appointment": Described(
        "cases", ("assisted", "staff"), _("Appointments with the person: what, where (encrypted), when, with whom.")
    ),
    # Legal
    "cases.Permit": Described(
        "legal", ("assisted",), _("Residence permits: type, questura (encrypted), dates, status.")
    ),
    "cases.LegalMatter": Described(
        "legal",
        ("assisted", "others"),
        _("Criminal and civil proceedings the person is part of: authority, reference, outcome (encrypted)."),
    ),
    "cases.Hearing": Described(
        "legal", ("assisted", "others"), _("Hearings of a legal matter: date, place and note (encrypted).")
    ),
    # Staff and accountability
    "accounts.User": Described("staff", ("staff",), _("Name, username, e-mail, password hash, last sign-in.")),
    "accounts.Membership": Described("staff", ("staff",), _("A user's role in a programme, who granted it.")),
    "accounts.ApiToken": Described("staff", ("staff",), _("A user's API tokens: hashed key, hint, expiry, last use.")),
    "accounts.ProviderIdentity": Described(
        "staff", ("staff",), _("The link to a user's single sign-on identity: issuer and subject.")
    ),
    "accounts.Notification": Described(
        "staff",
        ("staff", "assisted"),
        _("Work given to a user (a case assigned, a transfer proposed): the person's code and a link, when read."),
    ),
    "oncall.OnCallShift": Described("staff", ("staff",), _("Who is on call when, and the phone to call.")),
    "governance.Table": Described(
        "staff", ("staff", "others"), _("A governance table or working group: its convenor and members.")
    ),
    "governance.Meeting": Described(
        "staff",
        ("staff", "others", "assisted"),
        _("A table's meeting: who attended; minutes and decisions (encrypted), naming a person by her code only."),
    ),
    "governance.MeetingAction": Described("staff", ("staff",), _("What a table's meeting asked of whom, by when.")),
    "governance.CalendarFeed": Described(
        "staff", ("staff",), _("A user's private calendar address: the hash of its token, when it was last read.")
    ),
    "audit.AuditEntry": Described(
        "staff",
        ("staff", "assisted"),
        _(
            "Who read or changed which record, when, from which address: ids, field names and reasons, never the "
            "values changed."
        ),
    ),
}

SECURITY_MEASURES = (
    _(
        "Identities and free texts are encrypted in the database (Fernet: AES-128-CBC with HMAC-SHA256); the keys "
        "are kept outside the database and can be rotated. Searches use keyed blind indexes (HMAC-SHA256), never "
        "decrypting rows."
    ),
    _(
        "Need to know: every record belongs to a programme and an organisation; a case is read by its team and the "
        "Ufficio Filtro only; legal records by the legal advisors and the case manager only."
    ),
    _(
        "Every read of a person's record and every change is written to an append-only audit log the DPO searches; "
        "refusals too."
    ),
    _(
        "Two-factor authentication for every user; sign-ins locked after repeated failures; every role that reads "
        "people's data is granted by two people."
    ),
    _(
        "Emergency access (break-glass) only with a reason, for a few hours, reading only; the DPO and the case "
        "manager are told the next morning and the DPO reviews every access."
    ),
    _(
        "What leaves the network is anonymised: small counts are suppressed and the published files are "
        "k-anonymous. E-mails name people by their pseudonymous code only."
    ),
    _("Nightly encrypted backups (AES-256-GCM), their keys kept apart from them; a restore is tested every month."),
)

ENCRYPTED = (EncryptedTextField, EncryptedDateField)


def encrypted_fields(model: type[models.Model]) -> list[str]:
    """The verbose names of the model's fields encrypted at rest, read from the schema."""
    return [str(f.verbose_name) for f in model._meta.concrete_fields if isinstance(f, ENCRYPTED)]


@dataclass
class RegisterRow:
    label: str
    name: str
    people: list[str]
    data: str
    encrypted: list[str]


@dataclass
class RegisterActivity:
    key: str
    activity: Activity
    rows: list[RegisterRow]

    @property
    def people(self) -> list[str]:
        keys = {key for row in self.rows for key in row.people}
        return [str(PEOPLE[key]) for key in PEOPLE if key in keys]


def register() -> list[RegisterActivity]:
    """The activities, each with the models it keeps people's data in, read from ``MODELS`` and the schema."""
    found: dict[str, list[RegisterRow]] = {key: [] for key in ACTIVITIES}
    for label, described in MODELS.items():
        model = apps.get_model(label)
        found[described.activity].append(
            RegisterRow(
                label=label,
                name=str(capfirst(model._meta.verbose_name_plural)),
                people=list(described.people),
                data=str(described.data),
                encrypted=encrypted_fields(model),
            )
        )
    return [RegisterActivity(key, activity, found[key]) for key, activity in ACTIVITIES.items()]
