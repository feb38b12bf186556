"""Case pages, by subject as ``models`` and ``services``: ``case`` (the list, the case page, assignment,
notes, suspension, closure, My work), ``team`` (team and transfers), ``plan`` (with appointments),
``delivery`` (with the service-type list), ``integration``, ``legal``. The routes are in ``urls``."""
