"""Sections of My work that the apps above cases add, as the home page's panels (core/home.py).

Cases sits below intake (README, "Architecture"): intake registers its conference actions here when it is ready
(``intake/my_work.py``), and the My work page shows the sections that answer for the acting user, in their order.
"""

from approdi.core.home import Panels

SECTIONS = Panels()
my_work_section = SECTIONS.register
sections = SECTIONS.for_request
