"""Forms of the case pages, by subject as ``models`` and ``services``: ``case`` (the case, its team,
transfers, notes, closure), ``plan``, ``delivery``, ``integration``, ``legal``."""
