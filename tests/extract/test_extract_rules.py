"""The extractor on the hard cases of reported speech, one short text each."""

from extract_support import actor, appearances, run, seed_known, statement_quoting


def test_a_quotation_of_two_sentences_is_one_denial_and_lands_on_the_known_statement() -> None:
    text = (
        'Kremlin spokesman Dmitry Peskov said, "No. It is not true" when asked whether Moscow '
        "had made peace proposals to Washington."
    )
    result = run(text, seed_known())
    [(statement, appearance)] = appearances(result)
    note = appearance.pop("note")
    assert appearance == {
        "quote": "No. It is not true",
        "mode": "direct",
        "attribution": "Kremlin spokesman Dmitry Peskov said",
    }
    assert statement["ref"] == "peskov-denies-peace-proposals"
    assert note.startswith("linked to statement peskov-denies-peace-proposals (0.9")


def test_without_a_database_the_split_quotation_is_a_denial_of_what_was_asked() -> None:
    text = (
        'Kremlin spokesman Dmitry Peskov said, "No. It is not true" when asked whether Moscow '
        "had made peace proposals to Washington."
    )
    result = run(text)
    statement = statement_quoting(result, "No. It is not true")
    assert statement["stance"] == "denies"
    assert (
        statement["context"] == "when asked whether Moscow had made peace proposals to Washington"
    )
    [claim] = result.draft["claims"]
    assert claim["text"] == "Moscow had made peace proposals to Washington."
    peskov = actor(result, statement["speaker"])
    assert (peskov["name"], peskov["kind"], peskov["description"]) == (
        "Dmitry Peskov",
        "person",
        "Kremlin spokesman",
    )


def test_an_unnamed_source_with_knowledge_is_an_unnamed_actor_of_a_group() -> None:
    text = (
        "Three sources with knowledge of the talks told Reuters that the deal was close. "
        "A second source with knowledge of the contacts said the price had not been agreed."
    )
    result = run(text)
    first = statement_quoting(result, "the deal was close")
    second = statement_quoting(result, "the price had not been agreed")
    group, member = actor(result, first["speaker"]), actor(result, second["speaker"])
    assert (group["kind"], group["group_size"], group["knowledge"]) == ("unnamed", 3, "the talks")
    assert member["name"] == "A second source with knowledge of the contacts"
    assert (member["kind"], member["group_size"], member["knowledge"]) == (
        "unnamed",
        1,
        "the contacts",
    )
    assert member["affiliation"] == group["slug"]
    assert first["recipient"] == actor(result, "reuters")["slug"]
    assert actor(result, "reuters")["kind"] == "outlet"


def test_told_reuters_resolves_the_recipient_to_the_known_outlet() -> None:
    text = "Kremlin spokesman Dmitry Peskov told Reuters that the harvest had been poor."
    result = run(text, seed_known())
    statement = statement_quoting(result, "the harvest had been poor")
    assert statement["speaker"] == "dmitry-peskov"
    assert statement["recipient"] == "reuters"
    assert "reuters" not in [a["slug"] for a in result.draft["actors"]]


def test_pronoun_speakers_go_to_the_nearest_fitting_person() -> None:
    text = (
        "Russian President Vladimir Putin met the delegation on Monday. "
        "He said the talks had been useful.\n\n"
        "Maria Lopez, the firm's chief executive, spoke after him. "
        '"We are ready to sign," she said.'
    )
    result = run(text)
    he = statement_quoting(result, "the talks had been useful")
    she = statement_quoting(result, "We are ready to sign")
    assert actor(result, he["speaker"])["name"] == "Vladimir Putin"
    assert actor(result, she["speaker"])["name"] == "Maria Lopez"


def test_mr_putin_is_the_known_vladimir_putin() -> None:
    result = run("Mr. Putin said on Tuesday that the harvest had been poor.", seed_known())
    [(statement, _)] = appearances(result)
    assert statement["speaker"] == "vladimir-putin"


def test_according_to_before_and_after_what_was_said() -> None:
    text = (
        "According to two people familiar with the matter, the bank will cut 500 jobs. "
        "The cuts will start in June, according to a senior executive."
    )
    result = run(text)
    before = statement_quoting(result, "the bank will cut 500 jobs")
    after = statement_quoting(result, "The cuts will start in June")
    assert actor(result, before["speaker"])["name"] == "Two people familiar with the matter"
    assert actor(result, after["speaker"])["name"] == "A senior executive"
    [(_, a)] = [x for x in appearances(result) if x[1]["quote"] == "the bank will cut 500 jobs"]
    assert a["attribution"] == "According to two people familiar with the matter"


def test_x_denied_is_a_denial_of_what_was_denied() -> None:
    text = "The ministry denied that it had ordered the arrests."
    result = run(text)
    statement = statement_quoting(result, "it had ordered the arrests")
    assert statement["stance"] == "denies"
    assert actor(result, statement["speaker"])["kind"] == "government"
    [claim] = result.draft["claims"]
    assert claim["text"] == "The ministry had ordered the arrests."


def test_declining_to_comment_is_about_what_the_story_is_about() -> None:
    text = (
        "Acme Corp is in talks to buy Widget Ltd, two sources said. Widget declined to "
        "comment. Acme did not respond to a request for comment."
    )
    result = run(text)
    story = statement_quoting(result, "Acme Corp is in talks to buy Widget Ltd")
    widget = statement_quoting(result, "declined to comment")
    acme = statement_quoting(result, "did not respond to a request for comment")
    assert widget["stance"] == acme["stance"] == "declines_to_comment"
    assert widget["claim"] == acme["claim"] == story["claim"]


def test_hedges_are_recorded_and_the_speakers_own_makes_a_suggestion() -> None:
    text = (
        "The official said there appeared to be frustration in Moscow. "
        "Putin allegedly rejected the offer, the sources said."
    )
    result = run(text)
    speaker_hedged = statement_quoting(result, "there appeared to be frustration in Moscow")
    reported = statement_quoting(result, "Putin allegedly rejected the offer")
    assert speaker_hedged["stance"] == "suggests"
    assert reported["stance"] == "asserts"
    hedges = {a["quote"]: a.get("hedge") for _, a in appearances(result)}
    assert hedges["there appeared to be frustration in Moscow"] == "appeared"
    assert hedges["Putin allegedly rejected the offer"] == "allegedly"


def test_a_negated_past_event_is_a_denial_and_a_negated_intention_is_not() -> None:
    text = (
        "A US official said the administration had not engaged in any back-channel talks. "
        "Another official said Washington would not negotiate without Kyiv."
    )
    result = run(text)
    assert (
        statement_quoting(result, "the administration had not engaged in any back-channel talks")[
            "stance"
        ]
        == "denies"
    )
    assert (
        statement_quoting(result, "Washington would not negotiate without Kyiv")["stance"]
        == "asserts"
    )
    claims = {c["text"] for c in result.draft["claims"]}
    assert "The administration had engaged in back-channel talks." in claims


def test_the_channel_and_the_recipient_of_a_statement() -> None:
    text = (
        "Through her lawyer, Mayor Rosa Delgado told the Port Ellis Herald that she welcomed "
        "a review."
    )
    result = run(text)
    statement = statement_quoting(result, "she welcomed a review")
    assert statement["via"] == "her lawyer"
    herald = actor(result, statement["recipient"])
    assert (herald["name"], herald["kind"]) == ("Port Ellis Herald", "outlet")
    assert actor(result, statement["speaker"])["name"] == "Rosa Delgado"


def test_a_quotation_interrupted_by_its_attribution_is_one_statement() -> None:
    text = '"No," the spokeswoman said when asked if the plant would close. "It is not true."'
    result = run(text)
    [statement] = result.draft["statements"]
    assert [a["quote"] for a in statement["appearances"]] == ["No", "It is not true."]
    assert statement["stance"] == "denies"


def test_a_parenthetical_attribution_takes_the_rest_of_the_sentence() -> None:
    text = "Washington, the source said, would not engage in talks that did not involve Ukraine."
    result = run(text)
    [(_, appearance)] = appearances(result)
    assert appearance["quote"] == "would not engage in talks that did not involve Ukraine"
    assert appearance["attribution"] == "the source said"


def test_citing_after_the_verb_names_who_said_it() -> None:
    result = run("The merger is off, Meridian Wire reported, citing two people familiar with it.")
    [(statement, appearance)] = appearances(result)
    assert appearance["quote"] == "The merger is off"
    assert actor(result, statement["speaker"])["name"] == "Two people familiar with it"


def test_a_speaker_after_said_only_when_the_sentence_ends_there() -> None:
    result = run("The report, by the Post, said Mr. Smith had resigned in March.")
    assert all(a["quote"] != "The report, by the Post" for _, a in appearances(result))


def test_a_trailing_according_to_covers_the_verbs_inside_its_clause() -> None:
    text = (
        "The plant will close after the board decided that costs were too high, "
        "according to two managers."
    )
    result = run(text)
    [(statement, appearance)] = appearances(result)
    assert appearance["attribution"] == "according to two managers"
    assert actor(result, statement["speaker"])["name"] == "Two managers"


def test_and_a_new_speaker_ends_what_the_first_said() -> None:
    text = (
        "The ministry said only that talks had taken place, and a spokesman refused to say "
        "whether prices were discussed."
    )
    result = run(text)
    said = statement_quoting(result, "talks had taken place")
    refused = statement_quoting(result, "refused to say whether prices were discussed")
    assert (said["stance"], refused["stance"]) == ("asserts", "declines_to_comment")
    assert said["speaker"] != refused["speaker"]


def test_there_had_been_no_is_a_denial_and_would_not_comment_a_refusal() -> None:
    text = (
        "A spokesman said there had been no contacts with the rebels. Another official said "
        "the city had not been informed of the plan and would not comment on rumours."
    )
    result = run(text)
    assert statement_quoting(result, "there had been no contacts with the rebels")["stance"] == (
        "denies"
    )
    informed = statement_quoting(result, "the city had not been informed of the plan")
    assert informed["stance"] == "denies"
    assert statement_quoting(result, "would not comment on rumours")["stance"] == (
        "declines_to_comment"
    )
