"""The ILO/EC decision rule of DESIGN.md §8, over every combination of indicator strengths."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from approdi.intake.rule import DIMENSIONS, SelectedIndicator, dimension_is_positive, evaluate

# The thresholds as DESIGN.md §8 lists them: (strong, medium, weak) minimal combinations.
MINIMAL = [(2, 0, 0), (1, 1, 0), (1, 0, 1), (0, 3, 0), (0, 2, 1)]


def meets_a_minimal_combination(strong, medium, weak) -> bool:
    return any(strong >= s and medium >= m and weak >= w for s, m, w in MINIMAL)


@pytest.mark.parametrize(("strong", "medium", "weak"), list(itertools.product(range(4), repeat=3)))
def test_dimension_threshold_for_every_count(strong, medium, weak):
    assert dimension_is_positive(strong, medium, weak) == meets_a_minimal_combination(strong, medium, weak)


@pytest.mark.parametrize(
    ("strong", "medium", "weak", "expected"),
    [
        (1, 0, 0, False),
        (0, 2, 0, False),
        (0, 0, 9, False),
        (0, 1, 5, False),
        (2, 0, 0, True),
        (1, 1, 0, True),
        (1, 0, 1, True),
        (0, 3, 0, True),
        (0, 2, 1, True),
    ],
)
def test_the_examples_of_the_brief(strong, medium, weak, expected):
    assert dimension_is_positive(strong, medium, weak) is expected


def indicators(counts: dict[str, tuple[int, int, int]]) -> list[SelectedIndicator]:
    chosen = []
    for dimension, (strong, medium, weak) in counts.items():
        for strength, n in (("strong", strong), ("medium", medium), ("weak", weak)):
            chosen += [
                SelectedIndicator(f"{dimension}-{strength}-{i}", dimension, strength, f"{dimension} {strength} {i}")
                for i in range(n)
            ]
    return chosen


counts_strategy = st.fixed_dictionaries({d: st.tuples(*[st.integers(0, 3)] * 3) for d in DIMENSIONS})


@given(counts_strategy, st.booleans())
def test_presumed_victim_follows_the_rule(counts, child):
    result = evaluate(indicators(counts), child=child)
    positive = {d: meets_a_minimal_combination(*c) for d, c in counts.items()}
    recruitment = (
        positive["deceptive_recruitment"]
        or positive["coercive_recruitment"]
        or positive["recruitment_abuse_of_vulnerability"]
    )
    destination = positive["coercion_at_destination"] or positive["abuse_of_vulnerability_at_destination"]
    expected = recruitment and positive["exploitation"] and (child or destination)
    assert result.dimensions == positive
    assert result.presumed_victim is expected


@given(counts_strategy, st.sampled_from(list(DIMENSIONS)), st.sampled_from(["strong", "medium", "weak"]), st.booleans())
def test_adding_an_indicator_never_withdraws_a_positive_result(counts, dimension, strength, child):
    before = evaluate(indicators(counts), child=child)
    extra = SelectedIndicator("extra", dimension, strength, "extra")
    after = evaluate([*indicators(counts), extra], child=child)
    assert not (before.presumed_victim and not after.presumed_victim)


def test_adult_needs_coercion_or_abuse_at_destination_but_a_child_does_not():
    counts = {"deceptive_recruitment": (2, 0, 0), "exploitation": (1, 1, 0)}
    assert evaluate(indicators(counts), child=True).presumed_victim is True
    assert evaluate(indicators(counts), child=False).presumed_victim is False
    counts["abuse_of_vulnerability_at_destination"] = (0, 2, 1)
    assert evaluate(indicators(counts), child=False).presumed_victim is True


def test_the_explanation_names_dimensions_and_indicators():
    counts = {"coercive_recruitment": (1, 0, 1), "exploitation": (0, 3, 0), "coercion_at_destination": (2, 0, 0)}
    from django.utils import translation

    with translation.override("en"):
        text = evaluate(indicators(counts), child=False).explanation
    assert "Coercive recruitment: positive" in text and "exploitation strong" not in text
    assert "coercive_recruitment strong 0" in text and "presumed victim" in text
    assert "does not decide" in text


def test_the_same_indicator_twice_counts_once():
    twice = [SelectedIndicator("a", "exploitation", "strong", "a")] * 2
    assert evaluate(twice, child=True).dimensions["exploitation"] is False
