from collections.abc import Sequence
from typing import cast

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django_countries.fields import LazyTypedChoiceField  # type: ignore[attr-defined]  # missing from its fields.pyi

from approdi.core.forms import SegmentedRadio, offer_chips
from approdi.core.importing import limits_text, max_bytes
from approdi.core.labels import country_choices
from approdi.core.period import clean_period
from approdi.network.dates import not_in_the_future
from approdi.network.models import Area
from approdi.people.codes import Gender
from approdi.people.person_code import NotEnoughFacts, code_from_facts

from .codes import (
    DESK_SERVICES,
    STREET_SERVICES,
    AccessChannel,
    AgeBand,
    Exploitation,
    PlaceType,
    Sector,
    Shift,
    SourceType,
    TargetGroup,
    Urgency,
)
from .models import (
    MAX_HEADCOUNT,
    MAX_MATERIAL_QUANTITY,
    MAX_PEOPLE_SEEN,
    MAX_SITES,
    WHO_OR_WHY,
    Material,
)

BLANK = [("", "—")]


def _choices(enum) -> list[tuple[str, str]]:
    return BLANK + list(enum.choices)


def offer_nationalities(form: forms.Form, frequent: Sequence[str]) -> None:
    """The nationality list with the most met first, and the most met again as one-tap buttons (at most six)."""
    field = cast(forms.ChoiceField, form.fields["nationality"])
    field.choices = nationality_choices(frequent)
    names = dict(country_choices()[1:])
    offer_chips(field, [(code, names[code]) for code in frequent[:CHIPS] if code in names])


CHIPS = 6


def nationality_choices(frequent: Sequence[str] = ()) -> list:
    """No answer chosen, then the nationalities this programme meets most, then every country.

    On a phone the list opens on the few that are met every night instead of 250 names in alphabetical order.
    """
    blank, *every_country = country_choices()
    if not frequent:
        return [blank, *every_country]
    names = dict(every_country)
    return [
        blank,
        (_("Most met by this programme"), [(code, names[code]) for code in frequent if code in names]),
        (_("All countries"), every_country),
    ]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"


class OutingForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    shift = forms.ChoiceField(label=_("Day or night"), choices=Shift.choices, widget=forms.RadioSelect)
    team = forms.CharField(label=_("Unit / team"), max_length=100)
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.order_by("code"))
    start_time = forms.TimeField(label=_("Start"), required=False, widget=TimeInput())
    end_time = forms.TimeField(label=_("End"), required=False, widget=TimeInput())
    sites = forms.CharField(
        label=_("Zones / sites and people seen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One site per line, with the number of people seen after a colon, e.g. 'Viale Monza: 12'."),
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for material in Material.objects.filter(active=True).order_by("name"):
            self.fields[f"material_{material.code}"] = forms.IntegerField(
                label=material.name,
                min_value=0,
                max_value=MAX_MATERIAL_QUANTITY,
                required=False,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )

    def clean_sites(self) -> list[tuple[str, int]]:
        sites = []
        for number, line in enumerate(self.cleaned_data["sites"].splitlines(), start=1):
            if not line.strip():
                continue
            name, _sep, seen = line.partition(":")
            seen = seen.strip() or "0"
            if not name.strip() or not seen.isdigit():
                raise forms.ValidationError(_("Line %(n)s: write 'site: number of people'.") % {"n": number})
            if int(seen) > MAX_PEOPLE_SEEN:
                raise forms.ValidationError(
                    _("Line %(n)s: at most %(max)s people seen at one site.")
                    % {"n": number, "max": number_format(MAX_PEOPLE_SEEN, force_grouping=True)}
                )
            sites.append((name.strip()[:120], int(seen)))
        if len(sites) > MAX_SITES:
            raise forms.ValidationError(_("At most %(max)s sites in one outing.") % {"max": MAX_SITES})
        return sites

    def materials(self) -> list[tuple[Material, int]]:
        chosen = []
        for material in Material.objects.filter(active=True):
            quantity = self.cleaned_data.get(f"material_{material.code}")
            if quantity:
                chosen.append((material, quantity))
        return chosen


class PersonFactsForm(forms.Form):
    """The facts a person gives, turned into their pseudonymous code; the facts are not stored."""

    given_name = forms.CharField(label=_("Given name (or its first letters)"), required=False, max_length=60)
    family_name = forms.CharField(label=_("Family name (or its first letters)"), required=False, max_length=60)
    mother_name = forms.CharField(
        label=_("Her mother's given name (or its first letters)"), required=False, max_length=60
    )
    birth_year = forms.IntegerField(label=_("Year of birth"), required=False, min_value=1900, max_value=2100)
    nationality = LazyTypedChoiceField(label=_("Nationality"), choices=country_choices, required=False)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, required=False, widget=SegmentedRadio)
    nickname = forms.CharField(label=_("Or a nickname the person chooses"), required=False, max_length=60)

    def __init__(self, *args, frequent_nationalities: Sequence[str] = (), **kwargs):
        kwargs.setdefault("auto_id", "facts_%s")  # several forms share the outing page: ids must not clash
        super().__init__(*args, **kwargs)
        offer_nationalities(self, frequent_nationalities)
        for name in ("given_name", "family_name", "mother_name"):  # the phone keyboard's key goes on to the next
            self.fields[name].widget.attrs["enterkeyhint"] = "next"

    def code(self) -> str:
        data = self.cleaned_data
        try:
            return code_from_facts(
                given_name=data["given_name"],
                family_name=data["family_name"],
                birth_year=data["birth_year"],
                nationality=data["nationality"],
                gender=data["gender"],
                nickname=data["nickname"],
                mother_name=data["mother_name"],
            )
        except NotEnoughFacts as error:
            raise forms.ValidationError(str(error)) from None


class ContactForm(forms.Form):
    """One person met: everything optional but what a busy night allows."""

    person_code = forms.CharField(
        label=_("Person code"),
        required=False,
        max_length=20,
        help_text=_("Leave empty for an anonymous contact, or compute it from the facts below."),
    )
    first_contact = forms.TypedChoiceField(
        label=_("First contact?"),
        required=False,
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
        choices=[("", _("Work it out from the code")), ("yes", _("Yes, first time")), ("no", _("No, met before"))],
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, required=False, widget=SegmentedRadio)
    age_band = forms.ChoiceField(label=_("Age band"), choices=_choices(AgeBand), required=False)
    nationality = LazyTypedChoiceField(label=_("Nationality"), choices=country_choices, required=False)
    languages = forms.CharField(label=_("Languages"), required=False, max_length=100)
    exploitation = forms.ChoiceField(label=_("Suspected exploitation"), choices=_choices(Exploitation), required=False)
    place_type = forms.ChoiceField(label=_("Place"), choices=_choices(PlaceType), required=False)
    services = forms.MultipleChoiceField(
        label=_("Services given"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(s.value, s.label) for s in STREET_SERVICES],
    )
    referred_to = forms.CharField(label=_("Service referred to"), required=False, max_length=200)

    def __init__(self, *args, sites=None, frequent_nationalities: Sequence[str] = (), **kwargs):
        kwargs.setdefault("auto_id", "contact_%s")
        super().__init__(*args, **kwargs)
        offer_nationalities(self, frequent_nationalities)
        if sites is not None and len(sites):
            self.fields["site"] = forms.ModelChoiceField(label=_("Site"), queryset=sites, required=False)
            self.order_fields(["site"])

    # On the outing page, what a night seldom records waits behind "More details": all optional, nothing required
    # is ever there (a closed period's reason, added by offer_amend_reason, stays in view).
    DETAILS = ("first_contact", "languages", "exploitation", "place_type", "services", "referred_to")

    def main_fields(self) -> list:
        return [field for field in self.visible_fields() if field.name not in self.DETAILS]

    def detail_fields(self) -> list:
        return [field for field in self.visible_fields() if field.name in self.DETAILS]

    def details_open(self) -> bool:
        """Open when a detail has an error, or an answer (a form sent back with errors keeps it in view)."""
        return any(field.errors or field.value() not in (None, "", []) for field in self.detail_fields())


class HeadcountForm(forms.Form):
    """An anonymous group met at once: '6 people contacted at this site'."""

    headcount = forms.IntegerField(
        label=_("People contacted"),
        min_value=1,
        max_value=MAX_HEADCOUNT,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=_choices(Gender), required=False)
    exploitation = forms.ChoiceField(label=_("Suspected exploitation"), choices=_choices(Exploitation), required=False)

    def __init__(self, *args, sites=None, **kwargs):
        kwargs.setdefault("auto_id", "group_%s")
        super().__init__(*args, **kwargs)
        if sites is not None and len(sites):
            self.fields["site"] = forms.ModelChoiceField(label=_("Site"), queryset=sites, required=False)
            self.order_fields(["site"])


class SiteForm(forms.Form):
    """A site of the outing and the people seen there (the offline app's: sent to the sync batch as a ``site``)."""

    name = forms.CharField(label=_("Site"), max_length=120)
    people_seen = forms.IntegerField(
        label=_("People seen"),
        min_value=0,
        max_value=MAX_PEOPLE_SEEN,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "site_%s")
        super().__init__(*args, **kwargs)


class OutingEndForm(forms.Form):
    """The outing's end time (and, for an outing made on the phone, its notes): an ``outing_update`` record."""

    end_time = forms.TimeField(label=_("End"), required=False, widget=TimeInput())
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, notes: bool = True, **kwargs):
        kwargs.setdefault("auto_id", "end_%s")
        super().__init__(*args, **kwargs)
        if not notes:  # a server outing's notes are never put in a page the phone keeps (docs/offline.md)
            del self.fields["notes"]


def offline_site_choice(form: forms.Form) -> None:
    """A site list the offline app fills with the sites of an outing made on the phone (the server has none)."""
    form.fields["site"] = forms.ChoiceField(label=_("Site"), choices=[("", "---------")], required=False)
    form.order_fields(["site"])


class IndoorContactForm(ContactForm):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.order_by("code"), required=False)
    headcount = forms.IntegerField(label=_("People"), min_value=1, max_value=MAX_HEADCOUNT, initial=1)

    field_order = ["date", "area", "place_type", "headcount"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place_type"].choices = _choices(PlaceType)
        self.fields["place_type"].required = True


class AccessForm(forms.Form):
    """A drop-in or desk access."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    service_point = forms.CharField(label=_("Service point"), max_length=100)
    access_channel = forms.ChoiceField(label=_("Access channel"), choices=AccessChannel.choices)
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.order_by("code"), required=False)
    person_code = forms.CharField(label=_("Person code"), required=False, max_length=20)
    gender = forms.ChoiceField(label=_("Gender"), choices=_choices(Gender), required=False)
    age_band = forms.ChoiceField(label=_("Age band"), choices=_choices(AgeBand), required=False)
    nationality = LazyTypedChoiceField(label=_("Nationality"), choices=country_choices, required=False)
    exploitation = forms.ChoiceField(label=_("Suspected exploitation"), choices=_choices(Exploitation), required=False)
    services = forms.MultipleChoiceField(
        label=_("Services"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(s.value, s.label) for s in DESK_SERVICES],
    )
    language_used = forms.CharField(label=_("Language used"), required=False, max_length=50)
    mediator = forms.BooleanField(label=_("A cultural mediator was present"), required=False)
    referred_to = forms.CharField(label=_("Service referred to"), required=False, max_length=200)
    sector = forms.ChoiceField(
        label=_("Employment sector"), choices=_choices(Sector), required=False, help_text=_("For labour exploitation.")
    )
    target_group = forms.ChoiceField(label=_("Target group"), choices=_choices(TargetGroup), required=False)


class ReferralForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    # No source and no urgency are preselected: a default nobody chose would be counted as an answer.
    source_type = forms.ChoiceField(
        label=_("Who refers the person"),
        choices=BLANK + list(SourceType.choices),
        error_messages={"required": _("Choose who refers the person.")},
    )
    referring_body = forms.CharField(
        label=_("Referring body"),
        required=False,
        max_length=200,
        help_text=_("e.g. CAS Via Corelli, Questura di Como, Numero Verde."),
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=BLANK + list(Urgency.choices),
        error_messages={"required": _("Choose how urgent the referral is.")},
    )
    person_code = forms.CharField(label=_("Person code"), required=False, max_length=40)
    given_name = forms.CharField(label=_("Given name"), required=False, max_length=100)
    family_name = forms.CharField(label=_("Family name"), required=False, max_length=100)
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DateInput())
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    gender = forms.ChoiceField(label=_("Gender"), choices=_choices(Gender), required=False)
    nationality = LazyTypedChoiceField(label=_("Nationality"), choices=country_choices, required=False)
    exploitation = forms.ChoiceField(label=_("Exploitation"), choices=_choices(Exploitation), required=False)
    sector = forms.ChoiceField(
        label=_("Employment sector"), choices=_choices(Sector), required=False, help_text=_("For labour exploitation.")
    )
    target_group = forms.ChoiceField(label=_("Target group"), choices=_choices(TargetGroup), required=False)
    consent_to_share = forms.BooleanField(
        label=_("The person consents to share the referral with the network"), required=False
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the person is referred: required when you give neither her code nor her name."),
    )

    def clean(self):
        data = super().clean()
        who = ("person_code", "given_name", "family_name", "birth_date", "phone")
        if not any(data.get(name) for name in who) and not (data.get("notes") or "").strip():
            raise forms.ValidationError(WHO_OR_WHY)
        return data

    def clean_date(self):
        return not_in_the_future(self.cleaned_data["date"])


class CountsForm(forms.Form):
    date_from = forms.DateField(label=_("From"), widget=DateInput())
    date_to = forms.DateField(label=_("To"), widget=DateInput())
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.order_by("code"), required=False)
    channel = forms.ChoiceField(
        label=_("Channel"),
        required=False,
        choices=[
            ("", _("All channels")),
            ("street", _("Street unit")),
            ("indoor", _("Indoor")),
            ("drop_in", _("Drop-in / desk")),
        ],
    )

    def clean(self):
        data = super().clean()
        clean_period(self, "date_from", "date_to")
        return data


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file holds"), choices=[("contacts", _("Contacts")), ("referrals", _("Referrals"))]
    )
    file = forms.FileField(label=_("CSV or XLSX file"))
    dry_run = forms.BooleanField(label=_("Only check the file, import nothing"), required=False)
    force = forms.BooleanField(
        label=_("Import it again: this very file was imported before, and its rows are to be counted again"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = limits_text()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            raise forms.ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": f"{max_bytes() / 1e6:.0f}"})
        return upload
