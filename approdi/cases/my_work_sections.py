"""Sections of My work that the apps above cases add, as the home page's panels (core/home.py).

Cases sits below intake (README, "Architecture"): intake registers its conference actions here when it is ready
(``intake/my_work.py``), and the My work page shows the sections that answer for the acting user, in their order.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

from approdi.core.home import Panel

Builder = Callable[[HttpRequest], Panel | None]
_BUILDERS: dict[str, tuple[int, Builder]] = {}


def my_work_section(*, order: int) -> Callable[[Builder], Builder]:
    """Registers a section builder: a Panel for the users it has work for, None for the others."""

    def register(build: Builder) -> Builder:
        _BUILDERS[f"{build.__module__}.{build.__qualname__}"] = (order, build)
        return build

    return register


def sections(request: HttpRequest) -> list[Panel]:
    found = []
    for _order, build in sorted(_BUILDERS.values(), key=lambda item: item[0]):
        panel = build(request)
        if panel is not None:
            found.append(panel)
    return found
