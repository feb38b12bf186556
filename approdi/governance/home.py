"""The actions a user owes (governance/my_work.py) on the home page (core/home.py), for those without My work
(coordinators, street units: the case roles find them on My work)."""

from approdi.core.home import Panel, home_panel

from .my_work import owed_panel


@home_panel(order=55)
def table_actions(request) -> Panel | None:
    if request.user.has_perm("cases.view_cases"):
        return None
    return owed_panel(request)
