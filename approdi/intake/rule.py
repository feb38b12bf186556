"""The decision rule of the ILO/EC operational indicators (DESIGN.md §8), as a pure function.

A dimension is positive with at least: 2 strong; or 1 strong and 1 medium or weak; or 3 medium;
or 2 medium and 1 weak. An adult is a presumed victim when recruitment (deceptive, coercive or by
abuse of vulnerability) AND exploitation AND coercion or abuse of vulnerability at destination are
positive; a child when recruitment AND exploitation are. The result supports the operator's
judgement; it never decides alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DIMENSIONS = {
    "deceptive_recruitment": gettext_lazy("deceptive recruitment"),
    "coercive_recruitment": gettext_lazy("coercive recruitment"),
    "recruitment_abuse_of_vulnerability": gettext_lazy("recruitment by abuse of vulnerability"),
    "exploitation": gettext_lazy("exploitative conditions"),
    "coercion_at_destination": gettext_lazy("coercion at destination"),
    "abuse_of_vulnerability_at_destination": gettext_lazy("abuse of vulnerability at destination"),
}
RECRUITMENT = ("deceptive_recruitment", "coercive_recruitment", "recruitment_abuse_of_vulnerability")
DESTINATION = ("coercion_at_destination", "abuse_of_vulnerability_at_destination")
STRENGTHS = {"strong": gettext_lazy("strong"), "medium": gettext_lazy("medium"), "weak": gettext_lazy("weak")}


def dimension_is_positive(strong: int, medium: int, weak: int) -> bool:
    return strong >= 2 or (strong >= 1 and medium + weak >= 1) or medium >= 3 or (medium >= 2 and weak >= 1)


@dataclass(frozen=True)
class SelectedIndicator:
    id: str
    dimension: str
    strength: str
    text: str


@dataclass(frozen=True)
class Evaluation:
    dimensions: dict[str, bool]
    presumed_victim: bool
    explanation: str


def evaluate(indicators: Iterable[SelectedIndicator], *, child: bool) -> Evaluation:
    chosen = list({i.id: i for i in indicators}.values())
    counts: dict[str, Counter] = {d: Counter() for d in DIMENSIONS}
    for indicator in chosen:
        counts[indicator.dimension][indicator.strength] += 1
    positive = {d: dimension_is_positive(c["strong"], c["medium"], c["weak"]) for d, c in counts.items()}
    recruitment = any(positive[d] for d in RECRUITMENT)
    destination = any(positive[d] for d in DESTINATION)
    presumed = recruitment and positive["exploitation"] and (child or destination)
    return Evaluation(
        dimensions=positive, presumed_victim=presumed, explanation=_explain(chosen, counts, positive, child, presumed)
    )


def _explain(chosen, counts, positive, child: bool, presumed: bool) -> str:
    lines = []
    for dimension, label in DIMENSIONS.items():
        c = counts[dimension]
        if not sum(c.values()):
            continue
        texts = "; ".join(f"{i.text} ({STRENGTHS[i.strength]})" for i in chosen if i.dimension == dimension)
        verdict = _("positive") if positive[dimension] else _("not positive")
        lines.append(
            _("%(dimension)s: %(verdict)s — %(strong)d strong, %(medium)d medium, %(weak)d weak: %(texts)s.")
            % {
                "dimension": str(label).capitalize(),
                "verdict": verdict,
                "strong": c["strong"],
                "medium": c["medium"],
                "weak": c["weak"],
                "texts": texts,
            }
        )
    if not lines:
        lines.append(_("No indicator was selected."))
    if child:
        rule = _("For a child the rule needs recruitment and exploitation to be positive.")
    else:
        rule = _(
            "For an adult the rule needs recruitment, exploitation, and coercion or abuse of vulnerability "
            "at destination to be positive."
        )
    lines.append(rule)
    lines.append(
        _("Result of the rule: presumed victim of trafficking.")
        if presumed
        else _("Result of the rule: not a presumed victim on these indicators.")
    )
    lines.append(_("The rule supports the operator's judgement; it does not decide."))
    return "\n".join(lines)
