"""The directory of the network: the bodies it works with, their referents, and the protocols signed with them.

Contact data of professionals and offices only: nothing here names, or points to, a person the network serves
(no relation to approdi.people; tests/directory/test_no_people_in_directory.py). Each programme keeps its own
directory, scoped like every tenant model.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from approdi.network.models import Area, Organisation, Programme


class BodyType(models.TextChoices):
    PREFETTURA = "prefettura", _("Prefettura")
    QUESTURA = "questura", _("Questura")
    CARABINIERI = "carabinieri", _("Carabinieri")
    GUARDIA_DI_FINANZA = "guardia_di_finanza", _("Guardia di Finanza")
    LABOUR_INSPECTORATE = "labour_inspectorate", _("Labour inspectorate")
    PROSECUTOR = "prosecutor", _("Prosecutor's office")
    COMMISSIONE = "commissione", _("Commissione Territoriale")
    MUNICIPALITY = "municipality", _("Municipality or its desk")
    REGION = "region", _("Region or Città Metropolitana")
    ATS = "ats", _("ATS (health protection agency)")
    HOSPITAL = "hospital", _("Hospital or health service")
    CPIA = "cpia", _("CPIA (adult education centre)")
    IOM = "iom", _("IOM")
    UNION = "union", _("Trade union")
    NGO = "ngo", _("NGO or association")
    RECEPTION = "reception", _("Reception centre (CAS, SAI)")
    NETWORK = "network", _("Member of the network")
    OTHER = "other", _("Other")


class Body(models.Model):
    """A body of the network's directory: who it is, where it works, what it offers and how to refer to it."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="directory_bodies")
    # When the body is one of Approdi's organisations (a partner, the lead entity, a law-enforcement office).
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="directory_bodies",
        verbose_name=_("organisation in Approdi"),
        null=True,
        blank=True,
    )
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=30, choices=BodyType.choices)
    areas = models.ManyToManyField(Area, related_name="directory_bodies", blank=True, verbose_name=_("areas"))
    services = models.TextField(_("services offered"), max_length=2000, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), max_length=254, blank=True)
    website = models.URLField(_("website"), max_length=200, blank=True)
    hours = models.CharField(_("hours"), max_length=300, blank=True)
    how_to_refer = models.TextField(_("how to refer"), max_length=2000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(programme="programme")

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("body of the directory")
        verbose_name_plural = _("bodies of the directory")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"],
                name="directory_body_name_unique",
                violation_error_message=_("The directory has a body with this name already."),
            ),
            models.CheckConstraint(condition=~Q(name=""), name="directory_body_has_name"),
            models.CheckConstraint(
                condition=Q(type__in=BodyType.values),
                name="directory_body_type_valid",
                violation_error_message=_("Unknown type of body."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class NetworkRole(models.TextChoices):
    AREA_REFERENT = "area_referent", _("Area referent of the network")
    FILTRO = "filtro", _("Ufficio Filtro's contact")


class Referent(models.Model):
    """A professional or an office to contact at a body: role, phone, e-mail (never a person the network serves).

    An area referent and the Ufficio Filtro's contact are shown on every member's home page.
    """

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="referents")
    name = models.CharField(_("name or office"), max_length=120)
    role = models.CharField(_("role"), max_length=120)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), max_length=254, blank=True)
    network_role = models.CharField(
        _("role in the network"), max_length=20, choices=NetworkRole.choices, blank=True, default=""
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="referents", verbose_name=_("area"), null=True, blank=True
    )

    objects = ScopedManager(programme="body__programme")

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("referent")
        verbose_name_plural = _("referents")
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="referent_has_name"),
            models.CheckConstraint(
                condition=~Q(phone="") | ~Q(email=""),
                name="referent_has_a_contact",
                violation_error_message=_("Give a phone number or an e-mail address."),
            ),
            models.CheckConstraint(
                condition=~Q(network_role="area_referent") | Q(area__isnull=False),
                name="area_referent_has_area",
                violation_error_message=_("An area referent needs the area."),
            ),
            models.CheckConstraint(
                condition=Q(network_role__in=["", *NetworkRole.values]),
                name="referent_network_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


class Protocol(models.Model):
    """A protocol or an agreement the network signed: parties, subject, dates, the document, obligations."""

    class Kind(models.TextChoices):
        PROTOCOL = "protocol", _("Protocol of understanding")
        AGREEMENT = "agreement", _("Collaboration agreement")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="protocols")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    subject = models.TextField(_("subject"), max_length=2000)
    parties = models.ManyToManyField(Body, related_name="protocols", verbose_name=_("parties"))
    signed_on = models.DateField(_("signed on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(programme="programme")

    class Meta:
        ordering = ["valid_until", "title", "id"]
        verbose_name = _("protocol or agreement")
        verbose_name_plural = _("protocols and agreements")
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="protocol_has_title"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("signed_on")),
                name="protocol_valid_after_signing",
                violation_error_message=_("A protocol cannot expire before it is signed."),
            ),
            models.CheckConstraint(condition=Q(kind__in=["protocol", "agreement"]), name="protocol_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.title


class ProtocolDocument(models.Model):
    """The signed text of a protocol (a PDF), kept in the database and served by a permission-checked view only.

    Protocols hold nobody's personal data, so the document is not encrypted.
    """

    protocol = models.OneToOneField(Protocol, on_delete=models.CASCADE, related_name="document")
    filename = models.CharField(_("file name"), max_length=200)
    content = models.BinaryField()
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(programme="protocol__programme")

    class Meta:
        verbose_name = _("protocol document")
        verbose_name_plural = _("protocol documents")


class Obligation(models.Model):
    """What a protocol binds the network to, and the user who follows it."""

    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="obligations")
    description = models.CharField(_("obligation"), max_length=500)
    followed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="protocol_obligations",
        verbose_name=_("followed by"),
    )

    objects = ScopedManager(programme="protocol__programme")

    class Meta:
        ordering = ["id"]
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        constraints = [models.CheckConstraint(condition=~Q(description=""), name="obligation_has_description")]

    def __str__(self) -> str:
        return self.description
