"""The coordinator's home page: the programme's targets beside the results of the running year (core/home.py).

The figures are the dashboard's own (``dashboard.selectors.targets_vs_results``); the Ufficio Filtro, who may
read them too, starts its day from the queue.
"""

from approdi.core.home import Panel, home_panel
from approdi.core.period import Period
from approdi.network.dates import today

from .dashboard import selectors as dashboard


@home_panel(order=50)
def targets(request) -> Panel | None:
    user = request.user
    if not user.has_perm(dashboard.PERM) or user.has_perm("intake.work_queue"):
        return None
    year = Period.running_year(request.membership.programme, today())
    rows = dashboard.targets_vs_results(actor=user, start=year.start, end=year.end)
    return Panel("reports/_home.html", {"year": year, "targets": rows})
