"""Outreach ("emersione"): outings of the street units, contacts, drop-in accesses, referrals.

Contacts of every channel share one table so that the funder's figures are one aggregate. People
are mostly anonymous: a contact carries at most a pseudonymous person code (see ``person_code.py``),
never a name. Referrals may carry an identity, encrypted.
"""

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from django_scopes import ScopedManager

from approdi.core.crypto import EncryptedDateField, EncryptedTextField
from approdi.network.models import Area, Organisation, Programme
from approdi.people.codes import Gender

from .codes import (
    AccessChannel,
    AgeBand,
    Channel,
    Exploitation,
    PlaceType,
    ReferralChannel,
    Sector,
    Service,
    Shift,
    SourceType,
    SyncKind,
    TargetGroup,
    Urgency,
)


def _choice_check(field: str, choices, *, nullable: bool = False) -> models.CheckConstraint:
    condition = Q(**{f"{field}__in": [c.value for c in choices]}) | Q(**{field: ""})
    if nullable:
        condition |= Q(**{f"{field}__isnull": True})
    return models.CheckConstraint(condition=condition, name=f"%(class)s_{field}_valid")


class Material(models.Model):
    """Reference list of what street units give out (condoms, lubricants, leaflets by language…)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self) -> str:
        return self.name


class Outing(models.Model):
    """A street unit's day or night outing."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="outings")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="outings")
    team = models.CharField(_("unit / team"), max_length=100)
    date = models.DateField(_("date"))
    shift = models.CharField(_("day or night"), max_length=5, choices=Shift.choices)
    start_time = models.TimeField(_("start"), null=True, blank=True)
    end_time = models.TimeField(_("end"), null=True, blank=True)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="outings", verbose_name=_("area"))
    operators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="outings", blank=True, verbose_name=_("operators present")
    )
    notes = EncryptedTextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation", programme="programme")

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("outing")
        verbose_name_plural = _("outings")
        constraints = [_choice_check("shift", Shift)]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} · {self.team} · {self.get_shift_display()}"


# What one outing records at most: a night's street work, never a census. A bound keeps one mistyped figure from
# becoming the programme's count (or overflowing its sums).
MAX_PEOPLE_SEEN = 10_000
MAX_MATERIAL_QUANTITY = 10_000
MAX_SITES = 100
MAX_MATERIAL_KINDS = 100


class OutingSite(models.Model):
    """A zone or site visited during an outing, with how many people were seen there."""

    outing = models.ForeignKey(Outing, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(_("zone / site"), max_length=120)
    people_seen = models.PositiveIntegerField(
        _("people seen"), default=0, validators=[MaxValueValidator(MAX_PEOPLE_SEEN)]
    )

    objects = ScopedManager(organisation="outing__organisation", programme="outing__programme")

    class Meta:
        ordering = ["id"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        constraints = [
            models.UniqueConstraint(fields=["outing", "name"], name="site_once_per_outing"),
            models.CheckConstraint(condition=Q(people_seen__lte=MAX_PEOPLE_SEEN), name="site_people_seen_bounded"),
        ]

    def __str__(self) -> str:
        return self.name


class OutingMaterial(models.Model):
    outing = models.ForeignKey(Outing, on_delete=models.CASCADE, related_name="materials")
    material = models.ForeignKey(Material, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(
        _("quantity"), validators=[MinValueValidator(1), MaxValueValidator(MAX_MATERIAL_QUANTITY)]
    )

    objects = ScopedManager(organisation="outing__organisation", programme="outing__programme")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["outing", "material"], name="material_once_per_outing"),
            models.CheckConstraint(
                condition=Q(quantity__gte=1, quantity__lte=MAX_MATERIAL_QUANTITY), name="material_quantity_positive"
            ),
        ]


# The most people one contact may stand for (DESIGN.md §9): a street unit meets a group, never a crowd, and a
# bound keeps one mistyped figure from becoming the programme's count (or overflowing its sums).
MAX_HEADCOUNT = 500


class Contact(models.Model):
    """One person met (or an anonymous group: ``headcount`` people) on the street, indoors or at a desk."""

    closed_note: str  # not a field: what the audit row says of a change in a closed period (services.py)

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="contacts")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="contacts")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    date = models.DateField(_("date"))
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("area")
    )
    outing = models.ForeignKey(Outing, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts")
    site = models.ForeignKey(
        OutingSite, on_delete=models.SET_NULL, null=True, blank=True, related_name="contacts", verbose_name=_("site")
    )
    headcount = models.PositiveIntegerField(
        _("people"), default=1, validators=[MinValueValidator(1), MaxValueValidator(MAX_HEADCOUNT)]
    )
    person_code = models.CharField(_("person code"), max_length=20, blank=True, db_index=True)
    first_contact = models.BooleanField(_("first contact"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices, blank=True)
    age_band = models.CharField(_("age band"), max_length=8, choices=AgeBand.choices, blank=True)
    nationality = CountryField(_("nationality"), blank=True)
    languages = models.CharField(_("languages"), max_length=100, blank=True)
    exploitation = models.CharField(
        _("suspected exploitation"), max_length=20, choices=Exploitation.choices, blank=True
    )
    place_type = models.CharField(_("place"), max_length=12, choices=PlaceType.choices, blank=True)
    services = models.JSONField(_("services given"), default=list, blank=True)
    referred_to = models.CharField(_("service referred to"), max_length=200, blank=True)
    # Drop-in and desk accesses
    service_point = models.CharField(_("service point"), max_length=100, blank=True)
    access_channel = models.CharField(_("access channel"), max_length=10, choices=AccessChannel.choices, blank=True)
    language_used = models.CharField(_("language used"), max_length=50, blank=True)
    mediator = models.BooleanField(_("cultural mediator present"), default=False)
    # The labour-exploitation desk's facts of an access (seed 002): only a desk access carries them (services.py).
    sector = models.CharField(_("employment sector"), max_length=20, choices=Sector.choices, blank=True)
    target_group = models.CharField(_("target group"), max_length=20, choices=TargetGroup.choices, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation", programme="programme")

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        # Covers the summary's figures: the scope's organisations are read from the index too (bench/summary_scale.py),
        # and the dashboard's breakdowns (bench/dashboard_scale.py): a year of contacts is a range of the index, while
        # the table's rows of that year lie all over the table. The code and first contact close it: the counts page's
        # distinct people (``figures.people_split``) are read from it too.
        indexes = [
            models.Index(
                fields=[
                    "programme",
                    "date",
                    "channel",
                    "headcount",
                    "organisation",
                    "area",
                    "exploitation",
                    "nationality",
                    "gender",
                    "person_code",
                    "first_contact",
                ],
                name="contact_counting",
            ),
            # The list (``selectors.contacts``): a partner's newest contacts read in index order, no sort.
            models.Index(fields=["programme", "organisation", "date", "id"], name="contact_list"),
            # The desk accesses (one channel): read through ``contact_list`` they scanned every contact of a
            # partner that has none (300,000 rows at national scale) to answer an empty page.
            models.Index(fields=["programme", "organisation", "channel", "date", "id"], name="contact_list_channel"),
        ]
        constraints = [
            _choice_check("channel", Channel),
            _choice_check("gender", Gender),
            _choice_check("age_band", AgeBand),
            _choice_check("exploitation", Exploitation),
            _choice_check("place_type", PlaceType),
            _choice_check("access_channel", AccessChannel),
            _choice_check("sector", Sector),
            _choice_check("target_group", TargetGroup),
            models.CheckConstraint(
                condition=Q(headcount__gte=1) & Q(headcount__lte=MAX_HEADCOUNT),
                name="contact_headcount_in_range",
                violation_error_message=_("A contact counts from 1 to 500 people."),
            ),
            # A group headcount is anonymous: one code cannot stand for several people.
            models.CheckConstraint(condition=Q(headcount=1) | Q(person_code=""), name="contact_group_is_anonymous"),
            models.CheckConstraint(
                condition=Q(outing__isnull=True) | Q(channel="street"), name="contact_outing_is_street"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.date:%d/%m/%Y} · {self.person_code or _('anonymous')}"

    def service_labels(self) -> list[str]:
        """The services given, as their labels in the reader's language (a code no longer known, as itself)."""
        return [str(Service(code).label) if code in Service.values else code for code in self.services or []]


class ContactTally(models.Model):
    """The contacts of a month, summed by organisation and channel, and split by one dimension of the dashboard.

    Kept by the database itself (triggers on ``outreach_contact``, ``approdi/outreach/tally.py``) in the transaction
    of every write, whatever writes it: the forms, the API, imports, corrections of closed periods, cascades and
    retention. Every contact counts once in each of the four dimensions, so a figure is a sum over one dimension's
    rows. Rebuilt from the contacts by ``manage.py rebuild_figures``. Counts of distinct people are not kept here
    (they do not add up): the dashboard reads them from the referrals and stays.
    """

    class Dimension(models.TextChoices):
        AREA = "area"  # ``value`` is the area's id, "" when the contact has none
        EXPLOITATION = "exploitation"
        NATIONALITY = "nationality"
        GENDER = "gender"

    programme = models.ForeignKey(Programme, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False)
    month = models.DateField()  # the month's first day
    organisation = models.ForeignKey(Organisation, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    dimension = models.CharField(max_length=12, choices=Dimension.choices)
    value = models.CharField(max_length=20, blank=True)
    contacts = models.BigIntegerField()  # the sum of headcounts (§9)
    records = models.BigIntegerField()  # the rows summed: the tally row goes when it reaches 0

    objects = ScopedManager(organisation="organisation", programme="programme")

    class Meta:
        constraints = [
            # The key the triggers add to, in the order the dashboard reads it: a programme's months in a range.
            models.UniqueConstraint(
                fields=["programme", "month", "organisation", "channel", "dimension", "value"],
                name="contact_tally_key",
            ),
        ]
        # The rows whose last contact went, which the triggers delete at once: found without reading the table.
        indexes = [models.Index(fields=["records"], condition=Q(records=0), name="contact_tally_empty")]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} {self.channel} {self.dimension}={self.value}: {self.contacts}"


WHO_OR_WHY = _(
    "Say who is referred (her person code, her name or her phone) or, in the notes, why: "
    "a referral with neither cannot be followed up."
)


class ReferralStatus(models.TextChoices):
    NEW = "new", _("New")
    ASSESSING = "assessing", _("Being assessed")
    DECIDED = "decided", _("Decided")
    CLOSED = "closed", _("Closed")


class Referral(models.Model):
    """A person referred to the programme by another body, by themselves or by outreach."""

    closed_note: str  # not a field: what the audit row says of a change in a closed period (services.py)

    Status = ReferralStatus

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="referrals")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("recorded by")
    )
    date = models.DateField(_("date"))
    source_type = models.CharField(_("source"), max_length=30, choices=SourceType.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=ReferralChannel.choices, blank=True)
    # The code a person who asked on the public site quotes when she calls (approdi/public/); "" otherwise.
    reference = models.CharField(_("reference code"), max_length=12, blank=True)
    referring_body = models.CharField(_("referring body"), max_length=200, blank=True)
    person_code = models.CharField(_("person code"), max_length=20, blank=True, db_index=True)
    given_name = EncryptedTextField(_("given name"), blank=True)
    family_name = EncryptedTextField(_("family name"), blank=True)
    birth_date = EncryptedDateField(_("birth date"), null=True, blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices, blank=True)
    nationality = CountryField(_("nationality"), blank=True)
    exploitation = models.CharField(_("exploitation"), max_length=20, choices=Exploitation.choices, blank=True)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE)
    consent_to_share = models.BooleanField(
        _("the person consents to share the referral with the network"), default=False
    )
    sector = models.CharField(_("employment sector"), max_length=20, choices=Sector.choices, blank=True)
    target_group = models.CharField(_("target group"), max_length=20, choices=TargetGroup.choices, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("person"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_referrals",
        verbose_name=_("assigned to"),
    )
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation", programme="programme")

    IDENTITY_FIELDS = ("given_name", "family_name", "birth_date", "phone", "notes")

    def clean(self) -> None:
        super().clean()
        if not self.says_who_or_why():
            raise ValidationError({NON_FIELD_ERRORS: [WHO_OR_WHY]})

    def says_who_or_why(self) -> bool:
        """A referral names a person (her code, names, birth date or phone) or says why in its notes.

        One with neither is nobody anyone can follow up, and would still be counted as a person referred.
        """
        who = (self.person_id, self.person_code, self.given_name, self.family_name, self.birth_date, self.phone)
        return any(who) or bool((self.notes or "").strip())

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        # Covers the summary's and the dashboard's figures (its breakdowns by person too), as contact_counting does.
        indexes = [
            models.Index(
                fields=[
                    "programme",
                    "date",
                    "source_type",
                    "person_code",
                    "organisation",
                    "exploitation",
                    "nationality",
                    "gender",
                ],
                name="referral_counting",
            ),
            # The Ufficio Filtro's queue sorted by urgency (``intake.selectors.QUEUE_ORDER``), read in index order;
            # status and organisation (the queue's filter and scope) let its count of up to 10,001 rows read the index
            # alone instead of each row of the table.
            models.Index(
                fields=["programme", "urgency", "date", "id", "status", "organisation"], name="referral_queue_urgency"
            ),
            # The lists newest first (``selectors.referrals``): a partner's own, and the Ufficio Filtro's whole
            # programme, read in index order instead of sorting 145,000 referrals (or a partner's 40,000).
            models.Index(fields=["programme", "organisation", "date", "id"], name="referral_list"),
            # (the organisation last: the scope's filter, so that the list's count up to the cap reads only the index)
            models.Index(fields=["programme", "date", "id", "organisation"], name="referral_newest"),
            # The header's bell counts the new referrals of the queue on every page of the Ufficio Filtro: from
            # this index alone, not by reading every referral of the programme.
            models.Index(fields=["programme", "status", "organisation"], name="referral_status"),
        ]
        constraints = [
            _choice_check("source_type", SourceType),
            _choice_check("gender", Gender),
            _choice_check("exploitation", Exploitation),
            _choice_check("urgency", Urgency),
            _choice_check("sector", Sector),
            _choice_check("target_group", TargetGroup),
            _choice_check("status", ReferralStatus),
            _choice_check("channel", ReferralChannel),
            models.UniqueConstraint(fields=["reference"], condition=~Q(reference=""), name="referral_reference_once"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} · {self.get_source_type_display()} · {self.person_code or '—'}"


class SyncKey(models.Model):
    """A record an app sent from a phone (``POST /api/v1/outreach/sync``), kept by the key the phone gave it.

    A record sent again under its key (the answer lost when the van left coverage) is answered with what was
    stored the first time, and never stored twice: the key is unique per user, so two deliveries of one record
    racing each other store it once (the second's insert fails and is rolled back with its record).
    """

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.UUIDField()
    kind = models.CharField(max_length=20, choices=SyncKind.choices)
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organisation="organisation", programme="programme")

    class Meta:
        verbose_name = _("synchronised record")
        verbose_name_plural = _("synchronised records")
        constraints = [
            models.UniqueConstraint(fields=["actor", "key"], name="sync_key_once_per_actor"),
            _choice_check("kind", SyncKind),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class OfflineKey(models.Model):
    """The key under which the outreach web app encrypts what waits on her phone (docs/offline.md).

    32 random bytes made once per user, kept here encrypted, given to her signed-in pages (never kept by the
    service worker). The phone imports it non-extractable and drops the bytes. One per user, not per programme:
    the phone's queue is hers, whichever programme her session acts under when it is sent.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = EncryptedTextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("offline key")
        verbose_name_plural = _("offline keys")

    def __str__(self) -> str:
        return f"offline key {self.user_id}"
