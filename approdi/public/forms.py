import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from approdi.intake.help_requests import CONTACT_WAYS
from approdi.network.models import Organisation

from .abuse import HONEYPOT, form_token
from .languages import KEYS, MAX_TEXT, SOURCE

_PHONE = re.compile(r"^\+?[0-9 ()./-]{6,30}$")
MAX_MESSAGE = 2000


class HelpRequestForm(forms.Form):
    """Asking for help: labels are the page's texts (``texts``), in the person's language. Nothing is preselected."""

    contact_way = forms.ChoiceField(widget=forms.RadioSelect, choices=[])
    detail = forms.CharField(required=False, max_length=200)
    safe_times = forms.CharField(required=False, max_length=200)
    language = forms.CharField(required=False, max_length=60)
    message = forms.CharField(required=False, max_length=MAX_MESSAGE, widget=forms.Textarea(attrs={"rows": 5}))
    token = forms.CharField(required=False, widget=forms.HiddenInput, max_length=200)
    # People do not see it (site.css puts it out of view, and it is out of the tab order): robots fill it.
    website = forms.CharField(
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, texts: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.texts = texts
        self.fresh_start_reason = ""  # set when a post came without a fresh form: sent back to be sent again
        ways = self.fields["contact_way"]
        assert isinstance(ways, forms.ChoiceField)
        ways.choices = [(way, texts[f"contact_{way}"]) for way in CONTACT_WAYS]
        self.fields["contact_way"].label = texts["contact_label"]
        self.fields["detail"].label = texts["detail_label"]
        self.fields["detail"].widget.attrs["autocomplete"] = "off"
        self.fields["safe_times"].label = texts["times_label"]
        self.fields["language"].label = texts["language_label"]
        self.fields["message"].label = texts["message_label"]
        self.fields[HONEYPOT].label = "Website"
        if not self.is_bound:
            self.initial["token"] = form_token()

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:  # a screen reader reads the error with the field
            if name in self.fields:
                self.fields[name].widget.attrs.update({"aria-describedby": f"{name}-error", "aria-invalid": "true"})

    def clean(self):
        data = super().clean()
        way, detail = data.get("contact_way"), (data.get("detail") or "").strip()
        data["phone"] = data["email"] = ""
        if way in ("phone", "whatsapp"):
            if not _PHONE.match(detail) or sum(c.isdigit() for c in detail) < 6:
                self.add_error("detail", self.texts["detail_needed"])
            data["phone"] = detail
        elif way == "email":
            try:
                validate_email(detail)
            except ValidationError:
                self.add_error("detail", self.texts["detail_needed"])
            data["email"] = detail
        return data


class TextsForm(forms.Form):
    """The coordinators' page: every text of one language, the Italian beside each translation."""

    def __init__(self, *args, language: str, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for key, purpose in KEYS.items():
            self.fields[key] = forms.CharField(
                label=purpose,
                max_length=MAX_TEXT,
                initial=current.get(key, ""),
                widget=forms.Textarea(attrs={"rows": 3, "lang": language, "dir": "auto"}),
            )
        if language != SOURCE:
            self.fields["reviewed"] = forms.BooleanField(
                label=_("I have checked every text of this language against the current Italian"),
                required=False,
            )


class DeskForm(forms.Form):
    """A desk of a public office; no day, organisation or hour is suggested: each is the coordinator's to say."""

    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Organisation"))
    name = forms.CharField(label=_("Name of the desk"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=300)
    weekdays = forms.MultipleChoiceField(
        label=_("Open on"),
        choices=[(str(day), name) for day, name in WEEKDAYS.items()],
        widget=forms.CheckboxSelectMultiple,
    )
    opens = forms.TimeField(label=_("Opens at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    closes = forms.TimeField(label=_("Closes at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not _PHONE.match(phone):
            raise ValidationError(_("A phone number: digits, spaces and + ( ) . / - only."))
        return phone
