"""The form that keeps a document with a person or a case."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from approdi.network.dates import not_in_the_future
from approdi.outreach.forms import BLANK, DateInput

from ..models import Document, Note


class DocumentForm(forms.Form):
    """``with_roles``: on a case, the domain and who may read it (as for notes); the person's record keeps general
    documents that the Ufficio Filtro reads."""

    file = forms.FileField(label=_("File"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of document"), choices=BLANK + list(Document.Kind.choices))
    day = forms.DateField(label=_("Date of the document"), widget=DateInput())
    expiry = forms.DateField(
        label=_("Expiry"), widget=DateInput(), required=False, help_text=_("For a permit or an identity document.")
    )
    domain = forms.ChoiceField(
        label=_("Domain"),
        choices=BLANK + list(Note.Domain.choices),
        help_text=_(
            "Legal, psychological and health documents are read only by your role on the team, whatever you "
            "choose below."
        ),
    )
    confidentiality = forms.ChoiceField(
        label=_("Who may read it"), choices=Note.Confidentiality.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, with_roles: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        mb = f"{settings.APPRODI_DOCUMENT_MAX_BYTES / 1_000_000:g}"
        self.fields["file"].help_text = _(
            "PDF, JPEG or PNG, at most %(mb)s MB. A photo is kept without its metadata (place, date, camera)."
        ) % {"mb": mb}
        self.fields["file"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
        if not with_roles:
            del self.fields["domain"], self.fields["confidentiality"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.APPRODI_DOCUMENT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB: it was not saved.")
                % {"mb": f"{settings.APPRODI_DOCUMENT_MAX_BYTES / 1_000_000:g}"}
            )
        return upload

    def clean_day(self):
        return not_in_the_future(self.cleaned_data["day"])

    def clean(self):
        data = super().clean()
        day, expiry = data.get("day"), data.get("expiry")
        if day and expiry and expiry < day:
            self.add_error("expiry", _("A document cannot expire before its date."))
        return data
