"""The educator's home page: her structures' free beds and residents (core/home.py).

The Ufficio Filtro and the coordinators see every structure on the board: their day starts elsewhere.
"""

from approdi.core.home import Panel, home_panel
from approdi.people.flags import with_flags

from . import selectors

RESIDENTS_SHOWN = 50


@home_panel(order=30)
def my_structures(request) -> Panel | None:
    user = request.user
    if not user.has_perm("shelter.view_board") or user.has_perm("shelter.view_every_board"):
        return None
    structures = selectors.board_list(actor=user)
    residents = list(selectors.residents_of(actor=user, structures=structures)[:RESIDENTS_SHOWN])
    with_flags(p.person for p in residents)
    return Panel("shelter/_home.html", {"structures": structures, "residents": residents})
