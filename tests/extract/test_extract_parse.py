"""The parse's second opinion (app/extract/parse.py): on sentences of our own where the rules find
no statement, a reporting verb with its subject and the clause it reports is found by spaCy's
parse; what it must not take; and the rules alone when the parser's package is absent."""

import subprocess
import sys
import textwrap

import pytest
from extract_support import actor, appearances, assert_placeable, run, statement_quoting

from app.config import PROJECT_ROOT, get_settings
from app.extract import parse
from app.extract.segment import segment

NOTE = "found by the parse (spaCy), not by the rules"


def opinion(sentence: str) -> list[tuple[str, str, str]]:
    """What the parse alone proposes in SENTENCE: (speaker as printed, cue stance, words)."""
    [s] = segment(sentence).sentences
    return [
        (a.speaker.text if a.speaker else "", a.stance.value, sentence[a.quote[0] : a.quote[1]])
        for a in parse.second_opinion(sentence, s, 0)
    ]


def test_the_parser_is_installed() -> None:
    assert parse.available()


def test_a_verb_joined_to_a_denial_it_did_not_issue_shares_its_subject() -> None:
    text = (
        "The insurer did not issue a formal denial, but strongly suggested the figures were wrong."
    )
    # Words that call it wrong, under "suggested", deny (the rules read it too, since).
    assert opinion(text) == [("The insurer", "denies", "the figures were wrong")]
    result = run(text)
    statement = statement_quoting(result, "the figures were wrong")
    assert statement["stance"] == "denies"
    assert actor(result, statement["speaker"])["name"] == "The insurer"
    assert_placeable(text, result)


def test_a_possessive_body_that_said_a_clause_without_that() -> None:
    text = "Norway's coast guard said the trawler had sunk overnight with six crew aboard."
    result = run(text)
    statement = statement_quoting(result, "the trawler had sunk overnight with six crew aboard")
    assert statement["stance"] == "asserts"
    assert actor(result, statement["speaker"])["name"] == "Norway's coast guard"


def test_reported_citing_people_gives_them_as_speaker_and_the_column_as_channel() -> None:
    text = (
        "The Harbour Gazette's business column had reported that the two firms were close to a "
        "deal, citing people briefed on the talks."
    )
    words = "the two firms were close to a deal"
    assert opinion(text) == [("people briefed on the talks", "asserts", words)]
    result = run(text)
    statement = statement_quoting(result, words)
    assert statement["via"] == "The Harbour Gazette's business column"
    speaker = actor(result, statement["speaker"])
    assert (speaker["kind"], speaker["knowledge"]) == ("unnamed", "the talks")


def test_statements_issued_dismissing_a_report_deny_what_it_says_for_each_issuer() -> None:
    text = (
        "The Kelby and Marrow ferry lines issued separate statements on Monday dismissing a "
        "news report that they had agreed to merge."
    )
    result = run(text)
    found = [(s["stance"], a["quote"]) for s, a in appearances(result)]
    assert found and set(found) == {("denies", "they had agreed to merge")}
    assert {a["note"] for _, a in appearances(result)} == {NOTE}  # the rules miss it
    assert_placeable(text, result)


def test_dismissing_a_report_that_is_a_denial_of_its_clause() -> None:
    text = (
        "The league is dismissing a report in the Gazette that it is planning to cut the "
        "season by six weeks."
    )
    result = run(text)
    statement = statement_quoting(result, "it is planning to cut the season by six weeks")
    assert statement["stance"] == "denies"
    assert actor(result, statement["speaker"])["name"] == "The league"


def test_confirming_that_nothing_was_received_denies() -> None:
    text = (
        "The Kestrel Group confirms that, as far as it is aware, it has not received any offer "
        "from Halden Capital."
    )
    words = "as far as it is aware, it has not received any offer from Halden Capital"
    assert opinion(text) == [("The Kestrel Group", "denies", words)]
    # The rules read it too, since, and leave the aside out of the words.
    rules = "it has not received any offer from Halden Capital"
    assert statement_quoting(run(text), rules)["stance"] == "denies"


def test_the_speaker_stops_before_when_it_spoke() -> None:
    # "on Oct 9" belongs to the verb, not to the speaker's name.
    text = (
        "The port authority on Oct 9 denied claims by a local blogger that the two leaders "
        "had spoken seven times, the daily reported."
    )
    result = run(text)
    statement = statement_quoting(result, "the two leaders had spoken seven times")
    assert statement["stance"] == "denies"
    assert actor(result, statement["speaker"])["name"] == "The port authority"  # not "... on Oct 9"
    assert opinion(text) == [
        ("The port authority", "denies", "the two leaders had spoken seven times")
    ]
    text = "The Kremlin on Wednesday denied reports that the two leaders had met in Minsk."
    assert opinion(text) == [("The Kremlin", "denies", "the two leaders had met in Minsk")]
    text = "A spokesman for the port authority, Erik Vold, said the cranes would be back by May."
    [(speaker, _, words)] = opinion(text)
    assert speaker.startswith("A spokesman for the port authority")
    assert words == "the cranes would be back by May"


def test_a_named_person_of_a_body_is_the_person() -> None:
    text = (
        "Sergeant Tove Marren of the Kelby harbour police said at a briefing on Friday that "
        "initially, the ferry had been moving too fast."
    )
    [(speaker, _, words)] = opinion(text)
    assert (speaker, words) == (
        "Sergeant Tove Marren",
        "initially, the ferry had been moving too fast",
    )
    # "of" is part of a body's name ("the Bank of Estmark"), and of a role's description.
    text = "The Bank of Estmark said on Friday that inflation would fall by spring."
    assert opinion(text)[0][0] == "The Bank of Estmark"
    text = "The head of the harbour police, who took over in May, said the ferry was too fast."
    assert opinion(text)[0][0] == "The head of the harbour police"


def test_what_the_parse_does_not_take() -> None:
    for text in (
        "The minister did not say that the plant would close.",  # negated
        "The minister would say that the plant will close.",  # not said
        "It was reported that the plant would close.",  # a passive: nobody says it
        'Her note read: "We said the plant would close."',  # a quotation's own words
        "If the board said the plant would close, the union would strike.",  # a condition
        "The plant will close in May, the board's minutes show.",  # no verb of saying
        "The union rejected the offer on Friday.",  # an offer is not a report of anything
    ):
        assert opinion(text) == [], text


def test_without_the_parser_package_the_rules_run_alone() -> None:
    # A fresh interpreter in which spaCy cannot be imported: the parse is silent, and the
    # sentence the rules read is still read.
    code = textwrap.dedent(
        """
        import sys
        sys.modules["spacy"] = None  # import spacy now raises ImportError
        from app.extract import parse
        from app.extract.pipeline import extract
        assert not parse.available()
        rules = extract("The council said on Monday that the library would reopen in May.")
        parse_only = extract(
            "The Kelby and Marrow ferry lines issued separate statements on Monday dismissing"
            " a news report that they had agreed to merge."
        )
        print(len(rules.draft["statements"]), len(parse_only.draft["statements"]))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["1", "0"]


def test_the_setting_turns_the_parse_off(monkeypatch: pytest.MonkeyPatch) -> None:
    # SAYSO_EXTRACT_PARSE=false: the rules alone, as without the package; the default is on.
    parse_only = (
        "The Kelby and Marrow ferry lines issued separate statements on Monday dismissing a "
        "news report that they had agreed to merge."
    )
    rules = "The council said on Monday that the library would reopen in May."
    assert get_settings().extract_parse and opinion(parse_only)
    monkeypatch.setenv("SAYSO_EXTRACT_PARSE", "false")
    get_settings.cache_clear()  # the settings are read from the environment once
    try:
        assert not parse.enabled() and not parse.available()
        assert opinion(parse_only) == []
        assert appearances(run(parse_only)) == []
        assert [a["quote"] for _, a in appearances(run(rules))] == [
            "the library would reopen in May"
        ]
    finally:
        monkeypatch.delenv("SAYSO_EXTRACT_PARSE")
        get_settings.cache_clear()
    assert opinion(parse_only)
