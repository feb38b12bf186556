"""The home page's panels: each app says what starts the day's work of the roles it serves.

Core imports no app (README, "Architecture"): the apps register their panel here when they are ready
(``<app>/home.py``), and the home page shows those that answer for the acting user, in their order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict = field(default_factory=dict)


Builder = Callable[[HttpRequest], Panel | None]
_BUILDERS: dict[str, tuple[int, Builder]] = {}


def home_panel(*, order: int) -> Callable[[Builder], Builder]:
    """Registers a panel builder: it returns a Panel for the users whose work it starts, None for the others."""

    def register(build: Builder) -> Builder:
        _BUILDERS[f"{build.__module__}.{build.__qualname__}"] = (order, build)
        return build

    return register


def panels(request: HttpRequest) -> list[Panel]:
    found = []
    for _order, build in sorted(_BUILDERS.values(), key=lambda item: item[0]):
        panel = build(request)
        if panel is not None:
            found.append(panel)
    return found
