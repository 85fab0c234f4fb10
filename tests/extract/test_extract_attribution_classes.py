"""The attribution classes issue 23 names as failing on real coverage, each on sentences of its
own: adverbs inside the verb, "according to" + a description, refusals to give details, "sources
indicate", carried-over attribution, coordinated speakers, appositions, "citing", negative words
inside what was said, title-case headlines, captions and page titles."""

from extract_support import actor, appearances, run, statement_quoting


def test_an_adverb_between_the_auxiliary_and_the_verb_keeps_the_cue() -> None:
    text = "The harbour authority has officially dismissed claims that the pier was unsafe."
    result = run(text)
    statement = statement_quoting(result, "the pier was unsafe")
    assert statement["stance"] == "denies"
    assert actor(result, statement["speaker"])["name"] == "The harbour authority"


def test_an_adverb_before_a_passive_keeps_it_passive() -> None:
    text = "The claims were officially rejected by the harbour authority on Monday."
    assert appearances(run(text)) == []


def test_an_adverb_after_a_plain_auxiliary_too() -> None:
    text = "The mayor had repeatedly said that the budget would balance by spring."
    statement = statement_quoting(run(text), "the budget would balance by spring")
    assert statement["stance"] == "asserts"


def test_according_to_a_description_of_an_outlet() -> None:
    text = "The convoy reached the border town before dawn, according to the news agency."
    result = run(text)
    statement = statement_quoting(result, "The convoy reached the border town before dawn")
    speaker = actor(result, statement["speaker"])
    assert (speaker["name"].lower(), speaker["kind"]) == ("the news agency", "outlet")


def test_according_to_bare_sources() -> None:
    text = "The ferry operator plans to cut two routes next year, according to sources."
    result = run(text)
    statement = statement_quoting(result, "The ferry operator plans to cut two routes next year")
    speaker = actor(result, statement["speaker"])
    assert speaker["kind"] == "unnamed"


def test_declined_to_provide_any_details_is_a_refusal() -> None:
    text = "The ministry declined to provide any details about the new contract."
    [(statement, appearance)] = appearances(run(text))
    assert statement["stance"] == "declines_to_comment"
    assert appearance["quote"] == "declined to provide any details about the new contract"


def test_refused_to_give_details_is_a_refusal() -> None:
    text = "A spokeswoman for the airline refused to give further details."
    [(statement, _)] = appearances(run(text))
    assert statement["stance"] == "declines_to_comment"


def test_sources_indicate_that() -> None:
    text = "Sources indicate that the merger talks have stalled over pensions."
    result = run(text)
    statement = statement_quoting(result, "the merger talks have stalled over pensions")
    assert statement["stance"] == "asserts"
    assert actor(result, statement["speaker"])["kind"] == "unnamed"


def test_according_to_them_carries_the_speakers_of_the_sentence_before() -> None:
    text = (
        "Two officials at the port authority spoke to reporters on Friday. "
        "According to them, the cranes will be replaced within a month."
    )
    result = run(text)
    statement = statement_quoting(result, "the cranes will be replaced within a month")
    speaker = actor(result, statement["speaker"])
    assert (speaker["name"], speaker["kind"]) == ("Two officials", "unnamed")
    assert appearances(result)[0][1]["attribution"] == "According to them"


def test_two_coordinated_speakers_each_make_the_statement() -> None:
    text = "Anna Kovacs and Peter Lindqvist said the bridge would reopen in May."
    result = run(text)
    speakers = {
        actor(result, s["speaker"])["name"]
        for s, a in appearances(result)
        if a["quote"] == "the bridge would reopen in May"
    }
    assert speakers == {"Anna Kovacs", "Peter Lindqvist"}


def test_an_apposition_after_a_name_leaves_the_name_as_the_speaker() -> None:
    text = (
        "Oren Halloway, an adviser to the regional governor, said the dam repairs were on schedule."
    )
    result = run(text)
    statement = statement_quoting(result, "the dam repairs were on schedule")
    assert actor(result, statement["speaker"])["name"] == "Oren Halloway"


def test_an_outlet_citing_a_source_makes_the_source_the_speaker_and_the_outlet_the_channel() -> (
    None
):
    text = (
        "The Harbour Gazette reported, citing a senior customs officer, that the inspections "
        "would be doubled."
    )
    result = run(text)
    statement = statement_quoting(result, "the inspections would be doubled")
    assert actor(result, statement["speaker"])["name"].lower() == "a senior customs officer"
    assert statement["via"] == "The Harbour Gazette"


def test_a_trailing_report_citing_a_source_makes_the_source_the_speaker() -> None:
    text = (
        "The inspections would be doubled, the Harbour Gazette reported, citing a senior "
        "customs officer."
    )
    result = run(text)
    statement = statement_quoting(result, "The inspections would be doubled")
    assert actor(result, statement["speaker"])["name"].lower() == "a senior customs officer"
    assert statement["via"] == "the Harbour Gazette"


def test_ruled_out_inside_what_was_said_is_no_denial() -> None:
    text = "The coach said he had ruled out a move to another club."
    statement = statement_quoting(run(text), "he had ruled out a move to another club")
    assert statement["stance"] == "asserts"


def test_rejected_inside_what_was_said_is_no_denial() -> None:
    text = "The union said members had rejected the offer by a wide margin."
    statement = statement_quoting(run(text), "members had rejected the offer by a wide margin")
    assert statement["stance"] == "asserts"


def test_categorically_inside_what_was_said_is_no_denial() -> None:
    text = 'The minister said: "We categorically support the new rules."'
    statement = statement_quoting(run(text), "We categorically support the new rules.")
    assert statement["stance"] == "asserts"


def test_a_denial_in_so_many_words_is_still_a_denial() -> None:
    text = "The minister said the report was categorically false."
    statement = statement_quoting(run(text), "the report was categorically false")
    assert statement["stance"] == "denies"


def test_a_headline_in_title_case_is_read() -> None:
    text = (
        "Port Authority Denies Reports Of Crane Collapse\n\n"
        "The port authority said on Monday that no crane had fallen."
    )
    result = run(text)
    quotes = [a["quote"] for _, a in appearances(result)]
    assert "no crane had fallen" in quotes
    headline = statement_quoting(result, "Reports Of Crane Collapse")
    assert headline["stance"] == "denies"


def test_a_noun_in_a_title_case_headline_is_no_verb() -> None:
    text = "United States Reports Strong Growth In Exports\n\nThe economy grew by two percent."
    assert appearances(run(text)) == []


def test_an_image_caption_is_not_a_statement() -> None:
    text = (
        "Image caption: The minister said the plan was fair\n\n"
        "Officials said the plan would be published next week."
    )
    quotes = [a["quote"] for _, a in appearances(run(text))]
    assert quotes == ["the plan would be published next week"]


def test_a_page_title_with_the_site_name_is_not_a_statement() -> None:
    text = (
        "Mayor says tram line will open in June | The Riverside Courier\n\n"
        "The mayor said the tram line would open in June."
    )
    quotes = [a["quote"] for _, a in appearances(run(text))]
    assert quotes == ["the tram line would open in June"]
