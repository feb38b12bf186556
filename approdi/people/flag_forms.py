"""The forms of a person's safety flags, and what the person's page and the case page show of them."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Person, SafetyFlag

BLANK = [("", "—")]


class RaiseFlagForm(forms.Form):
    # No flag is preselected: the user says which danger she means.
    kind = forms.ChoiceField(label=_("Safety flag"), choices=BLANK + list(SafetyFlag.Kind.choices))
    detail = forms.CharField(
        label=_("Detail"),
        required=False,
        max_length=SafetyFlag.DETAIL_MAX,
        help_text=_("Required for “Other”: what everyone who meets her must know."),
    )


class LiftRequestForm(forms.Form):
    reason = forms.CharField(label=_("Why the danger is over"), max_length=SafetyFlag.REASON_MAX)


def flag_panel(user, person: Person, *, back: str) -> dict:
    """The context of ``people/_flag_panel.html``: her flags (``flags.with_flags`` read them) and, for whom keeps
    her, the forms to raise one, ask to lift one and approve another's request. ``back``: where a post returns."""
    keeps = user.has_perm("people.view_safety_flags", person)
    return {
        "flag_person": person,
        "flags_kept": keeps,
        "may_raise_flag": keeps and user.has_perm("people.raise_safety_flag", person),
        "raise_flag_form": RaiseFlagForm(auto_id="flag_%s"),
        "flag_back": back,
    }
