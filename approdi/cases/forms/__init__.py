"""Forms of the case pages: ``case_forms`` (case, team, transfer, notes, closure) and ``path_forms``
(plan, appointments, services delivered, integration, legal, the service-type list)."""
