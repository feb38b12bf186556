"""Forms preselect no answer that is about a person or her rights: she, or the operator, chooses it.

A first option shown selected is submitted unread: consent recorded as given, an exit outcome or a
role nobody chose, a legal or health note filed as "general" (readable by the whole team).
"""

import pytest
from django import forms

from approdi.accounts.forms import InviteForm
from approdi.cases.forms.case import NoteForm, TeamMemberForm
from approdi.intake.forms import ConsentForm, ExitForm, ScreeningForm
from approdi.outreach.forms import ReferralForm
from approdi.shelter.forms import EndForm, PlaceForm

FIELDS = [
    (ConsentForm, "purpose"),
    (ConsentForm, "granted"),
    (ExitForm, "outcome"),
    (ScreeningForm, "conclusion"),
    (ReferralForm, "source_type"),
    (ReferralForm, "urgency"),
    (EndForm, "reason"),
    (PlaceForm, "stage"),
    (InviteForm, "role"),
    (NoteForm, "domain"),
    (TeamMemberForm, "role"),
]


@pytest.mark.parametrize(("form_class", "name"), FIELDS, ids=[f"{f.__name__}.{n}" for f, n in FIELDS])
def test_the_choice_starts_blank_and_is_required(form_class, name):
    field = form_class.base_fields[name]
    assert field.required and field.initial in (None, "")
    assert next(iter(field.choices))[0] == ""
    assert 'value="" selected' in field.widget.render(name, None)
    with pytest.raises(forms.ValidationError):
        field.clean("")
