"""Small-cell suppression: nothing below k is shown, and no hidden count can be worked out from the rest."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from approdi.reports.disclosure.suppression import DEFAULT_K, SYMBOL, suppress, suppress_together


def grid_of(table, published=None):
    """The table with its margins as an (R+1) × (C+1) grid: true values, or the published ones."""
    if published is None:
        rows = [[*row, sum(row)] for row in table]
        width = len(table[0])
        rows.append([*(sum(row[c] for row in table) for c in range(width)), sum(map(sum, table))])
        return rows
    rows = [[*cells, total] for cells, total in zip(published.cells, published.row_totals, strict=True)]
    rows.append([*published.column_totals, published.total])
    return rows


def rank(matrix: list[list[Fraction]]) -> int:
    rows = [list(r) for r in matrix]
    found = 0
    width = len(rows[0]) if rows else 0
    for column in range(width):
        pivot = next((i for i in range(found, len(rows)) if rows[i][column] != 0), None)
        if pivot is None:
            continue
        rows[found], rows[pivot] = rows[pivot], rows[found]
        for i in range(len(rows)):
            if i != found and rows[i][column] != 0:
                factor = rows[i][column] / rows[found][column]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[found], strict=True)]
        found += 1
    return found


def recoverable(published) -> set[tuple[int, int]]:
    """Hidden entries that the published figures determine exactly, by plain linear algebra.

    Unknowns: the hidden entries. Equations: every row and column of the grid adds up (cells to
    their total). An unknown is determined iff its unit vector lies in the row space of the system.
    """
    grid = grid_of(None, published)
    height, width = len(grid), len(grid[0])
    unknowns = [(r, c) for r in range(height) for c in range(width) if grid[r][c] is None]
    index = {p: i for i, p in enumerate(unknowns)}

    def equation(positions, total):
        row = [Fraction(0)] * len(unknowns)
        for p in positions:
            if p in index:
                row[index[p]] += 1
        if total in index:
            row[index[total]] -= 1
        return row

    system = [equation([(r, c) for c in range(width - 1)], (r, width - 1)) for r in range(height)]
    system += [equation([(r, c) for r in range(height - 1)], (height - 1, c)) for c in range(width)]
    base = rank(system)
    found = set()
    for p, i in index.items():
        unit = [Fraction(0)] * len(unknowns)
        unit[i] = Fraction(1)
        if rank([*system, unit]) == base:
            found.add(p)
    return found


tables = st.integers(min_value=1, max_value=6).flatmap(
    lambda width: st.lists(
        st.lists(st.integers(min_value=0, max_value=40), min_size=width, max_size=width), min_size=1, max_size=6
    )
)


@settings(max_examples=300)
@given(table=tables, k=st.integers(min_value=2, max_value=15))
def test_no_small_count_is_shown_and_nothing_hidden_can_be_recovered(table, k):
    published = suppress(table, k=k)
    truth, shown = grid_of(table), grid_of(None, published)
    for true_row, shown_row in zip(truth, shown, strict=True):
        for true, seen in zip(true_row, shown_row, strict=True):
            if seen is not None:
                assert seen == true  # visible cells and totals are exact
                assert seen == 0 or seen >= k  # nothing below k is visible
            else:
                assert true > 0  # only people are hidden: zeros stay visible
    # The rule of thumb: every line with a hidden entry has at least two (its total counts as one).
    lines = [list(row) for row in shown] + [list(col) for col in zip(*shown, strict=True)]
    for line in lines:
        assert sum(v is None for v in line) != 1, shown
    # And the real test: no hidden entry is determined by the published figures.
    assert not recoverable(published), shown
    assert published.hidden == sum(v is None for row in shown for v in row)


def test_a_line_with_one_small_cell_hides_its_smallest_other_non_zero_cell():
    published = suppress([[40, 3, 0, 25], [30, 20, 12, 50]], k=11)
    assert published.cells[0] == (40, None, 0, None)  # 3 is small; 25 is the smallest other non-zero cell
    assert published.cells[1] == (30, None, 12, None)  # the columns need a second hidden cell too
    assert published.row_totals == (68, 112) and published.column_totals == (70, 23, 12, 75)
    assert published.total == 180
    assert (published.primary, published.complementary) == (1, 3)


def test_a_row_with_a_small_total_is_hidden_with_a_second_row_total():
    # Chinese nationals: 4 people in all. Their row total would give them away, so it goes too.
    published = suppress([[60, 12], [3, 1], [25, 14]], k=11)
    assert published.cells[1] == (None, None)
    assert published.row_totals[1] is None
    assert sum(v is None for v in published.row_totals) >= 2  # the totals column cannot give it back
    assert published.total == 115
    assert not recoverable(published)


def test_two_separate_blocks_joined_by_one_hidden_cell_are_still_protected():
    # Each line has two hidden cells but a naive rule would leave the cell joining two blocks recoverable.
    table = [[5, 5, 30, 30], [5, 5, 5, 30], [30, 30, 5, 5], [30, 30, 5, 5]]
    published = suppress(table, k=11)
    assert not recoverable(published)


def test_zeros_stay_visible_and_large_tables_are_untouched():
    published = suppress([[0, 15], [22, 0]])
    assert published.cells == ((0, 15), (22, 0))
    assert published.total == 37 and published.hidden == 0


def test_a_table_smaller_than_k_shows_only_its_zeros():
    published = suppress([[2, 0], [0, 3]], k=11)
    assert published.cells == ((None, 0), (0, None))
    assert published.total is None


def test_the_default_threshold_is_ctdcs():
    assert DEFAULT_K == 11
    assert suppress([[10, 11]]).cells[0][0] is None
    assert SYMBOL == "*"


@pytest.mark.parametrize("k", [1, 0, -3, 2.5, True])
def test_a_threshold_below_two_is_refused(k):
    with pytest.raises(ValueError):
        suppress([[1]], k=k)


def test_ragged_or_negative_tables_are_refused():
    with pytest.raises(ValueError):
        suppress([[1, 2], [3]])
    with pytest.raises(ValueError):
        suppress([[1, -2]])


def recoverable_together(published: list) -> set:
    """Hidden entries of tables sharing their column totals and grand total, determined by all of them at once."""
    grids = [grid_of(None, p) for p in published]
    height = [len(g) for g in grids]
    width = len(grids[0][0])

    def variable(t: int, r: int, c: int):
        return ("margin", c) if r == height[t] - 1 else (t, r, c)  # the totals row is shared

    unknowns = sorted(
        {
            variable(t, r, c)
            for t, g in enumerate(grids)
            for r in range(height[t])
            for c in range(width)
            if g[r][c] is None
        },
        key=str,
    )
    index = {v: i for i, v in enumerate(unknowns)}

    def equation(t, positions, total):
        row = [Fraction(0)] * len(unknowns)
        for r, c in positions:
            if grids[t][r][c] is None:
                row[index[variable(t, r, c)]] += 1
        if grids[t][total[0]][total[1]] is None:
            row[index[variable(t, *total)]] -= 1
        return row

    system = []
    for t, h in enumerate(height):
        system += [equation(t, [(r, c) for c in range(width - 1)], (r, width - 1)) for r in range(h)]
        system += [equation(t, [(r, c) for r in range(h - 1)], (h - 1, c)) for c in range(width)]
    if not unknowns:
        return set()
    base = rank(system)
    found = set()
    for v, i in index.items():
        unit = [Fraction(0)] * len(unknowns)
        unit[i] = Fraction(1)
        if rank([*system, unit]) == base:
            found.add(v)
    return found


populations = st.tuples(st.integers(1, 4), st.integers(1, 4), st.integers(1, 4)).flatmap(
    lambda shape: st.lists(
        st.lists(
            st.lists(st.integers(0, 12), min_size=shape[2], max_size=shape[2]), min_size=shape[1], max_size=shape[1]
        ),
        min_size=shape[0],
        max_size=shape[0],
    )
)


@settings(max_examples=200)
@given(population=populations, k=st.integers(min_value=2, max_value=15))
def test_tables_of_one_population_hide_the_same_margins_and_nothing_is_recoverable_across_them(population, k):
    # One population cross-classified two ways against the same columns: a × gender and b × gender.
    by_a = [
        [sum(population[a][b][g] for b in range(len(population[a]))) for g in range(len(population[a][0]))]
        for a in range(len(population))
    ]
    by_b = [
        [sum(population[a][b][g] for a in range(len(population))) for g in range(len(population[0][0]))]
        for b in range(len(population[0]))
    ]
    first, second = suppress_together([by_a, by_b], k=k)
    assert first.column_totals == second.column_totals and first.total == second.total
    for table, published in ((by_a, first), (by_b, second)):
        shown = grid_of(None, published)
        for true_row, shown_row in zip(grid_of(table), shown, strict=True):
            for true, seen in zip(true_row, shown_row, strict=True):
                assert seen is None or (seen == true and (seen == 0 or seen >= k))
    assert not recoverable_together([first, second])


def test_tables_with_different_margins_are_not_suppressed_together():
    with pytest.raises(ValueError):
        suppress_together([[[1, 2]], [[2, 2]]])
