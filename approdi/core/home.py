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


class Panels:
    """Builders that apps register when they are ready, each answering a Panel for the users it serves (None for
    the others); a page shows the panels that answer, in their order."""

    def __init__(self) -> None:
        self._builders: dict[str, tuple[int, Builder]] = {}

    def register(self, *, order: int) -> Callable[[Builder], Builder]:
        def register(build: Builder) -> Builder:
            self._builders[f"{build.__module__}.{build.__qualname__}"] = (order, build)
            return build

        return register

    def for_request(self, request: HttpRequest) -> list[Panel]:
        found = []
        for _order, build in sorted(self._builders.values(), key=lambda item: item[0]):
            panel = build(request)
            if panel is not None:
                found.append(panel)
        return found


HOME = Panels()
home_panel = HOME.register  # a panel of the home page: what starts the day's work of the roles it serves
panels = HOME.for_request
