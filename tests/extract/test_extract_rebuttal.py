"""Denials read from the article around a statement (rebuttal.py): a plain statement that answers
what another actor put forward, and plain negations that answer nothing."""

import pytest
from extract_support import run, statement_quoting

from app.extract.stance import stance_of
from app.models.enums import Stance


def _stance(text: str, words: str) -> str:
    return str(statement_quoting(run(text), words)["stance"])


def test_a_quotation_after_its_partys_denial_carries_the_denial() -> None:
    text = (
        "Tessaly Foods denied that it had sold tainted flour to the bakeries. "
        "\u201cEvery batch we shipped was tested twice,\u201d a company spokeswoman said."
    )
    assert _stance(text, "Every batch we shipped was tested twice") == "denies"


def test_the_denial_carries_over_several_quotations_of_one_speaker() -> None:
    text = (
        "Bruno Kessel, the clinic's owner, said the inspectors' report was false. "
        "\u201cWe are confident the figure is far lower,\u201d he said. "
        "\u201cI sign off every prescription myself.\u201d"
    )
    result = run(text)
    assert (
        statement_quoting(result, "We are confident the figure is far lower")["stance"] == "denies"
    )


def test_a_quotation_that_looks_ahead_does_not_carry_the_denial() -> None:
    text = (
        "The rower Ilse Varga insisted she was innocent. "
        "\u201cI will appeal this decision,\u201d she said."
    )
    assert _stance(text, "I will appeal this decision") == "asserts"


def test_someone_elses_statement_in_between_stops_the_carry() -> None:
    text = (
        "Tessaly Foods denied that it had sold tainted flour. "
        "Two bakers said their customers had fallen ill. "
        "\u201cThe bread came out of the oven as usual,\u201d one of them said."
    )
    assert _stance(text, "The bread came out of the oven as usual") == "asserts"


def test_a_bare_negation_does_not_start_a_carry() -> None:
    # "never hired" is a denial by negation only: what follows it is a plain description.
    text = (
        "A spokesman for Orbit Freight said the firm had never hired the drivers. "
        "\u201cWe move containers between the docks. That is our business,\u201d he said."
    )
    assert _stance(text, "We move containers between the docks. That is our business") == "asserts"


def test_a_party_that_denies_answers_with_a_negated_fact() -> None:
    text = (
        "Opposition groups said dozens of voters had been turned away. "
        "The Marlow electoral board rejected the allegations. "
        "Later the board said it had received no complaints from polling stations."
    )
    assert _stance(text, "it had received no complaints from polling stations") == "denies"


def test_a_party_that_denies_answers_with_conduct_in_order() -> None:
    text = (
        "Councillor Ada Frey denied taking gifts from the contractor. "
        "Her spokesman said later that all gifts had been declared on the register."
    )
    assert _stance(text, "all gifts had been declared on the register") == "denies"


def test_not_us_answers_a_charge_from_a_party_that_denies() -> None:
    text = (
        "The nurses' union denied that it had abandoned the talks. "
        "\u201cIt was the hospital board that walked out, not us,\u201d its secretary, "
        "Jonas Pell, told the Gazette."
    )
    assert _stance(text, "It was the hospital board that walked out, not us") == "denies"


@pytest.mark.parametrize(
    "later",
    [
        "We will not stop campaigning.",  # an intention
        "Nobody expects the tunnel to open this year.",  # an attitude
        "They are not asking for special treatment.",  # something going on
    ],
)
def test_a_negated_position_of_a_party_that_denies_stays_an_assertion(later: str) -> None:
    text = (
        "The residents' group denied that it had blocked the road. "
        "Protesters said the group had organised the blockade. "
        f"Mara Holt, who chairs the residents' group, said: \u201c{later}\u201d"
    )
    assert _stance(text, later) == "asserts"


def test_a_plain_negation_with_nothing_to_answer_stays_an_assertion() -> None:
    text = "Harbour master Lise Orr said no ships had entered the port since Friday."
    assert _stance(text, "no ships had entered the port since Friday") == "denies"  # an event
    text = "Lise Orr said the new berth would not open before June."
    assert _stance(text, "the new berth would not open before June") == "asserts"


def test_saying_something_is_not_what_another_actor_called_it_is_a_denial() -> None:
    text = (
        "Dr Pia Lund said there may have been errors of calibration in the old sensors. "
        "Theo Marsh, an engineer who tested them, disagreed. "
        "\u201cThese are not calibration faults,\u201d he said."
    )
    assert _stance(text, "These are not calibration faults") == "denies"


def test_saying_something_is_not_so_with_nothing_it_answers_stays_an_assertion() -> None:
    text = (
        "The gallery's director, Ivo Brandt, said visitors had doubled since May. "
        "\u201cWe are not a museum any more,\u201d he said."
    )
    assert _stance(text, "We are not a museum any more") == "asserts"


@pytest.mark.parametrize(
    ("words", "stance"),
    [
        ("the company is not to blame", Stance.denies),
        ("we have nothing to hide", Stance.denies),
        ("it was too early to say what had caused the fire", Stance.declines_to_comment),
        ("I will not give a figure until the audit ends", Stance.declines_to_comment),
        ("We will not give up", Stance.asserts),
        ("If the rules are fair, why were they changed in secret?", Stance.questions),
        ("Why should we pay?", Stance.questions),
    ],
)
def test_words_that_deny_refuse_or_ask(words: str, stance: Stance) -> None:
    assert stance_of(words, Stance.asserts) == stance
