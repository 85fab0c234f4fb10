"""Attribution classes that real coverage showed the rules missing (issue 23, the statement
figures), each on sentences written for these tests: a denied report named at length before its
"that"; the progressive "is dismissing"; what a report was called ("dismissed ... as 'pure
fantasy'", "called it 'absurd' and 'baseless'", "calling it a complete lie"); an inverted
"..., said NAME" after an object; the participle after an inverted attribution."""

import pytest
from extract_support import actor, appearances, run, statement_quoting


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "The ministry on Tuesday denied a local radio report that the minister had resigned.",
            "the minister had resigned",
        ),
        (
            "The port authority denied reports by veteran reporter Tom Hale that the pier had "
            "been sold.",
            "the pier had been sold",
        ),
        (
            "The bank dismissed a report in the Gazette that it would close forty branches.",
            "it would close forty branches",
        ),
        (
            "The club firmly rejected the notion that the coach had been sacked.",
            "the coach had been sacked",
        ),
    ],
)
def test_a_denied_report_named_at_length_leaves_what_it_said(text: str, words: str) -> None:
    statement = statement_quoting(run(text), words)
    assert statement["stance"] == "denies"


def test_a_denied_report_without_that_keeps_its_words() -> None:
    text = "The mayor dismissed claims by the opposition about the budget."
    statement = statement_quoting(run(text), "claims by the opposition about the budget")
    assert statement["stance"] == "denies"


def test_the_progressive_is_a_verb_of_saying_not_a_passive() -> None:
    result = run(
        "The bank is dismissing a story in the Gazette that it would close forty branches."
    )
    statement = statement_quoting(result, "it would close forty branches")
    assert statement["stance"] == "denies"
    assert actor(result, statement["speaker"])["name"] == "The bank"
    insisting = run("The unions were insisting that the talks go on.")
    assert statement_quoting(insisting, "the talks go on")["stance"] == "asserts"


def test_a_passive_stays_no_statement() -> None:
    assert appearances(run("The report was dismissed by the bank on Monday.")) == []


def test_dismissed_at_length_as_a_quotation_gives_the_words_called() -> None:
    text = (
        "The mayor dismissed a report about a new stadium in the city centre by a local "
        'developer as "pure fantasy".'
    )
    [(statement, appearance)] = appearances(run(text))
    assert appearance["quote"] == "pure fantasy"
    assert statement["stance"] == "denies"


def test_dismissed_briefly_as_a_quotation_keeps_the_object() -> None:
    [(_, appearance)] = appearances(run('The mayor dismissed the report as "pure fantasy".'))
    assert appearance["quote"] == 'the report as "pure fantasy"'


def test_two_quoted_words_joined_by_and_are_one_statement() -> None:
    result = run(
        'The council called the claims "absurd" and "baseless" and said it would not resign.'
    )
    assert statement_quoting(result, 'absurd" and "baseless')["stance"] == "denies"
    assert statement_quoting(result, "it would not resign")["stance"] == "asserts"
    dismissed = run(
        "The textiles group has dismissed a column printed in the Courier on Friday "
        'as "wrong" and "unfair".'
    )
    assert statement_quoting(dismissed, 'wrong" and "unfair')["stance"] == "denies"


def test_words_a_report_is_called_deny_it() -> None:
    result = run('The firm called the gossip "laughable" and "absurd".')
    assert statement_quoting(result, 'laughable" and "absurd')["stance"] == "denies"
    incorrect = run('The airline said it had received no offer but called the article "incorrect".')
    assert statement_quoting(incorrect, "incorrect")["stance"] == "denies"


def test_calling_a_report_a_lie_without_quotation_marks() -> None:
    result = run("The agency called the report about the merger a complete lie.")
    assert statement_quoting(result, "a complete lie")["stance"] == "denies"
    short = run("The agency called the report false.")
    assert statement_quoting(short, "the report false")["stance"] == "denies"


def test_an_object_before_an_inverted_said_is_not_the_speaker() -> None:
    text = (
        "The mayor never met the developer, said Ana Ruiz, the spokeswoman of the mayor, "
        "calling the account of the dinner a complete lie."
    )
    result = run(text)
    met = statement_quoting(result, "The mayor never met the developer")
    lie = statement_quoting(result, "a complete lie")
    assert actor(result, met["speaker"])["name"] == "Ana Ruiz"
    assert lie["speaker"] == met["speaker"]
    assert lie["stance"] == "denies"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('The spokesman said the newspaper\'s story was "completely false".', "completely false"),
        ('The firm said the column was "made up".', "made up"),
        (
            'The minister told reporters the story was "wholly wrong information".',
            "wholly wrong information",
        ),
        ('A spokesman said the union "strongly rejects" the claim.', "strongly rejects"),
    ],
)
def test_a_quoted_verdict_on_a_report_is_the_speakers_words(text: str, words: str) -> None:
    [(statement, appearance)] = appearances(run(text))
    assert (appearance["quote"], statement["stance"]) == (words, "denies")


def test_a_long_quotation_keeps_its_subject() -> None:
    text = (
        "The mayor's office said the accusations were"
        ' "a ploy to distract from the debate on the harbour".'
    )
    [(_, appearance)] = appearances(run(text))
    assert appearance["quote"].startswith("the accusations were")
    plan = run('The minister said the plan was "a good start" for the city.')
    assert statement_quoting(plan, 'the plan was "a good start" for the city')


@pytest.mark.parametrize(
    "text",
    [
        "Answering the exchange's query, the company confirmed that, as far as it is aware, "
        "no buyer has approached it.",
        "The company said that as far as it was aware, no buyer has approached it.",
        "The company said that, to its knowledge, no buyer has approached it.",
    ],
)
def test_an_aside_opening_what_was_said_is_left_out(text: str) -> None:
    result = run(text)
    statement = statement_quoting(result, "no buyer has approached it")
    assert statement["stance"] == "denies"


def test_confirming_that_something_did_not_happen_is_a_denial() -> None:
    no = run("The club confirmed that it had not received a bid for the striker.")
    assert statement_quoting(no, "it had not received a bid for the striker")["stance"] == "denies"
    yes = run("The club confirmed that it had received a bid for the striker.")
    assert statement_quoting(yes, "it had received a bid for the striker")["stance"] == "confirms"


def test_a_name_in_s_before_a_verb_of_saying_is_the_speaker() -> None:
    result = run("Harwood\u2019s said that it has not received any offer.")
    statement = statement_quoting(result, "it has not received any offer")
    assert actor(result, statement["speaker"])["name"].startswith("Harwood")
    assert appearances(run("The mayor's reported remarks angered the council.")) == []


def test_the_company_is_the_body_named_before() -> None:
    text = (
        "Ostra Industries dismissed a report on Monday that it would shut its Brenton plant. "
        '"Ostra will not comment on gossip," the company said in an email.'
    )
    result = run(text)
    shut = statement_quoting(result, "it would shut its Brenton plant")
    gossip = statement_quoting(result, "Ostra will not comment on gossip")
    assert gossip["speaker"] == shut["speaker"]
    assert actor(result, shut["speaker"])["name"] == "Ostra Industries"


def test_an_epithet_is_the_person_named_before() -> None:
    text = (
        "Ferry owner Dale Brook has dismissed the story. The Cornish-raised shipping veteran, "
        "who owns a third of the line, conceded that rivals had looked at the ferries, but "
        "claimed the story had no truth in it."
    )
    result = run(text)
    interest = statement_quoting(result, "rivals had looked at the ferries")
    truth = statement_quoting(result, "the story had no truth in it")
    assert actor(result, interest["speaker"])["name"] == "Dale Brook"
    assert truth["speaker"] == interest["speaker"]
    assert (interest["stance"], truth["stance"]) == ("confirms", "denies")


def test_a_description_with_nobody_named_before_is_someone_new() -> None:
    result = run("The shipping veteran said the fares were too low.")
    statement = statement_quoting(result, "the fares were too low")
    assert actor(result, statement["speaker"])["name"].lower() == "the shipping veteran"


def test_a_refusal_that_calls_the_report_baseless_is_a_denial() -> None:
    text = '"We will not comment on gossip, however absurd," the bank said.'
    [(statement, _)] = appearances(run(text))
    assert statement["stance"] == "denies"
    plain = run('"We will not comment on gossip," the bank said.')
    assert appearances(plain)[0][0]["stance"] == "declines_to_comment"


def test_a_date_with_a_shortened_month_between_speaker_and_verb() -> None:
    text = (
        "The ministry on Oct 9 denied reports by veteran reporter Tom Hale that the envoy had "
        "met the rebels twice, the Brenton daily reported."
    )
    result = run(text)
    statement = statement_quoting(result, "the envoy had met the rebels twice")
    assert statement["stance"] == "denies"
    assert actor(result, statement["speaker"])["name"] == "The ministry"


def test_a_verdict_before_a_relaying_outlet_or_another_clause() -> None:
    relayed = run('The union said the story was "fictional," the Courier reported.')
    assert statement_quoting(relayed, "fictional")["stance"] == "denies"
    two = run(
        'The spokesman said the mill "firmly rejects" the story and that it had published its '
        "plans in March."
    )
    assert statement_quoting(two, "firmly rejects")["stance"] == "denies"
    assert statement_quoting(two, "it had published its plans in March")["stance"] == "asserts"


def test_an_attribution_at_the_end_with_a_phrase_after_its_verb() -> None:
    text = (
        'Selling the mill now would be "rash" and costly, Halden analyst Jo Marr said in a '
        "note to clients."
    )
    result = run(text)
    statement = statement_quoting(result, 'Selling the mill now would be "rash" and costly')
    assert actor(result, statement["speaker"])["name"] == "Jo Marr"
    letter = run("The minister said in a letter to MPs that the plan would go ahead.")
    assert statement_quoting(letter, "the plan would go ahead")


def test_an_attribution_at_the_end_then_a_concession() -> None:
    text = (
        "Demand may be weakening across the region, Harbour Bank analyst Tom Reyes told the "
        "Gazette, although he added that prices were still high."
    )
    result = run(text)
    demand = statement_quoting(result, "Demand may be weakening across the region")
    prices = statement_quoting(result, "prices were still high")
    assert demand["speaker"] == prices["speaker"]
    assert actor(result, demand["speaker"])["name"] == "Tom Reyes"


@pytest.mark.parametrize(
    "text",
    [
        "The columnist has since replied to the criticism.",
        "Journalist Tom Hale wrote about the talks in his new book.",
    ],
)
def test_a_topic_alone_is_no_statement(text: str) -> None:
    assert appearances(run(text)) == []


def test_an_infinitive_after_to_is_what_was_vowed() -> None:
    result = run("The mayor vowed to publish the campaign accounts.")
    assert statement_quoting(result, "to publish the campaign accounts")


def test_a_long_compound_description_is_one_speaker() -> None:
    text = (
        "Ferry owner Dale Brook has dismissed the story. The Cornish-raised river ferry "
        "veteran, who owns a third of the line, conceded that rivals had looked at the ferries."
    )
    result = run(text)
    interest = statement_quoting(result, "rivals had looked at the ferries")
    assert actor(result, interest["speaker"])["name"] == "Dale Brook"
    body = run(
        "Ostra Industries has denied reports that it would shut a plant. The sprawling "
        "textiles and dyeing conglomerate has dismissed a column printed in the Courier on "
        'Friday as "wrong".'
    )
    shut = statement_quoting(body, "it would shut a plant")
    assert statement_quoting(body, "wrong")["speaker"] == shut["speaker"]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("The navy said it turned back 12 boats near the coast.", "The navy"),
        ("Norway's coast guard said most of the boats were turned back.", "Norway's coast guard"),
        ("The country's air force said its jets had been grounded by fog.", "air force"),
    ],
)
def test_armed_forces_and_services_are_speakers(text: str, speaker: str) -> None:
    [(statement, _)] = appearances(result := run(text))
    assert speaker in actor(result, statement["speaker"])["name"]


def test_a_coordinated_verb_after_an_adverb_and_a_hedged_denial() -> None:
    text = "The ferry company gave no formal denial, but firmly suggested the story was inaccurate."
    result = run(text)
    statement = statement_quoting(result, "the story was inaccurate")
    assert statement["stance"] == "denies"
    assert actor(result, statement["speaker"])["name"] == "The ferry company"
    hedged = run("The minister suggested the talks could resume.")
    assert statement_quoting(hedged, "the talks could resume")["stance"] == "suggests"


def test_according_to_an_emailed_statement_sent_to_an_outlet() -> None:
    text = (
        "Ostra will close one mill, as announced in its spring results, but the closure will "
        'touch "a few dozen" staff, far fewer than in the Courier\'s story, according to an '
        "emailed statement from Ostra to the Gazette."
    )
    result = run(text)
    closing = statement_quoting(result, "Ostra will close one mill")
    staff = statement_quoting(
        result, 'the closure will touch "a few dozen" staff, far fewer than in the Courier\'s story'
    )
    assert closing["speaker"] == staff["speaker"]
    assert actor(result, closing["speaker"])["name"] == "Ostra"
    assert "announced" not in " ".join(a["quote"] for _, a in appearances(result))


def test_quoting_someone_who_casts_doubt() -> None:
    text = (
        "The Courier wrote on Friday that the letter leaves the bidder unnamed, and it quotes a "
        "council planner casting doubt on the deal."
    )
    result = run(text)
    letter = statement_quoting(result, "the letter leaves the bidder unnamed")
    doubt = statement_quoting(result, "casting doubt on the deal")
    assert doubt["stance"] == "questions"
    assert doubt["speaker"] != letter["speaker"]
    assert actor(result, doubt["speaker"])["name"].lower() == "a council planner"
    who = run("The paper quoted a club official who cast doubt on the sale.")
    assert statement_quoting(who, "cast doubt on the sale")["stance"] == "questions"
    assert appearances(run("The storm cast doubt over the match.")) == []


def test_cited_as_indicating_and_an_aide_who_indicated() -> None:
    cited = run(
        "The letter further cited a council official as indicating that the bidder may have "
        "visited the site in May."
    )
    statement = statement_quoting(cited, "the bidder may have visited the site in May")
    assert actor(cited, statement["speaker"])["name"] == "A council official"
    who = run(
        "Bale cited a council official who indicated the bidder may have visited twice — "
        "despite the council's silence."
    )
    statement = statement_quoting(who, "the bidder may have visited twice")
    assert actor(who, statement["speaker"])["name"] == "A council official"


def test_but_only_qualifies_what_was_said() -> None:
    result = run("The owner said he would sell the club, but only after the new stand was built.")
    assert statement_quoting(
        result, "he would sell the club, but only after the new stand was built"
    )


def test_a_phrase_after_the_verb_is_not_what_was_said() -> None:
    text = (
        "Last month, finance director Ana Ruiz told investors on the mill's half-year results "
        "conference call that the group was booking costs of \u00a340 million, but she did not "
        "specify how many posts would go."
    )
    [(statement, appearance)] = appearances(run(text))
    assert appearance["quote"] == "the group was booking costs of \u00a340 million"
    assert statement["stance"] == "asserts"
    time_only = run("Last month, finance director Ana Ruiz told investors on a call")
    assert appearances(time_only) == []


def test_zero_truth_in_quotation_marks_is_a_denial() -> None:
    result = run("The ferry owner said there was \u201czero\u201d truth in the rumour.")
    assert appearances(result)[0][0]["stance"] == "denies"


def test_who_said_with_but_only_keeps_the_qualification() -> None:
    text = (
        "The paper quoted the club's chairman, Tom Bale, who said he would sell the club, but "
        "only after the new stand was built."
    )
    words = "he would sell the club, but only after the new stand was built"
    assert statement_quoting(run(text), words)


def test_a_photo_credit_is_no_speaker() -> None:
    text = "The club runs 12 shops. Credit: Ana Ruiz/Courier The club said it would close two."
    result = run(text)
    assert [a["quote"] for _, a in appearances(result)] == ["it would close two"]
    assert all("credit" not in a["slug"] for a in result.draft["actors"])


def test_writing_about_a_book_at_length_is_a_topic() -> None:
    text = (
        'Journalist Tom Hale wrote about the talks in his new book, titled "War," according '
        "to the Gazette."
    )
    assert appearances(run(text)) == []


def test_a_name_in_s_reporting_a_clause() -> None:
    result = run("In August, Harwood\u2019s reported it had turned a profit into a loss.")
    assert statement_quoting(result, "it had turned a profit into a loss")
    assert appearances(run("The mayor's reported remarks angered the council.")) == []


@pytest.mark.parametrize(
    "text",
    [
        "While the club firmly rejected the notion that the coach had been sacked, its "
        "season-ticket sales fell again on Friday.",
        "While the club firmly rejected the notion that the coach had been sacked, the club's "
        "season-ticket sales fell again on Friday.",
    ],
)
def test_what_was_said_in_a_while_clause_ends_at_the_main_clause(text: str) -> None:
    [(statement, appearance)] = appearances(run(text))
    assert appearance["quote"] == "the coach had been sacked"
    assert statement["stance"] == "denies"


def test_while_inside_what_was_said_stays() -> None:
    result = run("The minister said that while the deal was fair, it would cost jobs.")
    assert statement_quoting(result, "while the deal was fair, it would cost jobs")


def test_whom_an_outlet_cited_in_the_next_sentence_said_it() -> None:
    text = (
        "The Courier earlier reported that Vell Partners was preparing an offer for the mill. "
        "The paper cited two bankers close to the talks, who asked not to be named."
    )
    result = run(text)
    statement = statement_quoting(result, "Vell Partners was preparing an offer for the mill")
    assert actor(result, statement["speaker"])["name"].startswith("Two bankers")
    assert statement["via"] == "Courier"


def test_a_report_without_a_citation_after_it_stays_the_outlets() -> None:
    text = (
        "The Courier earlier reported that Vell Partners was preparing an offer for the mill. "
        "The mill's shares rose by a fifth."
    )
    result = run(text)
    statement = statement_quoting(result, "Vell Partners was preparing an offer for the mill")
    assert actor(result, statement["speaker"])["name"] == "Courier"


def test_a_headline_with_a_name_in_s() -> None:
    text = "Marlow\u2019s refutes report of sale to Vell Partners\n\nThe shares rose."
    [(statement, appearance)] = appearances(run(text))
    assert appearance["quote"] == "report of sale to Vell Partners"
    assert statement["stance"] == "denies"


def test_pouring_cold_water_on_an_idea_denies_it() -> None:
    text = (
        "Marlow Industries has poured cold water on talk of a quick sale of its Brenton plant, "
        "but traders kept buying."
    )
    [(statement, appearance)] = appearances(run(text))
    assert appearance["quote"] == "talk of a quick sale of its Brenton plant"
    assert statement["stance"] == "denies"


def test_a_stock_listing_between_name_and_verb() -> None:
    text = "Marlow Industries Ltd (LSE: MRL) has denied reports that it is up for sale."
    result = run(text)
    statement = statement_quoting(result, "it is up for sale")
    assert actor(result, statement["speaker"])["name"] == "Marlow Industries Ltd"


def test_an_analyst_named_with_a_firm_and_a_plain_word_at_the_end() -> None:
    text = (
        "Buyers may be waiting for Ostra to sell a mill, Halden textiles analyst Jo Marr told "
        "the Courier, although she added that the price was high."
    )
    result = run(text)
    waiting = statement_quoting(result, "Buyers may be waiting for Ostra to sell a mill")
    assert actor(result, waiting["speaker"])["name"] == "Jo Marr"
    assert statement_quoting(result, "the price was high")["speaker"] == waiting["speaker"]


def test_a_name_and_a_short_quotation_after_that_are_what_was_added() -> None:
    text = (
        'The firm called the rumour "silly" and "absurd" and added that Ostra "remains very '
        'profitable".'
    )
    assert statement_quoting(run(text), 'Ostra "remains very profitable"')


def _speakers_and_channels(text: str) -> list[tuple[str, str | None]]:
    return [(s["speaker"], s.get("via")) for s in run(text).draft["statements"]]


@pytest.mark.parametrize(
    ("text", "speaker", "via"),
    [
        (
            "The Courier's piece, which cited aides close to the bidder, stated that the mill "
            "had been valued twice.",
            "aides",
            "The Courier's piece",
        ),
        (
            "The Gazette, citing two officials, said the talks had failed.",
            "two-officials",
            "The Gazette",
        ),
        (
            "Citing two engineers inside the mill, Ana Ruiz says the line will stop in June.",
            "two-engineers-inside-the-mill",
            "Ana Ruiz",
        ),
        (
            "The Courier\u2019s Dockside Diary column had reported that Vell was weighing an "
            "offer, citing unnamed bankers close to the talks.",
            "unnamed-bankers",
            "The Courier\u2019s Dockside Diary column",
        ),
    ],
)
def test_whom_a_report_cites_said_it_and_the_report_is_the_channel(
    text: str, speaker: str, via: str
) -> None:
    assert _speakers_and_channels(text) == [(speaker, via)]


def test_a_caption_ending_with_its_photo_credit_is_furniture() -> None:
    text = (
        "Ostra shuts a mill\n\nThe looms will stop as Ostra moves weaving abroad, according "
        "to the Gazette's report. -- PHOTO: Courier\n\nLEEDS (Courier) - Ostra said on Monday "
        "that it would keep its dye works open.\n"
    )
    result = run(text)
    assert [a["quote"] for _, a in appearances(result)] == ["it would keep its dye works open"]
    [item] = result.draft["source"]["furniture"]
    assert item["kind"] == "image-credit"
    assert item["text"].endswith("-- PHOTO: Courier")


def test_sources_inside_a_named_body_are_not_that_body() -> None:
    text = (
        "Ana Ruiz expects the cuts to fall on the night shift. Citing two engineers inside "
        "Ostra, she says the line will stop in June."
    )
    assert _speakers_and_channels(text)[-1] == ("two-engineers-inside-ostra", None)


def test_highlighted_that_reports_a_clause() -> None:
    result = run("The Courier highlighted that Vell has bought three mills this year.")
    assert statement_quoting(result, "Vell has bought three mills this year")
    assert appearances(run("The report highlighted the risks.")) == []


def test_on_today_between_speaker_and_verb() -> None:
    text = "The council on today denied a radio report that the mayor had quit."
    statement = statement_quoting(run(text), "the mayor had quit")
    assert statement["stance"] == "denies"


def test_according_to_an_outlets_summary_relays_the_speaker_before() -> None:
    text = (
        "In her memoir Tides, Ruiz said the chairman sent his deputy out of the room before "
        "phoning the bidder, according to The Courier's summary of the memoir."
    )
    assert _speakers_and_channels(text) == [("ruiz", "Courier")]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "The foreign office termed the reports baseless and fabricated.",
            "the reports baseless and fabricated",
        ),
        (
            "The foreign office spokesman termed the report as a figment of imagination.",
            "a figment of imagination",
        ),
        (
            "The club moved to clarify that the manager had not been dismissed.",
            "the manager had not been dismissed",
        ),
        ("The ministry was quick to deny that the envoy had resigned.", "the envoy had resigned"),
    ],
)
def test_termed_and_moved_to_clarify_are_denials_here(text: str, words: str) -> None:
    assert statement_quoting(run(text), words)["stance"] == "denies"


def test_terming_without_a_verdict_and_a_position_to_clarify_are_no_statements() -> None:
    assert appearances(run("The minister termed the visit useful.")) == []
    assert appearances(run("The club is set to clarify its position.")) == []


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("The claims were dismissed as baseless by the ministry.", "baseless"),
        (
            'The report was rejected by the ministry as "baseless propaganda".',
            "baseless propaganda",
        ),
    ],
)
def test_a_passive_denial_with_its_agent_and_a_verdict(text: str, words: str) -> None:
    result = run(text)
    statement = statement_quoting(result, words)
    assert statement["stance"] == "denies"
    assert actor(result, statement["speaker"])["name"].lower() == "the ministry"


def test_a_passive_rejection_of_an_offer_is_no_denial_of_a_report() -> None:
    assert appearances(run("The offer was rejected as too low by the board.")) == []


def test_a_tweet_a_denial_and_no_such_thing() -> None:
    tweet = run("The envoy's office said in a tweet that the meeting had not taken place.")
    assert statement_quoting(tweet, "the meeting had not taken place")["stance"] == "denies"
    such = run('In a statement, the foreign ministry said: "No such meeting took place."')
    assert appearances(such)[0][0]["stance"] == "denies"


@pytest.mark.parametrize(
    "text",
    [
        "The ministry issued a statement saying the report was false.",
        "A statement from the ministry said the report was false.",
        "The ministry's statement said the report was false.",
        "A statement on the ministry's website said the report was false.",
    ],
)
def test_a_statement_speaks_for_whoever_issued_it(text: str) -> None:
    result = run(text)
    statement = statement_quoting(result, "the report was false")
    assert actor(result, statement["speaker"])["name"].lower() == "the ministry"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            'The club\'s statement read: "The manager remains in charge."',
            "The manager remains in charge.",
        ),
        ('"Tom remains our manager," read a statement from the club.', "Tom remains our manager"),
    ],
)
def test_a_statement_that_read(text: str, words: str) -> None:
    result = run(text)
    statement = statement_quoting(result, words)
    assert actor(result, statement["speaker"])["name"] == "The club"


def test_reading_that_is_no_statement() -> None:
    assert appearances(run("He read the report twice.")) == []
    assert appearances(run('The sign read: "Closed".')) == []


def test_confirmed_to_an_outlet_that() -> None:
    result = run("The club confirmed to BBC Sport that Hale remained in charge.")
    assert statement_quoting(result, "Hale remained in charge")["stance"] == "confirms"


def test_an_outlet_reports_that_at_the_start_of_a_sentence() -> None:
    result = run("The Gazette reports that the owner wants a new manager.")
    statement = statement_quoting(result, "the owner wants a new manager")
    assert actor(result, statement["speaker"])["name"] == "Gazette"
    denied = run("The minister denied the Reuters reports that he had resigned.")
    assert [a["quote"] for _, a in appearances(denied)] == ["he had resigned"]


def test_a_phrase_of_time_before_a_colon_and_a_quotation() -> None:
    result = run('Hale told reporters after the match: "I am still the manager."')
    assert [a["quote"] for _, a in appearances(result)] == ["I am still the manager."]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Both governments denied the report.", "Both governments"),
        ("Both clubs denied that a deal had been agreed.", "Both clubs"),
    ],
)
def test_bodies_in_the_plural_are_speakers(text: str, speaker: str) -> None:
    [(statement, _)] = appearances(result := run(text))
    assert statement["stance"] == "denies"
    assert actor(result, statement["speaker"])["name"] == speaker


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("The club was adamant that Hale remained in charge.", "Hale remained in charge"),
        ("The club remained adamant that Hale would stay.", "Hale would stay"),
    ],
)
def test_adamant_that(text: str, words: str) -> None:
    result = run(text)
    assert actor(result, statement_quoting(result, words)["speaker"])["name"] == "The club"


def test_a_report_called_mischievous_is_denied() -> None:
    result = run('The ministry said the reports were "mischievous" and "malicious".')
    assert statement_quoting(result, 'mischievous" and "malicious')["stance"] == "denies"


def test_a_headline_with_its_speaker_after_say() -> None:
    result = run("Pier 'not sold', say harbour board\n\nThe tide rose.\n")
    [(statement, appearance)] = appearances(result)
    assert (appearance["quote"], statement["stance"]) == ("not sold", "denies")
    assert actor(result, statement["speaker"])["name"].lower() == "harbour board"


def test_told_reporters_after_a_quotation_names_the_speaker_before() -> None:
    text = '"The count was lawful," its chairwoman, Ulla Brekke, told reporters.'
    result = run(text)
    statement = statement_quoting(result, "The count was lawful")
    assert actor(result, statement["speaker"])["name"] == "Ulla Brekke"


def test_a_described_speaker_claims_that() -> None:
    result = run("In his book, the journalist claims that the two leaders met secretly.")
    statement = statement_quoting(result, "the two leaders met secretly")
    assert actor(result, statement["speaker"])["name"].lower() == "the journalist"
    assert appearances(run("The company reports record profits.")) == []


def test_no_meeting_took_place_is_a_denial() -> None:
    text = "According to a statement issued by the ministry, no meeting took place."
    assert statement_quoting(run(text), "no meeting took place")["stance"] == "denies"


def test_a_plural_possessive_before_a_compound_is_part_of_the_speaker() -> None:
    # "Times'" ends in an apostrophe of its own: the phrase goes on to the determiner before it.
    text = "The Harbour Times' business column reported that the two firms were close to a deal."
    result = run(text)
    statement = statement_quoting(result, "the two firms were close to a deal")
    assert actor(result, statement["speaker"])["name"] == "The Harbour Times' business column"
    text = (
        "The Harbour Times' business column had reported that the two firms were close to a "
        "deal, citing people briefed on the talks."
    )
    statement = statement_quoting(run(text), "the two firms were close to a deal")
    assert statement["via"] == "The Harbour Times' business column"
