"""The directory's home page panels (core/home.py): every member's contacts, the coordinators' renewals due."""

from approdi.core.home import Panel, home_panel

from . import selectors


@home_panel(order=90)
def contacts(request) -> Panel | None:
    if not request.user.has_perm(selectors.VIEW):
        return None
    return Panel("directory/_home_contacts.html", {"contacts": selectors.home_contacts(actor=request.user)})


@home_panel(order=60)
def renewals(request) -> Panel | None:
    if not request.user.has_perm(selectors.RENEWALS):
        return None
    return Panel(
        "directory/_home_renewals.html",
        {"renewals": selectors.renewals_due(actor=request.user), "days": selectors.RENEWAL_DAYS},
    )
