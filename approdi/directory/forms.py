"""Forms of the directory and the protocols; and the text input that offers the directory's bodies."""

from __future__ import annotations

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from approdi.core.forms import IsoDateInput
from approdi.network.models import Area, Organisation

from .models import Body, BodyType, NetworkRole, Protocol
from .services import MAX_DOCUMENT_BYTES

BLANK = [("", "—")]


class DirectoryInput(forms.TextInput):
    """A free text field that suggests the directory's bodies (a ``datalist``): a body outside it may still be typed."""

    def __init__(self, names=(), attrs=None):
        super().__init__(attrs)
        self.names = list(names)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.names:
            context["widget"]["attrs"]["list"] = f"{context['widget']['attrs'].get('id', name)}-directory"
        return context

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        if not self.names:
            return html
        list_id = f"{(attrs or {}).get('id', name)}-directory"
        options = format_html_join("", '<option value="{}"></option>', ((n,) for n in self.names))
        return format_html('{}<datalist id="{}">{}</datalist>', html, list_id, options)


def offer_directory(field: forms.Field, names: list[str]) -> None:
    """Makes ``field`` (a text field) suggest the bodies of the directory, keeping what was typed."""
    widget = DirectoryInput(names, attrs=field.widget.attrs)
    widget.is_required = field.required
    field.widget = widget


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    type = forms.ChoiceField(label=_("Type"), choices=BLANK + list(BodyType.choices), required=False)
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.order_by("name"), required=False)


class BodyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    type = forms.ChoiceField(label=_("Type"), choices=BLANK + list(BodyType.choices))
    organisation = forms.ModelChoiceField(
        label=_("Organisation in Approdi"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        help_text=_("When the body is one of the organisations of Approdi."),
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Areas"), queryset=Area.objects.order_by("name"), widget=forms.CheckboxSelectMultiple, required=False
    )
    services = forms.CharField(label=_("Services offered"), max_length=2000, required=False, widget=forms.Textarea)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), max_length=254, required=False)
    website = forms.URLField(label=_("Website"), max_length=200, required=False, assume_scheme="https")
    hours = forms.CharField(
        label=_("Hours"), max_length=300, required=False, help_text=_("e.g. Monday–Friday 9:00–13:00")
    )
    how_to_refer = forms.CharField(label=_("How to refer"), max_length=2000, required=False, widget=forms.Textarea)

    @classmethod
    def initial_of(cls, body: Body) -> dict:
        initial = {name: getattr(body, name) for name in cls.base_fields if name != "areas"}
        return initial | {"areas": list(body.areas.all())}


class ReferentForm(forms.Form):
    name = forms.CharField(
        label=_("Name or office"),
        max_length=120,
        help_text=_("A professional or an office of the body: never a person the network helps."),
    )
    role = forms.CharField(label=_("Role"), max_length=120)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), max_length=254, required=False)
    network_role = forms.ChoiceField(
        label=_("Role in the network"),
        choices=[("", _("None"))] + list(NetworkRole.choices),
        required=False,
        help_text=_("Area referents and the Ufficio Filtro's contact are shown on every member's home page."),
    )
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.order_by("name"), required=False)


class ProtocolForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=BLANK + list(Protocol.Kind.choices))
    title = forms.CharField(label=_("Title"), max_length=200)
    subject = forms.CharField(label=_("Subject"), max_length=2000, widget=forms.Textarea)
    parties: forms.ModelMultipleChoiceField[Body] = forms.ModelMultipleChoiceField(
        label=_("Parties"), queryset=Body.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    signed_on = forms.DateField(label=_("Signed on"), widget=IsoDateInput())
    valid_until = forms.DateField(
        label=_("Valid until"), widget=IsoDateInput(), required=False, help_text=_("Empty if it does not expire.")
    )
    document = forms.FileField(
        label=_("Signed document (PDF)"),
        required=False,
        help_text=_("A PDF of at most 10 MB; a new file replaces the previous one."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parties"].queryset = parties

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if upload and upload.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(
                _("The document is larger than %(mb)d MB.") % {"mb": MAX_DOCUMENT_BYTES // (1024 * 1024)}
            )
        return upload

    @classmethod
    def initial_of(cls, protocol: Protocol) -> dict:
        fields = ("kind", "title", "subject", "signed_on", "valid_until")
        return {f: getattr(protocol, f) for f in fields} | {"parties": list(protocol.parties.all())}


class ObligationForm(forms.Form):
    description = forms.CharField(label=_("Obligation"), max_length=500)
    followed_by = forms.TypedChoiceField(label=_("Followed by"), coerce=int)

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.users = {u.pk: u for u in users}
        self.fields["followed_by"].choices = BLANK + [
            (u.pk, u.get_full_name() or u.get_username()) for u in self.users.values()
        ]
