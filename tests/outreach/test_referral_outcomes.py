from approdi.intake.models import Decision
from approdi.people.codes import OUTCOME_TEXT


def test_the_referrer_reads_every_decision_the_filtro_can_take_in_words():
    # outreach sits below intake, so it keys its texts by intake's codes: a new kind of decision needs its text.
    assert set(OUTCOME_TEXT) == set(Decision.Kind.values)
