"""The street operator's home page starts her outing, or takes her back to tonight's (core/home.py)."""

from approdi.core.home import Panel, home_panel

from . import selectors


@home_panel(order=10)
def street_outing(request) -> Panel | None:
    if not request.user.has_perm("outreach.record_contact"):
        return None
    return Panel("outreach/_home.html", {"open_outing": selectors.open_outing(actor=request.user)})
