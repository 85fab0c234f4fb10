"""Shapes of attribution beyond "X said Y": interrupted and continued quotations, headlines,
embedded counter-attributions, speakers introduced a sentence before."""

from extract_support import actor, appearances, run, statement_quoting


def test_a_quotation_interrupted_by_said_is_one_statement_in_two_parts() -> None:
    text = (
        "Nadia Sorel, the port's director, spoke after the vote. "
        "\u201cWe will not,\u201d she said, \u201cgive up the night shift.\u201d"
    )
    result = run(text)
    [statement] = result.draft["statements"]
    quotes = [a["quote"] for a in statement["appearances"]]
    assert quotes == ["We will not", "give up the night shift."]
    assert statement["appearances"][1]["note"] == "the quotation goes on after its attribution"


def test_an_interrupted_quotation_with_the_speaker_after_the_verb() -> None:
    text = "\u201cThe price is fair,\u201d said Omar Vance, the buyer, \u201cand final.\u201d"
    result = run(text)
    [statement] = result.draft["statements"]
    assert [a["quote"] for a in statement["appearances"]] == ["The price is fair", "and final."]
    assert actor(result, statement["speaker"])["name"] == "Omar Vance"


def test_went_on_and_continued_attribute_a_quotation() -> None:
    text = (
        "Ines Marr, the head teacher, said the school would reopen. "
        "\u201cThe roof is safe,\u201d she went on. "
        "\u201cClasses start Monday,\u201d Marr continued."
    )
    result = run(text)
    speaker = statement_quoting(result, "the school would reopen")["speaker"]
    assert statement_quoting(result, "The roof is safe")["speaker"] == speaker
    assert statement_quoting(result, "Classes start Monday")["speaker"] == speaker


def test_continued_and_went_on_without_a_quotation_are_no_cues() -> None:
    result = run("Talks continued on Tuesday. The strike went on for a week.")
    assert result.draft["statements"] == []


def test_a_headline_with_a_speaker_and_a_colon() -> None:
    result = run("Regulator: no fines for late trains this year\n\nThe rail regulator said so.")
    statement = statement_quoting(result, "no fines for late trains this year")
    assert actor(result, statement["speaker"])["name"] == "Regulator"


def test_a_colon_after_a_place_is_still_a_dateline() -> None:
    result = run("Lisbon: The port authority said on Monday that cranes had been repaired.")
    [(statement, _)] = appearances(result)
    assert actor(result, statement["speaker"])["name"] == "The port authority"


def test_a_headline_denying_a_noun_is_quoted_whole() -> None:
    result = run("Carmaker denies emissions cheating\n\nThe company denied the report.")
    assert statement_quoting(result, "Carmaker denies emissions cheating")["stance"] == "denies"
    assert statement_quoting(result, "the report")["stance"] == "denies"


def test_which_x_described_as_is_a_statement_inside_another() -> None:
    text = "The mayor said the tower, which residents described as an eyesore, would stay."
    result = run(text)
    inner = statement_quoting(result, "an eyesore")
    assert actor(result, inner["speaker"])["name"] == "Residents"
    outer = statement_quoting(
        result, "the tower, which residents described as an eyesore, would stay"
    )
    assert outer["speaker"] != inner["speaker"]


def test_although_another_verb_of_saying_starts_a_new_statement() -> None:
    text = (
        "The brewery said sales had doubled, although it conceded that profits were flat, "
        "while its finance chief warned that costs would rise."
    )
    result = run(text)
    assert statement_quoting(result, "sales had doubled")["stance"] == "asserts"
    conceded = statement_quoting(result, "profits were flat")
    assert conceded["stance"] == "confirms"
    assert conceded["speaker"] == statement_quoting(result, "sales had doubled")["speaker"]
    assert statement_quoting(result, "costs would rise")


def test_a_speaker_described_a_sentence_before_is_the_person_and_she() -> None:
    text = (
        "One of the inspectors was more blunt. \u201cThe dam leaks,\u201d the person said.\n\n"
        "A second inspector disagreed. \u201cIt is sound,\u201d she said."
    )
    result = run(text)
    first = actor(result, statement_quoting(result, "The dam leaks")["speaker"])
    assert first["name"] == "One of the inspectors"
    second = actor(result, statement_quoting(result, "It is sound")["speaker"])
    assert second["name"] == "A second inspector"


def test_a_name_with_a_role_beside_it_is_a_person_for_he() -> None:
    text = (
        "Tobias Wren, the festival's director, arrived late. "
        "\u201cThe line-up is complete,\u201d he said."
    )
    result = run(text)
    statement = statement_quoting(result, "The line-up is complete")
    assert actor(result, statement["speaker"])["name"] == "Tobias Wren"


def test_a_role_with_a_place_is_a_speaker() -> None:
    result = run("Nurses at the clinic said they had not been consulted.")
    statement = statement_quoting(result, "they had not been consulted")
    assert actor(result, statement["speaker"])["name"] == "Nurses at the clinic"


def test_repeated_that_position_is_no_statement_but_the_participle_is() -> None:
    text = "On Friday Mr. Ortega repeated that view, saying the levy was unfair."
    result = run(text)
    [(statement, appearance)] = appearances(result)
    assert appearance["quote"] == "the levy was unfair"
    assert actor(result, statement["speaker"])["name"] == "Ortega"


def test_a_relative_clause_with_a_verb_of_saying_reports_up_to_its_comma() -> None:
    text = "The brewery, which said in May that it would hire 50 staff, is now cutting jobs."
    result = run(text)
    [(statement, appearance)] = appearances(result)
    assert appearance["quote"] == "it would hire 50 staff"
    assert actor(result, statement["speaker"])["name"] == "The brewery"


def test_described_by_someone_as_names_the_speaker_after_by() -> None:
    text = (
        "The reform, described by teachers as \u201ca step back\u201d, passed. The budget was "
        "described by the mayor as balanced, and the council approved it."
    )
    result = run(text)
    step = statement_quoting(result, "a step back")
    assert actor(result, step["speaker"])["name"] == "Teachers"
    assert actor(result, statement_quoting(result, "balanced")["speaker"])["name"] == "The mayor"


def test_a_participle_after_the_clause_is_the_reporters_and_a_percent_sign_stays() -> None:
    text = (
        "The insurer denied that claims had been delayed, contradicting an account by two "
        "brokers. The insurer said premiums rose 6%, sending its shares higher."
    )
    result = run(text)
    assert statement_quoting(result, "claims had been delayed")["stance"] == "denies"
    assert statement_quoting(result, "premiums rose 6%")


def test_a_headline_subject_need_not_be_a_known_role() -> None:
    result = run("Shipping giant denies fleet sale\n\nPolice say driver was drunk")
    giant = statement_quoting(result, "Shipping giant denies fleet sale")
    assert actor(result, giant["speaker"])["name"] == "Shipping giant"
    assert statement_quoting(result, "driver was drunk")["stance"] == "asserts"
