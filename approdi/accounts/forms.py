from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from approdi.network.models import Programme

from .roles import Role


class SignInForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=12,
        help_text=_("The 6-digit code of your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, required=False, help_text=_("What the token is for, e.g. 'helpline script'.")
    )
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=366, initial=90)


class RoleForm(forms.Form):
    """A role in a programme: only the programmes where the granting administrator is one are offered."""

    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[("", "—"), *Role.choices],
        help_text=_("A role that sees people's data acts only after a coordinator of the lead entity approves it."),
    )

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes


class InviteForm(RoleForm):
    field_order = ["username", "email", "first_name", "last_name", "programme", "role"]
    username = forms.RegexField(
        label=_("Username"),
        regex=r"^[\w.@+-]+\Z",
        max_length=150,
        error_messages={"invalid": _("Use letters, digits and @ . + - _ only.")},
    )
    email = forms.EmailField(label=_("E-mail"))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)


class NoticeEmailForm(forms.Form):
    """The kinds of notice she is told of by e-mail, among those that reach her role (notifications.py)."""

    kinds = forms.MultipleChoiceField(
        label=_("Send me an e-mail for"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("E-mails carry the person's code and a link, never her name."),
    )

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = [(kind.code, kind.choice_label) for kind in kinds]
