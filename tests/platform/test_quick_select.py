"""core.forms.QuickSelect: the long lists of the case page (users, projects) rendered in Python say what Django's
templates say: every option, the chosen one selected, groups, and every text escaped."""

from html.parser import HTMLParser

from django import forms

from approdi.core.forms import QuickSelect

CHOICES = [("", "---"), (1, "Rossi & <Bianchi>"), ('x"y', "Verdi"), ("Milano", [(3, "Sportello"), (4, "Questura")])]


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.seen: list = []

    def handle_starttag(self, tag, attrs):
        self.seen.append((tag, sorted(attrs, key=lambda a: a[0])))

    def handle_data(self, data):
        self.seen.append(("text", data.strip()))


def _parsed(html: str) -> list:
    tags = _Tags()
    tags.feed(str(html))
    return [t for t in tags.seen if t != ("text", "")]


class _Form(forms.Form):
    django = forms.ChoiceField(choices=CHOICES)
    quick = forms.ChoiceField(choices=CHOICES, widget=QuickSelect)


def test_quick_select_says_what_django_says():
    form = _Form(initial={"django": 4, "quick": 4}, auto_id="%s")
    ours = str(form["quick"].as_widget(attrs={"class": "form-select"})).replace("quick", "field")
    theirs = str(form["django"].as_widget(attrs={"class": "form-select"})).replace("django", "field")
    assert _parsed(ours) == _parsed(theirs)
    assert "Rossi &amp; &lt;Bianchi&gt;" in ours and 'value="x&quot;y"' in ours
    assert '<option value="4" selected>Questura</option>' in ours
