"""Case pages: ``case_pages`` (list, case, team, transfer, notes, closure, My work) and ``path_pages``
(plan, appointments, services delivered, integration, legal)."""
