"""The Ufficio Filtro's duplicate check among 100,000 encrypted identities, against decrypt-and-scan.

    .venv/bin/python -m bench.identity_search [--postgres] [--sizes 10000 50000 100000] [--queries 20]
                                             [--keep] [--reuse]

Builds a throwaway database with ``manage.py migrate`` (SQLite in a temporary directory under /tmp via
APPRODI_VAR_DIR; with ``--postgres`` also postgres://postgres@127.0.0.1:5432/approdi_bench_identity, created and
dropped here) and fills ``intake_person`` and ``intake_personkey`` with raw ``executemany`` (SQLite) or ``COPY``
(PostgreSQL), growing to each size in turn. Every row is computed as ``approdi.people.services.index_person`` does: the
identity fields through ``approdi.core.crypto.encrypt``, ``identity_index`` and one PersonKey per
``person_keys(given, family, aliases)`` (name tokens, skeletons, family-name typo keys, whole names); a few loaded
people are re-indexed with the real ``index_person`` (rolled back) to check that the bulk load stored exactly the same
values.

Everyone is SYNTHETIC: names are built from syllables, a pool of 3,000 given and 30,000 family names drawn with
Zipf weights (a few names are common, most are rare), birth dates 1975-2007 (a quarter recorded as 1 January);
a third of the people have one or two aliases.

At each size it calls ``approdi.intake.selectors.duplicates`` — the real selector, with an Ufficio Filtro actor of
the lead entity, inside the real ``membership_scope`` — for ``--queries`` different targets per kind of query:
* exact: the same names swapped, accented and in another case, with the birth date;
* similar, vowel / consonant: one letter of the family name changed after the 3rd letter, with the birth date;
* alias: one of the person's aliases typed as the names, with the birth date;
* consonant, no birth date: a consonant of the family name changed after the 3rd letter, the birth date unknown.
Reported: the median and slowest call, the median time in SQL and in the name-keys query alone, the Python peak
memory of a call (tracemalloc, a second pass), whether the target came back among the 10 candidates, and how many
PersonKey rows the name-keys query groups. As a baseline, at the sizes up to ``--scan-upto``, one exact query answered
by decrypting every person (``iterator()``, the four fields it needs) and comparing in Python.

Each backend runs in a child process of its own (``bench/_harness.py``); the parent prints the tables. ``--keep`` leaves
the databases in /tmp/approdi-bench-identity and PostgreSQL ``--pg-database``; ``--reuse`` (one size only) times the
queries again on them without loading: the same people, drawn from the same seed, so that two versions of the selector
are compared on the same data.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import time
import tracemalloc
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate

from bench import _harness, _world

PG_BENCH_DB = "approdi_bench_identity"
PG_URL = _harness.pg_url(PG_BENCH_DB)
KEEP = "identity"
SEED = 2026
LIMIT = 10  # the selector's default: the candidates the page shows
KINDS = ("exact", "similar_vowel", "similar_consonant", "alias", "consonant_no_birth")  # new kinds last: same draws
KIND_LABELS = {
    "exact": "exact names + birth date (swapped, accents, case)",
    "similar_vowel": "similar: a vowel changed after the 3rd letter",
    "similar_consonant": "similar: a consonant changed after the 3rd letter",
    "consonant_no_birth": "similar: a consonant changed, no birth date",
    "alias": "an alias typed as the names",
}

# --- synthetic people ---------------------------------------------------------------------------------------------

ONSETS = ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "ch", "sh", "ts"]
VOWELS = "aeiou"
CONSONANTS = "bdfgklmnprstvz"
CODAS = ("", "", "", "", "n", "r", "l", "s")
ACCENTED = {"a": "à", "e": "è", "i": "ì", "o": "ò", "u": "ù"}
GIVEN_POOL, FAMILY_POOL = 3_000, 30_000
GIVEN_ZIPF, FAMILY_ZIPF = 0.8, 0.7  # the most common given name: about 1 in 20; family name: about 1 in 70


def _syllable(rng: random.Random, first: bool) -> str:
    onset = "" if first and rng.random() < 0.2 else rng.choice(ONSETS)
    return onset + rng.choice(VOWELS) + rng.choice(CODAS)


def _pool(rng: random.Random, size: int, shortest: int, longest: int) -> list[str]:
    names: dict[str, None] = {}
    while len(names) < size:
        count = rng.randint(shortest, longest)
        name = "".join(_syllable(rng, i == 0) for i in range(count)).capitalize()
        if rng.random() < 0.05:  # some names are recorded with an accent
            vowels = [i for i, ch in enumerate(name) if ch in ACCENTED]
            if vowels:
                i = rng.choice(vowels)
                name = name[:i] + ACCENTED[name[i]] + name[i + 1 :]
        names.setdefault(name)
    return list(names)


@dataclass(frozen=True)
class Someone:
    given: str
    family: str
    aliases: tuple[str, ...]
    birth: date


class Population:
    """Deterministic synthetic people: person ``i`` (1-based, the primary key) is always the same."""

    def __init__(self, seed: int):
        rng = random.Random(f"{seed}-pools")
        self.given = _pool(rng, GIVEN_POOL, 2, 3)
        self.family = _pool(rng, FAMILY_POOL, 2, 4)
        self.given_weights = list(accumulate(1 / r**GIVEN_ZIPF for r in range(1, GIVEN_POOL + 1)))
        self.family_weights = list(accumulate(1 / r**FAMILY_ZIPF for r in range(1, FAMILY_POOL + 1)))
        self.rng = random.Random(f"{seed}-people")
        self.people: list[Someone] = []

    def _given(self) -> str:
        return self.rng.choices(self.given, cum_weights=self.given_weights)[0]

    def _family(self) -> str:
        return self.rng.choices(self.family, cum_weights=self.family_weights)[0]

    def _alias(self, family: str) -> str:
        shape = self.rng.random()
        if shape < 0.5:
            return f"{self._given()} {family}"  # another given name with her own family name
        if shape < 0.8:
            return self._given()  # a single name she is known by
        return f"{self._given()} {self._family()}"  # another identity altogether

    def grow(self, count: int) -> list[Someone]:
        rng, start = self.rng, len(self.people)
        for _ in range(count):
            given, family = self._given(), self._family()
            aliases = ()
            if rng.random() < 1 / 3:
                aliases = tuple(self._alias(family) for _ in range(rng.choice((1, 1, 2))))
            year = rng.randint(1975, 2007)
            birth = date(year, 1, 1) if rng.random() < 0.25 else date(year, 1, 1) + timedelta(days=rng.randint(0, 364))
            self.people.append(Someone(given, family, aliases, birth))
        return self.people[start:]


# --- parent: one child per backend --------------------------------------------------------------------------------


def _print_tables(args, results: list[dict]) -> None:
    print(
        f"\n# Identity search — {', '.join(f'{n:,}' for n in args.sizes)} synthetic people, seed {args.seed}, "
        f"{args.queries} targets per kind, {_harness.machine(args.load_before)}"
    )
    for result in results:
        print(f"\n## {result['database']}\n")
        lines = []
        for size in result["sizes"]:
            for row in size["rows"]:
                lines.append(
                    [
                        f"{size['people']:,}",
                        KIND_LABELS[row["kind"]],
                        f"{row['median_ms']:.1f} ms",
                        f"{row['p95_ms']:.1f} ms",
                        f"{row['max_ms']:.1f} ms",
                        f"{row['sql_ms']:.1f} ms",
                        f"{row['keys_ms']:.1f} ms",
                        f"{row['peak_kib']:.0f} / {row['peak_max_kib']:.0f} KiB",
                        f"{row['found']}/{row['of']}",
                        f"{row['grouped_median']:,} / {row['grouped_max']:,}",
                        f"{row['candidates_median']:,} / {row['candidates_max']:,}",
                    ]
                )
            scan = size.get("scan")
            if scan:
                lines.append(
                    [
                        f"{size['people']:,}",
                        "*baseline: decrypt-and-scan, one exact query*",
                        f"{scan['ms']:,.0f} ms",
                        "",
                        "",
                        "",
                        "",
                        f"{scan['peak_kib']:.0f} KiB",
                        f"{scan['found']}/1",
                        "",
                        "",
                    ]
                )
        _harness.table(
            [
                "people",
                "query",
                "median",
                "p95",
                "slowest",
                "SQL (median)",
                "name-keys query (median)",
                "peak memory (median / max)",
                "target found",
                "PersonKey rows grouped (median / max)",
                "people sharing ≥ 2 keys (median / max)",
            ],
            lines,
            "rlrrrrrrrrr",
        )
        loads = "; ".join(f"{s['people']:,}: +{s['added']:,} in {s['load_s']:.1f} s" for s in result["sizes"])
        print(
            f"\nLoad (encrypt + index + insert, then (VACUUM) ANALYZE): {loads}; total {result['load_s']:.1f} s. "
            f"Bulk load matches index_person: {result['index_checked']} people re-indexed, identical. "
            f"SQL statements per call: {result['statements']}. Child peak RSS {result['rss_mib']:.0f} MiB."
        )


def parent(args) -> None:
    started = time.perf_counter()
    args.load_before = _harness.load_average()
    argv = ["--queries", str(args.queries), "--seed", str(args.seed), "--scan-upto", str(args.scan_upto)]
    argv += ["--sizes", *map(str, args.sizes)]
    backends = ("sqlite", "postgresql") if args.postgres else ("sqlite",)
    if args.reuse and len(args.sizes) != 1:
        raise SystemExit("--reuse times one size: the kept database holds the largest size loaded")
    keep = KEEP if args.keep or args.reuse else None
    module = "bench.identity_search"
    results = _harness.run_backends(module, backends, argv, args.pg_database, keep=keep, reuse=args.reuse)
    _print_tables(args, results)
    print(f"\nWhole run: {time.perf_counter() - started:.0f} s")


# --- child: one backend -------------------------------------------------------------------------------------------


def _setup() -> _world.Network:
    return _world.network(
        start=date(2024, 1, 1), end=date(2026, 12, 31), partners=1, areas=0, filtro_perms=("intake.work_queue",)
    )


def _found_again() -> _world.Network:
    """The network of a kept database (``--reuse``): its programme, organisations and Ufficio Filtro actor."""
    from django_scopes import scopes_disabled

    from approdi.accounts.models import Membership
    from approdi.network.models import Programme

    with scopes_disabled():
        programme = Programme.objects.select_related("lead_organisation").get(code="BENCH")
        membership = Membership.objects.select_related("programme", "organisation", "user").get(
            user__username="bench-filtro", programme=programme
        )
        others = [o for o in programme.partners.all() if o.pk != programme.lead_organisation_id]
    world = _world.Network(programme, programme.lead_organisation, others, [])
    world.actor, world.membership = membership.user, membership
    world.actor.active_membership = membership
    return world


class Loader:
    """Appends people to intake_person and their keys to intake_personkey, computed as services.index_person does."""

    def __init__(self, sqlite: bool, programme_id: int, organisations: list[int], actor_id: int, seed: int):

        from approdi.people.models import Person

        self.sqlite, self.programme_id, self.organisations = sqlite, programme_id, organisations
        self.actor_id = actor_id
        self.rng = random.Random(f"{seed}-facts")
        self.columns = [f.column for f in Person._meta.concrete_fields]
        self.created = "2025-12-01 00:00:00" if sqlite else datetime(2025, 12, 1, tzinfo=UTC)
        # Every column, so that a column added to Person later is filled with its stored default.
        self.defaults = _harness.column_defaults(Person)

    def _row(self, pk: int, who: Someone) -> tuple[dict, set[str]]:
        from approdi.core.crypto import encrypt
        from approdi.people.identity import aliases_of, birth_index, identity_index, person_keys

        rng = self.rng
        aliases = "\n".join(who.aliases)
        row = dict(self.defaults)
        row.update(
            {
                "id": pk,
                "programme_id": self.programme_id,
                "organisation_id": rng.choice(self.organisations),
                "code": f"BENCH-{pk:07d}",
                "given_name": encrypt(who.given),
                "family_name": encrypt(who.family),
                "aliases": encrypt(aliases) if aliases else "",
                "birth_date": encrypt(who.birth.isoformat()),
                "birth_place": encrypt(_pool(rng, 1, 2, 3)[0]),
                "phone": encrypt(f"+39 3{rng.randint(10**8, 10**9 - 1)}"),
                "documents": encrypt(f"Passaporto {rng.randint(10**7, 10**8 - 1)}") if rng.random() < 0.5 else "",
                "nationality": rng.choice(("NG", "RO", "MA", "CI", "PK", "BD", "AL", "CN", "")),
                "languages": "",
                "gender": rng.choice(("woman", "woman", "woman", "man", "trans_woman")),
                "is_minor": False,
                "identity_index": identity_index(who.given, who.family, who.birth),
                "birth_index": birth_index(who.birth),
                "created_by_id": self.actor_id,
                "created_at": self.created,
            }
        )
        listed = aliases_of(aliases)
        return row, person_keys(who.given, who.family, listed)

    def load(self, first_pk: int, people: list[Someone], chunk: int = 5_000) -> int:
        from django.db import transaction

        from approdi.people.models import Person, PersonKey

        keys_loaded = 0
        with transaction.atomic():
            for start in range(0, len(people), chunk):
                rows, keys = [], []
                for offset, who in enumerate(people[start : start + chunk]):
                    pk = first_pk + start + offset
                    row, person_keys = self._row(pk, who)
                    rows.append(tuple(row[c] for c in self.columns))
                    keys.extend((pk, self.programme_id, key) for key in sorted(person_keys))
                _harness.insert(Person, self.columns, rows)
                _harness.insert(PersonKey, ["person_id", "programme_id", "key"], keys)
                keys_loaded += len(keys)
            _harness.reset_sequence(Person)
        _harness.analyze()  # as autovacuum leaves a table: statistics and, on PostgreSQL, the visibility map
        return keys_loaded


def _check_index(pks: list[int]) -> int:
    """The real index_person on a few loaded people gives the values the bulk load stored (then rolled back)."""
    from django.db import transaction

    from approdi.people.models import Person, PersonKey
    from approdi.people.services import index_person

    for pk in pks:
        with transaction.atomic():
            person = Person.objects.get(pk=pk)
            stored = (person.identity_index, set(PersonKey.objects.filter(person=person).values_list("key", flat=True)))
            index_person(person)
            again = Person.objects.get(pk=pk)
            indexed = (again.identity_index, set(PersonKey.objects.filter(person=again).values_list("key", flat=True)))
            transaction.set_rollback(True)
        if stored != indexed or not stored[0] or not stored[1]:
            raise SystemExit(f"person {pk}: the bulk load differs from services.index_person")
    return len(pks)


# --- the queries --------------------------------------------------------------------------------------------------


def _accent(name: str) -> str:
    for i, ch in enumerate(name):
        if ch.lower() in ACCENTED:
            return name[:i] + ACCENTED[ch.lower()] + name[i + 1 :]
    return name


def _change_letter(rng: random.Random, name: str, letters: str) -> str | None:
    """One letter of ``letters`` after the 3rd replaced by another of ``letters``, or None if there is none."""
    positions = [i for i in range(3, len(name)) if name[i] in letters]
    if not positions:
        return None
    i = rng.choice(positions)
    return name[:i] + rng.choice([ch for ch in letters if ch != name[i]]) + name[i + 1 :]


@dataclass
class Query:
    kind: str
    target: int
    given_name: str
    family_name: str
    birth_date: date | None


def _queries(people: list[Someone], count: int, seed: int) -> list[Query]:
    rng = random.Random(f"{seed}-queries-{len(people)}")
    queries: list[Query] = []
    for kind in KINDS:
        chosen: set[int] = set()
        while len(chosen) < count:
            pk = rng.randint(1, len(people))
            who = people[pk - 1]
            if pk in chosen:
                continue
            if kind == "exact":
                query = Query(kind, pk, _accent(who.family).upper(), _accent(who.given).lower(), who.birth)
            elif kind.startswith("similar") or kind == "consonant_no_birth":
                changed = _change_letter(rng, who.family, VOWELS if kind == "similar_vowel" else CONSONANTS)
                if changed is None:
                    continue
                query = Query(kind, pk, who.given, changed, None if kind == "consonant_no_birth" else who.birth)
            else:
                if not who.aliases:
                    continue
                given, _space, family = rng.choice(who.aliases).partition(" ")
                query = Query(kind, pk, given, family, who.birth)
            chosen.add(pk)
            queries.append(query)
    return queries


@dataclass
class SqlTimer:
    """Time spent in the database (execute), in all statements and in the PersonKey one."""

    total: float = 0.0
    keys: float = 0.0
    statements: list[str] = field(default_factory=list)

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - started
            self.total += spent
            self.statements.append(sql)
            if "intake_personkey" in sql:
                self.keys += spent


def _grouped_rows(query: Query) -> tuple[int, int]:
    """The PersonKey rows the selector's name-keys query reads and groups, and the people sharing 2 keys or more."""
    from django.db.models import Count

    from approdi.people.identity import name_keys, tokens, typo_keys
    from approdi.people.models import PersonKey

    typos = {key for token in tokens(query.given_name, query.family_name) for key in typo_keys(token)}
    matching = PersonKey.objects.filter(key__in=name_keys(query.given_name, query.family_name) | typos)
    candidates = matching.values("person_id").annotate(shared=Count("id")).filter(shared__gte=2).count()
    return matching.count(), candidates


def _measure(actor, queries: list[Query]) -> tuple[list[dict], int]:
    from django.db import connection

    from approdi.intake.selectors import duplicates

    def call(query: Query):
        return duplicates(
            actor=actor,
            given_name=query.given_name,
            family_name=query.family_name,
            birth_date=query.birth_date,
            limit=LIMIT,
        )

    call(queries[0])  # warm-up: permission cache, prepared connection
    timings: dict[str, list[tuple[float, float, float, bool]]] = {kind: [] for kind in KINDS}
    statements = 0
    for query in queries:
        timer = SqlTimer()
        with connection.execute_wrapper(timer):
            started = time.perf_counter()
            matches = call(query)
            elapsed = time.perf_counter() - started
        statements = max(statements, len(timer.statements))
        found = query.target in [m.person.pk for m in matches]
        if query.kind == "exact":
            reasons = next((m.reasons for m in matches if m.person.pk == query.target), [])
            assert "name_and_birth_date" in reasons, (query, [(m.person.pk, m.reasons) for m in matches])
        timings[query.kind].append((elapsed * 1000, timer.total * 1000, timer.keys * 1000, found))

    peaks: dict[str, list[float]] = {kind: [] for kind in KINDS}
    tracemalloc.start()
    try:
        for query in queries:
            tracemalloc.reset_peak()
            before = tracemalloc.get_traced_memory()[0]
            call(query)
            peaks[query.kind].append((tracemalloc.get_traced_memory()[1] - before) / 1024)
    finally:
        tracemalloc.stop()

    grouped: dict[str, list[tuple[int, int]]] = {kind: [] for kind in KINDS}
    for query in queries:
        grouped[query.kind].append(_grouped_rows(query))

    rows = []
    for kind in KINDS:
        times = timings[kind]
        rows.append(
            {
                "kind": kind,
                "median_ms": _harness.median(t[0] for t in times),
                "p95_ms": _harness.percentile([t[0] for t in times], 95),
                "max_ms": max(t[0] for t in times),
                "sql_ms": _harness.median(t[1] for t in times),
                "keys_ms": _harness.median(t[2] for t in times),
                "found": sum(t[3] for t in times),
                "of": len(times),
                "peak_kib": _harness.median(peaks[kind]),
                "peak_max_kib": max(peaks[kind]),
                "grouped_median": int(_harness.median(g[0] for g in grouped[kind])),
                "grouped_max": max(g[0] for g in grouped[kind]),
                "candidates_median": int(_harness.median(g[1] for g in grouped[kind])),
                "candidates_max": max(g[1] for g in grouped[kind]),
            }
        )
    return rows, statements


def _scan(query: Query) -> list[int]:
    """What a peer without blind indexes does: decrypt every person and compare in Python."""
    from approdi.people.identity import aliases_of, tokens
    from approdi.people.models import Person

    wanted = sorted(tokens(query.given_name, query.family_name))
    found = []
    rows = Person.objects.only("id", "given_name", "family_name", "aliases", "birth_date").order_by()
    for person in rows.iterator(chunk_size=2_000):
        if person.birth_date != query.birth_date:
            continue
        names = [f"{person.given_name} {person.family_name}", *aliases_of(person.aliases)]
        if any(sorted(tokens(name)) == wanted for name in names):
            found.append(person.pk)
    return found


def _measure_scan(query: Query) -> dict:
    started = time.perf_counter()
    found = _scan(query)
    elapsed = time.perf_counter() - started
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        _scan(query)
        peak = (tracemalloc.get_traced_memory()[1] - before) / 1024
    finally:
        tracemalloc.stop()
    return {"ms": elapsed * 1000, "peak_kib": peak, "found": int(query.target in found)}


def child(backend: str, args) -> None:
    import os

    sqlite, database = _harness.setup()
    from approdi.accounts.scoping import membership_scope

    reused = bool(os.environ.get("REUSED"))
    world = _found_again() if reused else _setup()
    programme, organisations, actor, membership = world.programme, world.organisation_ids, world.actor, world.membership

    population = Population(args.seed)
    loader = Loader(sqlite, programme.pk, organisations, actor.pk, args.seed)
    sizes, load_total, checked, statements = [], 0.0, 0, 0
    for size in sorted(args.sizes):
        first_pk = len(population.people) + 1
        started = time.perf_counter()
        added = population.grow(size - len(population.people))
        if reused:  # the same people, already loaded: nothing is written
            from approdi.people.models import Person

            with membership_scope(membership):
                if Person.objects.count() != size:
                    raise SystemExit(f"{database}: the kept database does not hold {size:,} people")
            keys = 0
        else:
            keys = loader.load(first_pk, added)
        load_s = time.perf_counter() - started
        load_total += load_s
        print(f"{database}: +{len(added):,} people ({keys:,} keys) in {load_s:.1f} s, now {size:,}", flush=True)
        with membership_scope(membership):
            checked += _check_index(random.Random(f"{args.seed}-check-{size}").sample(range(1, size + 1), 3))
            queries = _queries(population.people, args.queries, args.seed)
            rows, used = _measure(actor, queries)
            statements = max(statements, used)
            entry = {"people": size, "added": len(added), "load_s": load_s, "rows": rows}
            if size <= args.scan_upto:
                entry["scan"] = _measure_scan(queries[0])
        for row in rows:
            print(
                f"{database}, {size:,}, {row['kind']}: median {row['median_ms']:.1f} ms, p95 {row['p95_ms']:.1f} ms, "
                f"max {row['max_ms']:.1f} ms, found {row['found']}/{row['of']}, peak {row['peak_max_kib']:.0f} KiB",
                flush=True,
            )
        if "scan" in entry:
            print(f"{database}, {size:,}, decrypt-and-scan: {entry['scan']['ms']:.0f} ms", flush=True)
        sizes.append(entry)
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "database": database,
                "load_s": load_total,
                "sizes": sizes,
                "index_checked": checked,
                "statements": statements,
                "rss_mib": rss_mib,
            }
        )
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", action="store_true", help="also PostgreSQL at " + PG_URL)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000, 100_000])
    parser.add_argument("--queries", type=int, default=20, help="targets per kind of query")
    parser.add_argument("--scan-upto", type=int, default=50_000, help="decrypt-and-scan at the sizes up to this")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--pg-database", default=PG_BENCH_DB, help="the throwaway PostgreSQL database's name")
    parser.add_argument("--keep", action="store_true", help="keep the databases (/tmp/approdi-bench-identity)")
    parser.add_argument("--reuse", action="store_true", help="time the kept databases again, without loading")
    _harness.cli(parser, parent, child, argv)


if __name__ == "__main__":
    main()
