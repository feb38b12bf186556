"""People: who the network works with, their consent and their entry and exit. Every module shares them.

A person's identity is encrypted; exact and similar-name lookups go through keyed blind indexes
(``PersonKey``), so the duplicate check never decrypts the table. The tables keep the names they had
when these models lived in ``intake``.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from django_scopes import ScopedManager

from approdi.core.crypto import EncryptedDateField, EncryptedTextField
from approdi.network.models import Organisation, Programme

from .codes import FlagKind, Gender


class Person(models.Model):
    """Someone the Ufficio Filtro has identified. Outside the need-to-know they are their code."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="people")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="people", verbose_name=_("registered by")
    )
    code = models.CharField(_("person code"), max_length=20, db_index=True)
    given_name = EncryptedTextField(_("given name"), blank=True)
    family_name = EncryptedTextField(_("family name"), blank=True)
    aliases = EncryptedTextField(_("aliases"), blank=True, help_text=_("One per line."))
    birth_date = EncryptedDateField(_("birth date"), null=True, blank=True)
    birth_place = EncryptedTextField(_("birth place"), blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    documents = EncryptedTextField(_("documents"), blank=True, help_text=_("Type and number, one per line."))
    nationality = CountryField(_("nationality"), blank=True)
    languages = models.CharField(_("languages"), max_length=100, blank=True)
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices, blank=True)
    is_minor = models.BooleanField(_("minor"), default=False)
    # HMAC of the normalised full name and birth date: the exact-match duplicate check.
    identity_index = models.CharField(max_length=64, blank=True, db_index=True)
    # HMAC of the birth date alone: ranks similar names born on the same day first.
    birth_index = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # When her identity was removed (an approved erasure's anonymisation, or retention): her code and records stay.
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)

    # Scoped by programme only: who of the programme may open a person (the Ufficio Filtro, the case
    # team, whatever their organisation) is decided by the selectors.
    objects = ScopedManager(programme="programme")

    IDENTITY_FIELDS = ("given_name", "family_name", "aliases", "birth_date", "birth_place", "phone", "documents")

    class Meta:
        db_table = "intake_person"  # moved from intake with its table: the name is not worth a rewrite
        ordering = ["-created_at"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="person_code_once_per_programme")]
        indexes = [
            # The people born on a searched day, for the duplicate check's ranking, without reading the table.
            models.Index(fields=["programme", "birth_index"], name="person_birth_day"),
            # The people list (``intake.selectors.people``), newest first, read in index order.
            models.Index(fields=["programme", "created_at", "id"], name="person_list"),
        ]

    def __str__(self) -> str:
        return self.code

    @classmethod
    def unlisted(cls, path: str) -> tuple[str, ...]:
        """What a list leaves unread of the person at ``path`` (``defer``): it shows her code, never her identity
        (ciphertext that each row would decrypt, and carry through the sort)."""
        return tuple(f"{path}__{name}" for name in (*cls.IDENTITY_FIELDS, "identity_index", "birth_index"))


class PersonKey(models.Model):
    """A keyed hash of one name token (or its phonetic key) of a person's names and aliases."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="keys")
    # Copied from the person so that the scoped lookup by key never reads the people table.
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)

    objects = ScopedManager(programme="programme")

    class Meta:
        db_table = "intake_personkey"
        constraints = [models.UniqueConstraint(fields=["key", "person"], name="person_key_once")]
        # The duplicate check groups the holders of a key within the programme from this index alone.
        indexes = [models.Index(fields=["key", "programme", "person"], name="person_key_holders")]


class ConsentPurpose(models.TextChoices):
    SERVICES = "services", _("Receiving services")
    NETWORK_SHARING = "network_sharing", _("Sharing with other organisations of the network")
    NATIONAL_NETWORK = "national_network", _("Transfer to the national anti-trafficking network")
    STATISTICS = "statistics", _("Anonymised statistics")


class Consent(models.Model):
    """One answer of the person for one purpose; the latest answer per purpose holds."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    granted = models.BooleanField(_("granted"))
    date = models.DateField(_("date"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(programme="person__programme")

    class Meta:
        db_table = "intake_consent"
        ordering = ["-date", "-recorded_at", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose__in=[p.value for p in ConsentPurpose]), name="consent_purpose_valid"
            )
        ]


class ProgrammeRecord(models.Model):
    """Entry and exit records (schede di ingresso/uscita): when a person enters and leaves the programme."""

    class Kind(models.TextChoices):
        ENTRY = "entry", _("Entry")
        EXIT = "exit", _("Exit")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="programme_records")
    kind = models.CharField(_("record"), max_length=5, choices=Kind.choices)
    date = models.DateField(_("date"))
    # The decision that opened the path (an entry record); a lazy reference, as the cases' and the
    # shelter's: the Ufficio Filtro's decisions sit above the people they are about.
    decision = models.ForeignKey("intake.Decision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=30, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(programme="person__programme")

    class Meta:
        db_table = "intake_programmerecord"
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["entry", "exit"]), name="record_kind_valid"),
            models.UniqueConstraint(fields=["person", "kind"], name="one_entry_and_one_exit_per_person"),
        ]


class SafetyFlag(models.Model):
    """A safety alert on a person, shown wherever she appears (``templates/people/_flags.html``).

    Raising one is one person's act; lifting one takes two (``people.flags``): someone asks for it with a reason,
    and another authorised user approves. The database refuses a lift approved by whom asked for it.
    """

    Kind = FlagKind
    DETAIL_MAX = 200
    REASON_MAX = 300

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="safety_flags")
    kind = models.CharField(_("flag"), max_length=30, choices=FlagKind.choices)
    detail = EncryptedTextField(_("detail"), max_length=DETAIL_MAX, blank=True)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)
    lift_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lift_requested_at = models.DateTimeField(null=True, blank=True)
    lift_reason = EncryptedTextField(_("reason for lifting"), max_length=REASON_MAX, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(programme="person__programme")

    class Meta:
        ordering = ["raised_at", "id"]
        verbose_name = _("safety flag")
        verbose_name_plural = _("safety flags")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=[k.value for k in FlagKind]), name="safety_flag_kind_valid"),
            models.CheckConstraint(
                condition=Q(lift_requested_by__isnull=True, lift_requested_at__isnull=True)
                | Q(lift_requested_by__isnull=False, lift_requested_at__isnull=False),
                name="safety_flag_lift_request_whole",
            ),
            models.CheckConstraint(
                condition=Q(lifted_by__isnull=True, lifted_at__isnull=True)
                | Q(lifted_by__isnull=False, lifted_at__isnull=False),
                name="safety_flag_lift_whole",
            ),
            # The second person: a lift is approved after a request, by someone other than whom asked for it.
            models.CheckConstraint(
                condition=Q(lifted_by__isnull=True)
                | (Q(lift_requested_by__isnull=False) & ~Q(lifted_by=F("lift_requested_by"))),
                name="safety_flag_lifted_by_a_second_person",
            ),
            # One flag of each kind at a time ("other" flags differ by their text).
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=Q(lifted_at__isnull=True) & ~Q(kind=FlagKind.OTHER),
                name="safety_flag_once_while_raised",
            ),
        ]
        indexes = [models.Index(fields=["person", "lifted_at"], name="safety_flag_raised")]

    def __str__(self) -> str:
        return str(self.get_kind_display())
