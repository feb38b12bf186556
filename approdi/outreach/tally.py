"""The monthly contact tally (``ContactTally``): kept by the database, rebuilt on demand, read by the dashboard.

Why triggers: a contact is written by the forms, the API, the imports (in bulk), corrections of closed periods,
the cascade of an outing's deletion, and later by retention; a trigger on ``outreach_contact`` keeps the tally in the
same transaction as every one of them, including those that bypass the services (``bulk_create``, ``QuerySet.update``
and ``delete``, raw SQL), so no write path can forget it. PostgreSQL runs one statement-level trigger per statement
(the rows it changed, grouped, added in one upsert: a 2,000-row ``bulk_create`` batch costs one grouped statement);
SQLite has only row-level triggers (four upserts in the same file, no round trip); a bulk insert there
(``inserted_in_bulk``: an import's chunk) sets its insert trigger aside inside its transaction and adds the new rows
in one grouped statement instead, 60 µs a contact less.

A table rebuild on SQLite (a later migration altering ``outreach_contact``) drops its triggers: such a migration must
call ``drop_triggers`` before and ``create_triggers`` after, as ``network/0005`` does for the membership triggers.
``tests/reports/test_contact_tally.py`` fails if the triggers are missing.

Why monthly, not daily: at national scale a partner records about 40 contacts a day, which split by four dimensions
and three channels are about as many rows as contacts — a daily tally would be no smaller than the contacts. A month
of a partner is about 1,200 contacts and 65 tally rows. A period that does not start or end on a month's edge reads
its first and last partial months from the contacts themselves (``rows``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import Q, Sum
from django_scopes import scopes_disabled

from .models import Contact, ContactTally

TABLE = ContactTally._meta.db_table
KEY = "programme_id, month, organisation_id, channel, dimension, value"
DIMENSIONS = (
    ("area", "COALESCE(CAST({t}.area_id AS TEXT), '')"),
    ("exploitation", "{t}.exploitation"),
    ("nationality", "{t}.nationality"),
    ("gender", "{t}.gender"),
)
MONTH = {"sqlite": "strftime('%Y-%m-01', {t}.date)", "postgresql": "CAST(date_trunc('month', {t}.date) AS date)"}
# The rows no contact is left in, found through a partial index of them (``contact_tally_empty``).
EMPTIED = f"DELETE FROM {TABLE} WHERE records = 0"  # noqa: S608 - our own names
# From how many contacts an insert sets the row-by-row trigger aside (``inserted_in_bulk``): one is cheaper by trigger.
IN_BULK = 50
WATCHED = "programme_id, organisation_id, channel, date, area_id, headcount, exploitation, nationality, gender"


def _sqlite_add(t: str, sign: str) -> str:
    """Adds (or, with ``sign`` "-", takes away) the contact ``t`` in its four tally rows."""
    month = MONTH["sqlite"].format(t=t)
    values = ",\n".join(
        f"({t}.programme_id, {month}, {t}.organisation_id, {t}.channel, '{name}', {expr.format(t=t)}, "
        f"{sign}{t}.headcount, {sign}1)"
        for name, expr in DIMENSIONS
    )
    return (
        f"INSERT INTO {TABLE} ({KEY}, contacts, records) VALUES {values}\n"  # noqa: S608 - our own names
        f"ON CONFLICT ({KEY}) DO UPDATE SET contacts = contacts + excluded.contacts, "
        "records = records + excluded.records;"
    )


# An insert only adds: only a delete or an update can leave a row with no contact to remove.
SQLITE = {
    "outreach_contact_tally_insert": f"AFTER INSERT ON outreach_contact BEGIN {_sqlite_add('NEW', '')} END",
    "outreach_contact_tally_delete": (
        f"AFTER DELETE ON outreach_contact BEGIN {_sqlite_add('OLD', '-')} {EMPTIED}; END"
    ),
    "outreach_contact_tally_update": (
        f"AFTER UPDATE OF {WATCHED} ON outreach_contact "
        f"BEGIN {_sqlite_add('OLD', '-')} {_sqlite_add('NEW', '')} {EMPTIED}; END"
    ),
}

_PG_CHANGES = {
    "INSERT": "SELECT *, 1 AS sign FROM new_rows",
    "DELETE": "SELECT *, -1 AS sign FROM old_rows",
    "UPDATE": "SELECT *, 1 AS sign FROM new_rows UNION ALL SELECT *, -1 AS sign FROM old_rows",
}


def _pg_apply(changes: str) -> str:
    split = ", ".join(f"('{name}', {expr.format(t='c')})" for name, expr in DIMENSIONS)
    month = MONTH["postgresql"].format(t="c")
    return f"""
        WITH changes AS ({changes})
        INSERT INTO {TABLE} AS t ({KEY}, contacts, records)
        SELECT c.programme_id, {month}, c.organisation_id, c.channel, d.dimension, d.value,
               SUM(c.sign * c.headcount), SUM(c.sign)
        FROM changes c CROSS JOIN LATERAL (VALUES {split}) AS d(dimension, value)
        GROUP BY 1, 2, 3, 4, 5, 6
        HAVING SUM(c.sign * c.headcount) <> 0 OR SUM(c.sign) <> 0
        ORDER BY 1, 2, 3, 4, 5, 6
        ON CONFLICT ({KEY}) DO UPDATE
        SET contacts = t.contacts + EXCLUDED.contacts, records = t.records + EXCLUDED.records;
        {EMPTIED};
    """  # noqa: S608 - our own names


POSTGRESQL_FUNCTION = f"""
CREATE OR REPLACE FUNCTION outreach_contact_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN {_pg_apply(_PG_CHANGES["INSERT"])}
    ELSIF TG_OP = 'DELETE' THEN {_pg_apply(_PG_CHANGES["DELETE"])}
    ELSE {_pg_apply(_PG_CHANGES["UPDATE"])}
    END IF;
    RETURN NULL;
END $$;
"""
POSTGRESQL = {
    "outreach_contact_tally_insert": "AFTER INSERT ON outreach_contact REFERENCING NEW TABLE AS new_rows",
    "outreach_contact_tally_delete": "AFTER DELETE ON outreach_contact REFERENCING OLD TABLE AS old_rows",
    "outreach_contact_tally_update": (
        "AFTER UPDATE ON outreach_contact REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"
    ),
}


def create_triggers(execute: Callable[[str], object], vendor: str) -> None:
    """Installs the triggers (a migration; ``rebuild`` installs them again if a table rebuild dropped them)."""
    if vendor == "sqlite":
        for name, body in SQLITE.items():
            execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
    elif vendor == "postgresql":
        execute(POSTGRESQL_FUNCTION)
        for name, when in POSTGRESQL.items():
            execute(f"DROP TRIGGER IF EXISTS {name} ON outreach_contact")
            execute(f"CREATE TRIGGER {name} {when} FOR EACH STATEMENT EXECUTE FUNCTION outreach_contact_tally()")


def drop_triggers(execute: Callable[[str], object], vendor: str) -> None:
    for name in SQLITE:
        execute(f"DROP TRIGGER IF EXISTS {name}" + (" ON outreach_contact" if vendor == "postgresql" else ""))
    if vendor == "postgresql":
        execute("DROP FUNCTION IF EXISTS outreach_contact_tally()")


def _grouped(vendor: str, where: str, *, upsert: bool = False) -> str:
    """The contacts matching ``where`` counted as the triggers count them, in one statement: each dimension a GROUP BY.

    ``upsert``: the rows are selected from a subquery with a WHERE, as SQLite's parser needs before ON CONFLICT.
    """
    month = MONTH[vendor].format(t="c")
    select = "SELECT c.programme_id, {month}, c.organisation_id, c.channel, '{name}', {value}, SUM(c.headcount), "
    select += "COUNT(*) FROM outreach_contact c " + where + " GROUP BY 1, 2, 3, 4, 5, 6"
    parts = [select.format(month=month, name=name, value=expr.format(t="c")) for name, expr in DIMENSIONS]
    union = " UNION ALL ".join(parts)
    if upsert:
        union = f"SELECT * FROM ({union}) WHERE true"  # noqa: S608 - our own names
    return f"INSERT INTO {TABLE} ({KEY}, contacts, records) {union}"


@contextmanager
def inserted_in_bulk() -> Iterator[None]:
    """The contacts inserted in the block are added to the tally in one grouped statement after it, not row by row.

    SQLite only (PostgreSQL's trigger is already one grouped statement per insert statement): the insert trigger is
    dropped in the block and created again after it, inside the caller's transaction, which holds the database's
    write lock (``IMMEDIATE``) — no other connection writes meanwhile or ever sees the table without its trigger, and
    a rollback puts the trigger back with the rest. The new contacts are those above the largest id given before
    (``AUTOINCREMENT`` never gives a smaller one). Only inserts belong in the block: a contact changed or deleted in
    it would be counted before it is added.
    """
    if connection.vendor != "sqlite":
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("inserted_in_bulk runs inside the transaction of its inserts")
    name = "outreach_contact_tally_insert"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT MAX(COALESCE((SELECT MAX(id) FROM outreach_contact), 0), "
            "COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'outreach_contact'), 0))"
        )
        (before,) = cursor.fetchone()
        cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        try:
            yield
            cursor.execute(
                _grouped("sqlite", "WHERE c.id > %s", upsert=True)
                + f" ON CONFLICT ({KEY}) DO UPDATE SET contacts = contacts + excluded.contacts, "
                "records = records + excluded.records",
                [before] * len(DIMENSIONS),
            )
        finally:
            cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {SQLITE[name]}")


def rebuild_sql(vendor: str) -> str:
    """The tally from the contacts, in one statement: what the triggers keep, written as a plain GROUP BY."""
    return _grouped(vendor, "")


def rebuild() -> int:
    """Empties the tally and counts it again from every contact; returns its rows. Installs missing triggers.

    On PostgreSQL the contacts are locked against writes meanwhile (``SHARE``: reads go on), so no write falls
    between the count and the triggers.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("LOCK TABLE outreach_contact IN SHARE MODE")
        create_triggers(cursor.execute, connection.vendor)
        cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608 - our own names
        cursor.execute(rebuild_sql(connection.vendor))
    with scopes_disabled():
        return ContactTally.objects.count()


# Reading: the months wholly inside a period from the tally, its partial first and last months from the contacts.

Group = tuple[date, int, str, str, str, int]  # month, organisation id, channel, dimension, value, contacts


def _next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def whole_months(start: date, end: date) -> tuple[date, date] | None:
    """The first days of the first and last months lying wholly in the period, if any."""
    first = start if start.day == 1 else _next_month(start)
    last = (
        end.replace(day=1)
        if _next_month(end) == end + timedelta(days=1)
        else (end.replace(day=1) - timedelta(days=1)).replace(day=1)
    )
    return (first, last) if first <= last else None


def rows(start: date, end: date, *, dimension: str = "") -> Iterator[Group]:
    """The period's contacts in the scope as tally groups: one query for the whole months, one for the days left.

    The days left (a period starting or ending inside a month) are read from the contacts, grouped by day and every
    dimension, and split here as the triggers split them. ``dimension``: that dimension's groups alone.
    """
    months = whole_months(start, end)
    if months is None:
        rest = Q(date__gte=start, date__lte=end)
    else:
        tallied = ContactTally.objects.filter(month__gte=months[0], month__lte=months[1])
        yield from (
            (tallied.filter(dimension=dimension) if dimension else tallied)
            .order_by()
            .values_list("month", "organisation_id", "channel", "dimension", "value", "contacts")
        )
        after = _next_month(months[1])
        if start == months[0] and after > end:
            return
        rest = Q(date__gte=start, date__lt=months[0]) | Q(date__gte=after, date__lte=end)
    edges = (
        Contact.objects.filter(rest)
        .order_by()
        .values_list("date", "organisation_id", "channel", "area_id", "exploitation", "nationality", "gender")
        .annotate(contacts=Sum("headcount"))
    )
    for day, organisation, channel, area, exploitation, nationality, gender, contacts in edges:
        month = day.replace(day=1)
        split = {
            "area": "" if area is None else str(area),
            "exploitation": exploitation,
            "nationality": str(nationality or ""),
            "gender": gender,
        }
        for name, value in split.items():
            if not dimension or name == dimension:
                yield month, organisation, channel, name, value, contacts
