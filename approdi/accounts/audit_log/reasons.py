"""An entry's reason in the reader's language.

The services write short machine notes in the reason ("approved; content 3f…", "2024-03-01–2024-03-31 as csv",
"import"); the log is append-only, so they stay as written and are said in words when the entry is read. A reason
that matches no known note (what a person typed, a refused page's path) is shown as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

FIXED = {
    "import": lambda: _("imported from a file"),
    "command line": lambda: _("from the command line"),
    "grant approved": lambda: _("grant approved"),
    "grant rejected": lambda: _("grant rejected"),
    "all sessions": lambda: _("all sessions"),
    "second factor": lambda: _("second factor"),
    "discarded": lambda: _("discarded"),
    "approved": lambda: _("approved"),
    "self-approved (the programme allows it)": lambda: _("approved by whoever prepared it (the programme allows it)"),
    "draft": lambda: _("draft"),
}

DAY = r"\d{4}-\d{2}-\d{2}"
SPAN = rf"(?P<start>{DAY})–(?P<end>{DAY})"
FORMAT = r"(?P<fmt>csv|xlsx|pdf|json)"


def _day(text: str) -> str:
    return date_format(date.fromisoformat(text), "SHORT_DATE_FORMAT")


def _span(m: re.Match) -> dict:
    return {"start": _day(m["start"]), "end": _day(m["end"])}


def _fixed(text: str) -> str:
    return FIXED[text]() if text in FIXED else text


def _rows(m: re.Match) -> str:
    rows = int(m["rows"])
    return ngettext("%(rows)d row as %(fmt)s", "%(rows)d rows as %(fmt)s", rows) % {"rows": rows, "fmt": m["fmt"]}


PATTERNS: list[tuple[re.Pattern, Callable[[re.Match], str]]] = [
    (
        re.compile(rf"{SPAN} as {FORMAT}(?:: (?P<more>.*))?"),
        lambda m: (
            _("%(start)s–%(end)s as %(fmt)s") % {**_span(m), "fmt": m["fmt"]} + (f": {m['more']}" if m["more"] else "")
        ),
    ),
    (re.compile(r"(?P<rows>\d+) rows as " + FORMAT), _rows),
    (
        re.compile(rf"{SPAN}, figures (?P<hash>\w+)"),
        lambda m: _("%(start)s–%(end)s, figures %(hash)s") % {**_span(m), "hash": m["hash"]},
    ),
    (
        re.compile(r"re-prepared: figures (?P<old>\w+) → (?P<new>\w+)"),
        lambda m: _("prepared again: figures %(old)s → %(new)s") % {"old": m["old"], "new": m["new"]},
    ),
    (
        re.compile(r"(?P<how>approved|self-approved \(the programme allows it\)); content (?P<hash>\w+)"),
        lambda m: _("%(how)s; content %(hash)s") % {"how": _fixed(m["how"]), "hash": m["hash"]},
    ),
    (
        re.compile(r"(?P<status>draft|approved) " + FORMAT + r", sha256 (?P<hash>\w+)"),
        lambda m: (
            _("%(status)s, %(fmt)s, sha256 %(hash)s")
            % {"status": _fixed(m["status"]), "fmt": m["fmt"], "hash": m["hash"]}
        ),
    ),
    (
        re.compile(rf"capacity from (?P<day>{DAY})(?:; (?P<note>.*))?"),
        lambda m: _("beds from %(day)s") % {"day": _day(m["day"])} + (f"; {m['note']}" if m["note"] else ""),
    ),
    (re.compile(r"continues in (?P<code>\S+)"), lambda m: _("continues in %(code)s") % {"code": m["code"]}),
    (
        re.compile(r"downloaded export (?P<job>\d+): (?P<rows>\d+) rows as " + FORMAT),
        lambda m: _("downloaded export %(job)s: %(rows)s") % {"job": m["job"], "rows": _rows(m)},
    ),
    (
        re.compile(r"requested (?P<kind>\w+) as " + FORMAT + rf"(?:, {SPAN})?"),
        lambda m: (
            _("asked for %(kind)s as %(fmt)s") % {"kind": m["kind"], "fmt": m["fmt"]}
            + (", " + _("%(start)s–%(end)s") % _span(m) if m["start"] else "")
        ),
    ),
    (
        re.compile(r"carried over from membership (?P<pk>\d+) to the new edition"),
        lambda m: _("carried over from role %(pk)s to the new edition") % {"pk": m["pk"]},
    ),
]


def reason_in_words(reason: str) -> str:
    if reason in FIXED:
        return FIXED[reason]()
    for pattern, say in PATTERNS:
        found = pattern.fullmatch(reason)
        if found:
            return say(found)
    return reason
