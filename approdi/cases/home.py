"""The case worker's and the legal advisor's home page: My work, in short (core/home.py).

The Ufficio Filtro works on every case of the programme: its day starts from the queue (intake/home.py).
"""

from approdi.core.home import Panel, home_panel

from . import selectors


@home_panel(order=40)
def my_work(request) -> Panel | None:
    user = request.user
    if not user.has_perm("cases.view_cases") or user.has_perm("intake.work_queue"):
        return None
    return Panel("cases/_home.html", {"work": selectors.my_work(actor=user, shown=selectors.SHOWN)})
