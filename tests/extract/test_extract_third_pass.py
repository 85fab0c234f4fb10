"""Shapes the third pass reads: refusals with "would not say", speakers with an age or a long
relative clause, headline denials of a gerund, clause ends, furniture and non-cues."""

from extract_support import actor, appearances, run, statement_quoting


def _quotes(text: str) -> list[str]:
    return [a["quote"] for _s, a in appearances(run(text))]


def test_would_not_say_whether_is_a_refusal() -> None:
    text = "A spokeswoman for the harbour board would not say whether the pier would reopen."
    statement = statement_quoting(run(text), "would not say whether the pier would reopen")
    assert statement["stance"] == "declines_to_comment"


def test_did_not_say_is_not_a_refusal() -> None:
    assert _quotes("The ministry did not say when the bridge would reopen.") == []


def test_a_group_with_a_compound_role_and_a_relative_clause() -> None:
    text = (
        "Three hospital managers, who spoke on condition of anonymity because they feared "
        "dismissal, said the ward had been closed for a week."
    )
    result = run(text)
    statement = statement_quoting(result, "the ward had been closed for a week")
    assert "managers" in actor(result, statement["speaker"])["name"].lower()


def test_a_speaker_with_an_age_and_an_address() -> None:
    text = "Owen Tully, 47, of Mill Lane, Brackford, denies two counts of arson."
    result = run(text)
    statement = statement_quoting(result, "two counts of arson")
    assert actor(result, statement["speaker"])["name"] == "Owen Tully"


def test_a_headline_denying_a_gerund_quotes_the_gerund_only() -> None:
    text = (
        "Minister denies leaking budget as inquiry widens\n\n"
        "Finance Minister Lara Quist said on Monday she had not seen the papers."
    )
    assert "leaking budget" in _quotes(text)


def test_a_headline_second_verb_is_a_statement_of_its_own() -> None:
    text = (
        "Coach denies fixing matches, vows to clear his name\n\n"
        "The coach, Piet Horn, spoke to reporters on Sunday."
    )
    quotes = _quotes(text)
    assert "fixing matches" in quotes
    assert "to clear his name" in quotes


def test_a_demand_after_the_clause_is_not_what_was_said() -> None:
    text = (
        "The growers' association said on Friday that the tender had been rigged, "
        "and demanded a new tender."
    )
    assert "the tender had been rigged" in _quotes(text)


def test_as_with_a_clause_of_its_own_ends_what_was_said() -> None:
    text = "The minister said prices would fall as supply improves."
    assert _quotes(text) == ["prices would fall"]


def test_as_with_a_description_does_not_end_what_was_said() -> None:
    text = "The mayor dismissed the petition as the work of a few activists."
    assert _quotes(text) == ["the petition as the work of a few activists"]


def test_writes_with_an_object_is_no_cue() -> None:
    text = (
        "The flaw was found by Mei Tan, an engineer who writes the newsletter Patch Notes. "
        "She said the bug had been present since 2021."
    )
    result = run(text)
    assert _quotes(text) == ["the bug had been present since 2021"]
    statement = statement_quoting(result, "the bug had been present since 2021")
    assert actor(result, statement["speaker"])["name"] == "Mei Tan"


def test_a_photograph_credit_is_furniture() -> None:
    text = (
        "Floods close the valley road\n\n"
        "Photograph: Dale Courier\n\n"
        "The county council said the road would stay closed until Friday."
    )
    result = run(text)
    assert "Dale Courier" not in _quotes(text)
    assert any(f["kind"] == "image-credit" for f in result.draft["source"]["furniture"])


def test_its_role_after_a_two_word_company_belongs_to_the_company() -> None:
    text = (
        "Brookmere Homes rejected the residents' fears as exaggerated. "
        "\u201cNot one of these houses will flood,\u201d its technical director, Ruth Abel, said."
    )
    result = run(text)
    statement = statement_quoting(result, "Not one of these houses will flood")
    assert statement["stance"] == "denies"


def test_has_not_said_whether_is_a_refusal() -> None:
    text = "The coach has not said whether he will renew his contract."
    statement = statement_quoting(run(text), "has not said whether he will renew his contract")
    assert statement["stance"] == "declines_to_comment"


def test_a_refusal_keeps_its_clause_of_time() -> None:
    text = "The museum, which owns the painting, declined to comment while the sale was pending."
    assert _quotes(text) == ["declined to comment while the sale was pending"]


def test_a_refusal_on_whether_keeps_the_whole_question() -> None:
    text = "A spokesman would not comment on whether the mine would be sold to investors."
    assert _quotes(text) == ["would not comment on whether the mine would be sold to investors"]


def test_a_name_of_an_organisation_between_commas_is_the_speaker() -> None:
    text = (
        "Two engineers examined the dam. One of them, Karel Vos of the firm Deltaworks, "
        "said: \u201cThe cracks are old.\u201d"
    )
    result = run(text)
    statement = statement_quoting(result, "The cracks are old.")
    assert actor(result, statement["speaker"])["name"] == "Karel Vos"


def test_a_partitive_description_between_commas() -> None:
    text = (
        "Halden Mills, one of the three suppliers the auditors named, on Friday denied "
        "overcharging the council."
    )
    result = run(text)
    statement = statement_quoting(result, "overcharging the council")
    assert actor(result, statement["speaker"])["name"] == "Halden Mills"
    assert statement["stance"] == "denies"


def test_told_the_jury_a_clause_without_that() -> None:
    text = (
        "Defence counsel Mira Kohl told the court the invoices were genuine bills that had "
        "been paid on time."
    )
    assert _quotes(text) == ["the invoices were genuine bills that had been paid on time"]
