"""Small-cell suppression of a two-way table with its margins (docs/disclosure.md).

A table of counts (rows × columns) is published with its row totals, column totals and grand
total. ``suppress`` hides

1. every count, cell or total, from 1 to k − 1 (primary suppression: fewer than k people);
2. complementary counts, so that no hidden count can be worked out exactly from what is shown.

Zeros stay visible and are never hidden: a zero is not a person, and hiding one would protect
nothing (its true value is the least the reader could guess).

How the complements are chosen. Think of the table with its margins as an (R+1) × (C+1) grid:
each of its R+1 rows and C+1 columns is a *line* whose visible entries, together with the hidden
ones, satisfy one linear equation (cells add up to their total). The hidden entries are the edges
of a bipartite graph whose nodes are the lines. A hidden entry can be recovered exactly by linear
reasoning on the published figures if and only if its edge lies on no cycle of that graph (it is a
*bridge*): the equations of the lines on one side of it add up to its value. So:

- a line with exactly one hidden entry gets a second one: its smallest non-zero visible entry,
  cells before totals and the grand total last, preferring one whose crossing line also has a
  single hidden entry (the rule everyone checks first);
- while some hidden entry is a bridge, the smallest non-zero visible entry that closes a cycle
  through it is hidden too (or, if none exists, the smallest one on a line of its component).

Each round hides one more non-zero entry, and once every non-zero entry is hidden there is no
bridge left (every non-zero cell lies on the cycle row – column – totals row – totals column), so
the loop ends. Only *exact* recovery is prevented: bounds from non-negativity remain, as in any
cell-suppression scheme without an optimiser.

Tables of one population published side by side (contacts by channel, by age band, by nationality,
all against gender) share their column totals: ``suppress_together`` keeps those consistent and
checks the tables' equations *together* by exact linear algebra, hiding more until nothing hidden
is determined by them.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from fractions import Fraction

# The published threshold of the Counter Trafficking Data Collaborative (CTDC): counts below 11 are hidden.
DEFAULT_K = 11
# The lowest threshold any export may use: with k = 1 nothing would be hidden.
MINIMUM_K = 2
# What a hidden count shows in every file (explained in the file's note).
SYMBOL = "*"

Position = tuple[int, int]


@dataclass(frozen=True)
class Suppressed:
    """A table as it may be published: ``None`` stands for a hidden count."""

    cells: tuple[tuple[int | None, ...], ...]
    row_totals: tuple[int | None, ...]
    column_totals: tuple[int | None, ...]
    total: int | None
    k: int
    primary: int  # counts hidden because they are below k
    complementary: int  # counts hidden so that the others cannot be worked out

    @property
    def hidden(self) -> int:
        return self.primary + self.complementary


def check_k(k: int) -> int:
    if isinstance(k, bool) or not isinstance(k, int) or k < MINIMUM_K:
        raise ValueError(f"the threshold k must be a whole number of at least {MINIMUM_K}, not {k!r}")
    return k


def suppress(cells: Sequence[Sequence[int]], *, k: int = DEFAULT_K, also_hide: Collection[Position] = ()) -> Suppressed:
    """Hides small counts and their complements in ``cells`` (rows × columns of non-negative counts).

    ``also_hide``: entries of the grid with margins (row ``len(cells)`` holds the column totals,
    column ``len(cells[0])`` the row totals) to hide as well, when not zero, with their complements.
    """
    check_k(k)
    rows = [list(row) for row in cells]
    width = len(rows[0]) if rows else 0
    if any(len(row) != width for row in rows):
        raise ValueError("every row of the table must have the same number of cells")
    if any(isinstance(v, bool) or not isinstance(v, int) or v < 0 for row in rows for v in row):
        raise ValueError("cells must be non-negative whole numbers")
    grid = _with_margins(rows)
    height = len(rows)
    primary = {p for p, v in _entries(grid) if 0 < v < k}
    hidden = primary | {(r, c) for r, c in also_hide if grid[r][c] > 0}
    while True:
        extra = _second_on_a_line(grid, hidden) or _cycle_through_a_bridge(grid, hidden)
        if extra is None:
            break
        hidden.add(extra)

    def shown(r: int, c: int) -> int | None:
        return None if (r, c) in hidden else grid[r][c]

    return Suppressed(
        cells=tuple(tuple(shown(r, c) for c in range(width)) for r in range(height)),
        row_totals=tuple(shown(r, width) for r in range(height)),
        column_totals=tuple(shown(height, c) for c in range(width)),
        total=shown(height, width),
        k=k,
        primary=len(primary),
        complementary=len(hidden) - len(primary),
    )


def suppress_together(tables: Sequence[Sequence[Sequence[int]]], *, k: int = DEFAULT_K) -> list[Suppressed]:
    """Suppresses tables of one population under the same columns (e.g. gender), published side by side.

    They share their column totals and grand total, so a margin hidden in one is hidden in all;
    and their equations, taken together, may give back what each one alone protects. So, after
    each table is suppressed, the hidden counts that the tables determine *together* are found by
    exact linear algebra, and one more count is hidden beside each, until none is left. (Once
    every non-zero count is hidden nothing can be determined, so this ends.)
    """
    check_k(k)
    counts = [[list(row) for row in table] for table in tables]
    margins = {tuple(sum(row[c] for row in table) for c in range(len(table[0]))) for table in counts if table}
    if len(margins) > 1:
        raise ValueError("tables suppressed together must have the same column totals")
    forced: list[set[Position]] = [set() for _table in counts]
    while True:
        results = [suppress(t, k=k, also_hide=f) for t, f in zip(counts, forced, strict=True)]
        shared = {c for r in results for c, v in enumerate(r.column_totals) if v is None}
        if any(r.total is None for r in results):
            shared.add(-1)
        wanted = [{(len(t), len(t[0]) if c == -1 else c) for c in shared} if t else set() for t in counts]
        if any(not w <= f for w, f in zip(wanted, forced, strict=True)):
            forced = [f | w for f, w in zip(forced, wanted, strict=True)]
            continue
        extra = _beside_a_determined_count(counts, results)
        if extra is None:
            return results
        forced[extra[0]].add(extra[1])


def _published_grid(result: Suppressed) -> list[list[int | None]]:
    grid = [[*cells, total] for cells, total in zip(result.cells, result.row_totals, strict=True)]
    grid.append([*result.column_totals, result.total])
    return grid


def _determined(grids: list[list[list[int | None]]]) -> set[tuple]:
    """Hidden entries that the published grids determine together (the column-totals row is shared)."""

    def variable(t: int, r: int, c: int) -> tuple:
        return ("margin", c) if r == len(grids[t]) - 1 else (t, r, c)

    unknowns = sorted(
        {
            variable(t, r, c)
            for t, g in enumerate(grids)
            for r, row in enumerate(g)
            for c, v in enumerate(row)
            if v is None
        },
        key=repr,
    )
    if not unknowns:
        return set()
    index = {v: i for i, v in enumerate(unknowns)}
    system = []
    for t, g in enumerate(grids):
        height, width = len(g), len(g[0])
        lines = [([(r, c) for c in range(width - 1)], (r, width - 1)) for r in range(height)]
        lines += [([(r, c) for r in range(height - 1)], (height - 1, c)) for c in range(width)]
        for parts, total in lines:
            equation = [Fraction(0)] * len(unknowns)
            for r, c in parts:
                if g[r][c] is None:
                    equation[index[variable(t, r, c)]] += 1
            if g[total[0]][total[1]] is None:
                equation[index[variable(t, *total)]] -= 1
            if any(equation):
                system.append(equation)
    # Reduced row echelon form: an unknown is determined iff one of its rows is the unit vector.
    pivots: list[int] = []
    rows = system
    for column in range(len(unknowns)):
        pivot = next((i for i in range(len(pivots), len(rows)) if rows[i][column] != 0), None)
        if pivot is None:
            continue
        n = len(pivots)
        rows[n], rows[pivot] = rows[pivot], rows[n]
        rows[n] = [v / rows[n][column] for v in rows[n]]
        for i in range(len(rows)):
            if i != n and rows[i][column] != 0:
                factor = rows[i][column]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[n], strict=True)]
        pivots.append(column)
    return {unknowns[c] for n, c in enumerate(pivots) if sum(1 for v in rows[n] if v != 0) == 1}


def _beside_a_determined_count(tables: list[list[list[int]]], results: list[Suppressed]) -> tuple[int, Position] | None:
    """(table, entry) to hide so that a count the tables determine together is no longer determined."""
    grids = [_published_grid(r) for r in results]
    found = _determined(grids)
    if not found:
        return None
    truths = [_with_margins(t) for t in tables]
    places = sorted(
        (t, (len(grids[t]) - 1, v[1])) if v[0] == "margin" else (v[0], (v[1], v[2]))
        for v in found
        for t in (range(len(grids)) if v[0] == "margin" else [v[0]])
    )
    for t, (r, c) in places:
        line = [(r, j) for j in range(len(grids[t][0]))] + [(i, c) for i in range(len(grids[t]))]
        candidates = [p for p in line if grids[t][p[0]][p[1]] is not None and truths[t][p[0]][p[1]] > 0]
        if candidates:
            return t, min(candidates, key=lambda p: _preference(truths[t], p))
    # No visible count beside any of them: the smallest visible non-zero count anywhere.
    anywhere = [
        (_preference(truths[t], p), t, p)
        for t in range(len(grids))
        for p, v in _entries(truths[t])
        if v > 0 and grids[t][p[0]][p[1]] is not None
    ]
    return (min(anywhere)[1], min(anywhere)[2]) if anywhere else None


def _with_margins(rows: list[list[int]]) -> list[list[int]]:
    width = len(rows[0]) if rows else 0
    grid = [[*row, sum(row)] for row in rows]
    grid.append([*(sum(row[c] for row in rows) for c in range(width)), sum(map(sum, rows))])
    return grid


def _entries(grid: list[list[int]]):
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            yield (r, c), value


def _is_margin(grid: list[list[int]], position: Position) -> bool:
    r, c = position
    return r == len(grid) - 1 or c == len(grid[0]) - 1


def _preference(grid: list[list[int]], position: Position) -> tuple:
    """Cells before totals, the grand total last; then the smallest count; then reading order."""
    r, c = position
    grand = r == len(grid) - 1 and c == len(grid[0]) - 1
    return (grand, _is_margin(grid, position), grid[r][c], r, c)


def _lines(grid: list[list[int]]):
    height, width = len(grid), len(grid[0])
    for r in range(height):
        yield [(r, c) for c in range(width)]
    for c in range(width):
        yield [(r, c) for r in range(height)]


def _second_on_a_line(grid: list[list[int]], hidden: set[Position]) -> Position | None:
    for line in _lines(grid):
        if sum(p in hidden for p in line) != 1:
            continue
        candidates = [p for p in line if p not in hidden and grid[p[0]][p[1]] > 0]
        # A line with one hidden non-zero entry always has another non-zero one (cells add up to the total).
        # An entry whose crossing line also has a single hidden entry mends both lines at once.
        is_row = line[0][0] == line[1][0]
        grand = (len(grid) - 1, len(grid[0]) - 1)  # hidden only when nothing else will do
        return min(
            candidates, key=lambda p: (p == grand, not _mends_two(grid, hidden, p, is_row), _preference(grid, p))
        )
    return None


def _mends_two(grid: list[list[int]], hidden: set[Position], position: Position, is_row: bool) -> bool:
    r, c = position
    across = [(i, c) for i in range(len(grid))] if is_row else [(r, j) for j in range(len(grid[0]))]
    return sum(q in hidden for q in across) == 1


def _node_of_row(r: int) -> tuple[str, int]:
    return ("row", r)


def _node_of_column(c: int) -> tuple[str, int]:
    return ("column", c)


def _component(edges: set[Position], start: tuple[str, int], without: Position) -> set[tuple[str, int]]:
    """Nodes reachable from ``start`` through hidden entries other than ``without``."""
    adjacent: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for r, c in edges:
        if (r, c) == without:
            continue
        adjacent.setdefault(_node_of_row(r), []).append(_node_of_column(c))
        adjacent.setdefault(_node_of_column(c), []).append(_node_of_row(r))
    seen, todo = {start}, [start]
    while todo:
        for other in adjacent.get(todo.pop(), []):
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


def _cycle_through_a_bridge(grid: list[list[int]], hidden: set[Position]) -> Position | None:
    for bridge in sorted(hidden):
        r, c = bridge
        row_side = _component(hidden, _node_of_row(r), bridge)
        if _node_of_column(c) in row_side:
            continue  # on a cycle: not recoverable
        column_side = _component(hidden, _node_of_column(c), bridge)
        visible = [p for p, v in _entries(grid) if v > 0 and p not in hidden]
        # An entry joining a row of the column's side to a column of the row's side closes a cycle through the bridge.
        closing = [p for p in visible if _node_of_row(p[0]) in column_side and _node_of_column(p[1]) in row_side]
        if closing:
            return min(closing, key=lambda p: _preference(grid, p))
        nodes = row_side | column_side
        touching = [p for p in visible if _node_of_row(p[0]) in nodes or _node_of_column(p[1]) in nodes]
        return min(touching, key=lambda p: _preference(grid, p))
    return None
