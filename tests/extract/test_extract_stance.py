"""Stance from what the words mean: denials without "denied", confirmations, and negations that
are not denials."""

import pytest
from extract_support import run, statement_quoting

from app.extract.known import Known
from app.extract.stance import stance_of
from app.models.enums import Stance


@pytest.mark.parametrize(
    "words",
    [
        "she was innocent",
        "the company had done nothing wrong",
        "there had been no wrongdoing by staff",
        "the story was simply wrong",
        "the figures were misleading",
        "the allegations were defamatory",
        "That is not the case",
        "there is no foundation to the story",
        "the coach never paid the agent",
        "the board never signed the contract",
        "the lawsuit was without merit",
        "the report was a smear",
        "Absolutely not. We never met him",
        "the payments were made in line with the law",
        "the surgeon had acted properly throughout",
        "the club had always followed the rules",
    ],
)
def test_words_that_deny_make_a_plain_said_a_denial(words: str) -> None:
    assert stance_of(words, Stance.asserts) == Stance.denies


@pytest.mark.parametrize(
    "words",
    [
        "the airline had no intention of merging",
        "the league would punish any club that did not pay its players",
        "the union backs every worker who never missed a shift",
        "it was wrong to close the library",
        "the mine could close even if no wrongdoing is proven",
        "We have never refused to talk",
        "the minister will never agree to the plan",
    ],
)
def test_positions_and_clauses_inside_are_not_denials(words: str) -> None:
    assert stance_of(words, Stance.asserts) != Stance.denies


@pytest.mark.parametrize(
    "words", ["Yes. We will sign on Monday", "That is correct", "It's true that we met them"]
)
def test_a_yes_or_that_is_correct_confirms(words: str) -> None:
    assert stance_of(words, Stance.asserts) == Stance.confirms


def test_insisted_she_was_innocent_is_a_denial() -> None:
    result = run("The cyclist Lena Moss insisted she was innocent.")
    assert statement_quoting(result, "she was innocent")["stance"] == "denies"


def test_called_the_allegation_false_is_a_denial() -> None:
    result = run("A spokeswoman for the bank called the allegation false.")
    assert statement_quoting(result, "the allegation false")["stance"] == "denies"


def test_called_the_report_in_quotation_marks_quotes_the_words() -> None:
    result = run("The ministry on Monday called the newspaper's report \u201cpure invention\u201d.")
    assert statement_quoting(result, "pure invention")["speaker"] == "ministry"


def test_pushed_back_on_and_rubbished_are_denials() -> None:
    result = run(
        "The mayor pushed back on the audit, saying the accounts were in order. "
        "The club rubbished reports that its manager would resign."
    )
    assert statement_quoting(result, "the audit")["stance"] == "denies"
    assert statement_quoting(result, "its manager would resign")["stance"] == "denies"


def test_called_on_and_called_for_report_no_words() -> None:
    result = run(
        "The union called on the council to end the \u201cchaos\u201d at the depot. "
        "Residents called for a \u201cproper\u201d inquiry."
    )
    assert result.draft["statements"] == []


def test_rebuffed_an_offer_is_an_act_not_a_statement() -> None:
    result = run("The board rebuffed the offer from the rival bidder.")
    assert result.draft["statements"] == []


def test_nobody_and_a_past_verb_is_a_denial() -> None:
    assert stance_of("Nobody hid anything from the auditors", Stance.asserts) == Stance.denies
    assert stance_of("Nothing changed hands", Stance.asserts) == Stance.denies


def test_calling_the_claims_a_word_of_denial_after_a_denial() -> None:
    text = (
        "The hospital on Friday rejected claims that it had lost patient files, calling the "
        "allegations \u201cfantasy\u201d."
    )
    result = run(text)
    files = statement_quoting(result, "it had lost patient files")
    fantasy = statement_quoting(result, "fantasy")
    assert (files["stance"], fantasy["stance"]) == ("denies", "denies")
    assert files["speaker"] == fantasy["speaker"]


@pytest.mark.parametrize(
    ("claim", "words"),
    [
        ("The dockers' pay talks failed.", "the negotiations came to nothing"),
        ("The chairman will quit.", "the chairman would step down"),
        ("Vesta took part in the cartel.", "Vesta was involved in the cartel"),
    ],
)
def test_paraphrases_news_uses_land_on_the_known_claim(claim: str, words: str) -> None:
    known = Known()
    known.add_claim("the-claim", claim)
    result = run(f"A union official said {words}.", known)
    assert statement_quoting(result, words)["claim"] == "the-claim"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "The insurer would neither confirm nor deny the figure.",
            "would neither confirm nor deny",
        ),
        ("The coach declined to be drawn on his contract.", "declined to be drawn on his contract"),
        ("A spokesman for the airline had no immediate comment.", "no immediate comment"),
        ("The senator could not be reached for comment.", "could not be reached for comment"),
        ("The agency was not available for comment.", "was not available for comment"),
        ("The bank did not return calls on Sunday.", "did not return calls on Sunday"),
        ("The club would make no further comment.", "would make no further comment"),
    ],
)
def test_refusals_of_several_words(text: str, words: str) -> None:
    result = run(text)
    [statement] = result.draft["statements"]
    assert statement["stance"] == "declines_to_comment"
    assert statement["appearances"][0]["quote"].startswith(words)


def test_did_not_return_to_a_place_is_no_refusal_and_but_would_not_comment_splits() -> None:
    assert run("The striker did not return to the squad until May.").draft["statements"] == []
    result = run("The regulator said it had received the file but would not comment further.")
    assert statement_quoting(result, "it had received the file")["stance"] == "asserts"
    assert statement_quoting(result, "would not comment")["stance"] == "declines_to_comment"


def test_will_not_speculate_refuses_and_will_not_discuss_a_deal_is_a_position() -> None:
    assert stance_of("I will not speculate about that", Stance.asserts) == (
        Stance.declines_to_comment
    )
    assert stance_of("we will not discuss a merger with them", Stance.asserts) == Stance.asserts
    assert stance_of("it would make no further comment", Stance.asserts) == (
        Stance.declines_to_comment
    )


def test_disagreed_with_the_report_denies_it_and_disagreed_on_a_date_is_no_statement() -> None:
    result = run(
        "The regulator disagreed with the auditors' report. The two unions disagreed on pay."
    )
    [statement] = result.draft["statements"]
    assert statement["stance"] == "denies"
    assert statement["appearances"][0]["quote"] == "the auditors' report"
