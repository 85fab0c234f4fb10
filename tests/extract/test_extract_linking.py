"""Linking a draft to what is stored (SQLite and PostgreSQL): a stored story is loaded, then
another outlet's report of it is drafted against the database. Each statement lands on the
stored statement (the same act), a stored claim, or a new claim, with its confidence and reason
in a note; a denial not sure of its claim derives no contradiction until a reviewer moves it."""

from pathlib import Path
from typing import Any

import yaml
from extract_support import appearances, run
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from app.config import PROJECT_ROOT
from app.db.engine import session_scope
from app.extract.article import ArticleMeta
from app.extract.known_db import known_from_db
from app.extract.pipeline import Extraction, extract
from app.ingest.loader import load, load_parsed
from app.ingest.parse import parse_file
from app.models import Contradiction, Statement
from app.models.enums import KeyRole, ReviewStatus
from app.statements.writes import update_statement
from app.web.auth import Editor

STORY = PROJECT_ROOT / "tests" / "extract" / "linking" / "nordwire-2026-03-02-veltmar-terminal.yaml"
RE_REPORT = """Veltmar port says no terminal sale is planned

The Veltmar Port Authority has officially dismissed a report that it is negotiating the sale of \
its container terminal to Caspian Freight, according to the news agency Nordwire.

"There is no sale under discussion," port spokeswoman Hanna Roos told the agency on Monday.

Three people familiar with the matter told Nordwire that the port authority was in talks to \
sell the terminal to Caspian Freight.

A city official said the council had not been consulted about any sale, the agency reported.

Caspian Freight declined to comment.
"""
META = ArticleMeta.model_validate(
    {
        "slug": "baltic-mercury-2026-03-03-veltmar",
        "outlet": "baltic-mercury",
        "outlet_name": "Baltic Mercury",
        "dates": [{"kind": "published", "printed": "March 3", "value": "2026-03-03"}],
    }
)
EDITOR = Editor(key_id=None, name="a reviewer", role=KeyRole.editor)


def _stored(engine: Engine) -> None:
    with session_scope(engine) as session:
        load(session, [STORY])


def _draft(engine: Engine, text: str, meta: ArticleMeta | None = None) -> Extraction:
    meta = meta or ArticleMeta()
    with Session(engine) as session:
        return extract(text, meta, lookup=lambda a: known_from_db(session, a, meta.outlet))


def _by(result: Extraction) -> dict[str, dict[str, Any]]:
    """The draft's statements by their ref or slug."""
    return {s.get("ref") or s["slug"]: s for s in result.draft["statements"]}


def _denials(engine: Engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(Contradiction)) or 0


def _denials_of(engine: Engine, slug: str) -> int:
    """The contradictions a statement is one side of."""
    with Session(engine) as session:
        sid = session.scalar(select(Statement.id).where(Statement.slug == slug))
        assert sid is not None
        query = select(func.count()).select_from(Contradiction)
        where = (Contradiction.statement_a_id == sid) | (Contradiction.statement_b_id == sid)
        return session.scalar(query.where(where)) or 0


def _load_draft(engine: Engine, result: Extraction, tmp_path: Path, text: str) -> None:
    (tmp_path / "article.txt").write_text(text, encoding="utf-8")
    draft = dict(result.draft)
    draft["source"] = {**draft["source"], "document": "article.txt"}
    path = tmp_path / "draft.yaml"
    path.write_text(yaml.safe_dump(draft, sort_keys=False, allow_unicode=True))
    with session_scope(engine) as session:
        load(session, [path])


def test_a_re_report_lands_on_the_stored_acts_with_notes(engine: Engine, tmp_path: Path) -> None:
    _stored(engine)
    before = _denials(engine)
    result = _draft(engine, RE_REPORT, META)
    found = _by(result)
    # The same speaker, claim and day: new appearances of the stored statements.
    assert {
        "port-authority-denies-sale-talks",
        "roos-no-sale-under-discussion",
        "three-people-veltmar-sale-talks",
        "city-official-council-not-consulted",
    } <= set(found)
    roos = found["roos-no-sale-under-discussion"]["appearances"][0]
    assert roos["note"] == (
        "linked to statement roos-no-sale-under-discussion (1.00): same speaker, same claim"
        " (1.00), said the same day, words 1.00 alike"
    )
    official = found["city-official-council-not-consulted"]["appearances"][0]["note"]
    assert "same speaker (the same unnamed source of the same story)" in official
    # A new speaker on the stored claim: a new statement on it, and why.
    [caspian] = [s for s in result.draft["statements"] if s.get("speaker") == "caspian-freight"]
    assert caspian["claim"] == "veltmar-terminal-sale-talks"
    assert caspian["note"].startswith("on claim veltmar-terminal-sale-talks (")
    # "the agency" and "the news agency" are Nordwire, the stored outlet: no new outlet.
    assert [a["slug"] for a in result.draft["actors"] if a["kind"] == "outlet"] == [
        "baltic-mercury"
    ]
    _load_draft(engine, result, tmp_path, RE_REPORT)
    assert _denials(engine) == before  # a re-report of the same acts sets up no contradiction


def test_an_unnamed_official_of_another_story_is_a_new_actor(engine: Engine) -> None:
    _stored(engine)
    result = _draft(engine, "A city official said the harbour would be dredged next year.")
    [statement] = result.draft["statements"]
    assert statement["speaker"] != "veltmar-city-official"
    assert statement["note"] == "new claim: no stored claim close enough"


def test_a_denial_not_sure_of_its_claim_derives_nothing_until_moved(
    engine: Engine, tmp_path: Path
) -> None:
    _stored(engine)
    # A speaker stored denying nothing (the port authority's "denied it" would be its stored
    # denial reported again: test_extract_general.py).
    text = (
        "The Veltmar Port Authority is in talks to sell its container terminal, three people"
        " said. The weather was fine. Ships came and went. Nothing else happened. Caspian"
        " Freight denied it."
    )
    result = _draft(engine, text, ArticleMeta(slug="veltmar-weather"))
    [denial] = [s for s in result.draft["statements"] if s.get("stance") == "denies"]
    assert denial["claim"] != "veltmar-terminal-sale-talks"
    assert denial["note"].startswith(
        "new claim; possible contradiction with statement three-people-veltmar-sale-talks on"
        " claim veltmar-terminal-sale-talks (0.5"
    )
    [claim] = [c for c in result.draft["claims"] if c["slug"] == denial["claim"]]
    # Its text is the stored claim's wording, not a neighbouring sentence's words.
    assert claim["text"] == (
        "The Veltmar Port Authority is negotiating the sale of its container terminal to"
        " Caspian Freight."
    )
    assert "kept apart from claim veltmar-terminal-sale-talks" in claim["note"]
    _load_draft(engine, result, tmp_path, text)
    assert _denials_of(engine, denial["slug"]) == 0
    with session_scope(engine) as session:
        moved = session.scalars(select(Statement).where(Statement.slug == denial["slug"])).one()
        update_statement(
            session, EDITOR, denial["slug"], moved.version, {"claim": "veltmar-terminal-sale-talks"}
        )
    # Moved by a reviewer onto the stored claim, it denies what the three people assert.
    assert _denials_of(engine, denial["slug"]) >= 1


def test_a_speaker_read_as_contradicting_its_own_stored_statement_is_that_act(
    engine: Engine, tmp_path: Path
) -> None:
    """The stored official said the council was not consulted; "denied that it had been
    consulted" reads as a denial of that claim: a misread stance, not the official turning
    round. It is taken for the stored act, with a word for the reviewer, and derives nothing."""
    _stored(engine)
    before = _denials(engine)
    text = "A city official denied that the council had been consulted about any sale."
    result = _draft(engine, text)
    [statement] = result.draft["statements"]
    assert statement["ref"] == "city-official-council-not-consulted"
    note = statement["appearances"][0]["note"]
    assert note.startswith("linked to statement city-official-council-not-consulted (0.")
    assert (
        "its stance was read as denies, against its speaker's stored statement (asserts):"
        " taken for that act, its stance to be checked"
    ) in note
    _load_draft(engine, result, tmp_path, text)
    assert _denials(engine) == before


def test_a_speaker_turning_round_another_day_is_held_back(engine: Engine) -> None:
    """The same words said on the Monday a week after the stored statement are another act of
    saying: not taken for the stored one, and kept off its claim until a reviewer moves it."""
    _stored(engine)
    text = "A city official denied on Monday that the council had been consulted about any sale."
    meta = ArticleMeta.model_validate(
        {"dates": [{"kind": "published", "printed": "March 10", "value": "2026-03-10"}]}
    )
    [statement] = _draft(engine, text, meta).draft["statements"]
    assert "ref" not in statement
    assert statement["claim"] != "veltmar-council-not-consulted"
    assert (
        "possible contradiction with statement city-official-council-not-consulted"
        in statement["note"]
    )
    assert "its speaker's own stored statement says the opposite" in statement["note"]


def test_a_relayed_statement_has_its_speaker_and_the_outlet_as_channel() -> None:
    text = (
        "The news agency Nordwire reported on Monday that the port was in talks. A city official"
        " said the council had not been consulted, the agency reported."
    )
    [(statement, appearance)] = [
        (s, a) for s, a in appearances(run(text)) if "council" in a["quote"]
    ]
    assert appearance["quote"] == "the council had not been consulted"
    assert statement["speaker"] == "city-official"
    assert statement["via"] == "Nordwire"


def test_a_denial_according_to_an_agency_is_the_denier_s() -> None:
    text = (
        "The port authority has officially dismissed a report that it is selling the terminal,"
        " according to the news agency Nordwire."
    )
    [statement] = run(text).draft["statements"]
    assert statement["stance"] == "denies"
    assert statement["speaker"] == "port-authority"
    assert statement["via"] == "Nordwire"


def test_the_agency_named_by_description_is_the_outlet_named_before() -> None:
    text = (
        'Hanna Roos told Nordwire: "There is no sale." The agency said the port had hired advisers.'
    )
    result = run(text)
    outlets = [a for a in result.draft["actors"] if a["kind"] == "outlet"]
    assert [a["name"] for a in outlets] == ["Nordwire"]
    [advisers] = [s for s, a in appearances(result) if "advisers" in a["quote"]]
    assert advisers["speaker"] == outlets[0]["slug"]


def test_a_role_with_a_noun_before_it_after_a_quotation_is_the_speaker() -> None:
    text = '"There is no sale under discussion," port spokeswoman Hanna Roos said.'
    [statement] = run(text).draft["statements"]
    assert statement["speaker"] == "hanna-roos"
    assert statement["stance"] == "denies"


def test_the_newspaper_is_the_outlet_named_last_before_it() -> None:
    text = (
        "The plan was first reported by the Harbour Gazette. The local newspaper said the quay"
        " would close in May. The mayor's office said the date was not final, the Valley Times"
        " reported."
    )
    result = run(text)
    [quay] = [s for s, a in appearances(result) if "quay" in a["quote"]]
    assert quay["speaker"] == "harbour-gazette"
    [date] = [s for s, a in appearances(result) if "date" in a["quote"]]
    assert date["via"] == "Valley Times"
    assert "valley-times" not in {a["slug"] for a in result.draft["actors"]}


def test_a_relative_clause_is_no_part_of_a_new_actor_s_name() -> None:
    text = "Two port engineers who have inspected the quay said the cracks were old."
    [speaker] = run(text).draft["actors"]
    assert speaker["name"] == "Two port engineers"
    # The phrase as printed stays an alias, for a reviewer and for matching.
    assert "Two port engineers who have inspected the quay" in speaker["aliases"]


def test_a_body_s_name_with_an_apostrophe_is_spelled_as_printed() -> None:
    text = (
        "\u2018We were ignored,\u2019 said Ilse Marr, secretary of the Quayside Tenants\u2019"
        " Union."
    )
    names = {a["slug"]: a["name"] for a in run(text).draft["actors"]}
    assert names["quayside-tenants-union"] == "Quayside Tenants\u2019 Union"


def test_an_outlet_named_by_description_is_the_stored_outlet(engine: Engine) -> None:
    _stored(engine)
    text = (
        "The talks were first disclosed in a report by Nordwire. The agency said on Tuesday"
        " that Caspian Freight had hired advisers for the terminal sale."
    )
    result = _draft(engine, text, ArticleMeta(slug="quay-weekly-veltmar"))
    [advisers] = [s for s, a in appearances(result) if "advisers" in a["quote"]]
    assert advisers["speaker"] == "nordwire"
    assert not [a for a in result.draft["actors"] if a["kind"] == "outlet"]


def test_a_new_claim_names_the_speaker_for_i_and_we() -> None:
    result = run(
        'The harbour board said: "We are not selling the quay." Ilse Marr said: "I am ready'
        ' to talk."'
    )
    texts = {c["text"] for c in result.draft["claims"]}
    assert texts == {"The harbour board is not selling the quay.", "Ilse Marr is ready to talk."}


CARRIED_STORY = """Harbin Rail in talks to buy Osterby ferries, sources tell the Ledger

OSTERBY, May 4 - Harbin Rail is in talks to buy the Osterby ferry line, two people briefed on the \
matter told the Coastal Ledger on Monday.
"""


def _store_carried(engine: Engine, tmp_path: Path, recipient: bool) -> None:
    """A stored story whose sources told an outlet (its recipient) or spoke through it (via)."""
    told: dict[str, Any] = {"recipient": "coastal-ledger"} if recipient else {"via": "The Ledger"}
    data = {
        "format": "sayso/1",
        "source": {
            "slug": "ledger-2026-05-04-harbin-osterby",
            "text": CARRIED_STORY,
            "outlet": "coastal-ledger",
            "language": "en",
            "dates": [{"kind": "published", "printed": "May 4", "value": "2026-05-04"}],
        },
        "actors": [
            {
                "slug": "coastal-ledger",
                "name": "Coastal Ledger",
                "kind": "outlet",
                "aliases": ["The Ledger", "the Coastal Ledger"],
            },
            {"slug": "harbin-rail", "name": "Harbin Rail", "kind": "organization"},
            {
                "slug": "two-people-briefed-harbin",
                "name": "Two people briefed on the matter",
                "kind": "unnamed",
                "group_size": 2,
            },
        ],
        "claims": [
            {"slug": "harbin-osterby-talks", "text": "Harbin Rail is in talks to buy Osterby."}
        ],
        "statements": [
            {
                "slug": "people-briefed-harbin-osterby-talks",
                "speaker": "two-people-briefed-harbin",
                "claim": "harbin-osterby-talks",
                "stance": "asserts",
                "said_on": "2026-05-04",
                **told,
                "appearances": [
                    {
                        "quote": "Harbin Rail is in talks to buy the Osterby ferry line",
                        "mode": "indirect",
                    }
                ],
            }
        ],
    }
    path = tmp_path / "stored.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    with session_scope(engine) as session:
        load(session, [path])


def test_the_outlet_told_a_stored_statement_reporting_it_is_that_act(
    engine: Engine, tmp_path: Path
) -> None:
    """The Coastal Ledger "reported that ..." what two people told the Ledger: the same
    act, reported again through the outlet it was told to, not the outlet's own statement (which
    would stand against every stored denial of the claim)."""
    _store_carried(engine, tmp_path, recipient=True)
    text = (
        "The Coastal Ledger reported on Monday that Harbin Rail was in talks to buy the Osterby"
        " ferry line."
    )
    [statement] = _draft(engine, text).draft["statements"]
    assert statement["ref"] == "people-briefed-harbin-osterby-talks"
    note = statement["appearances"][0]["note"]
    assert "its speaker is the outlet two-people-briefed-harbin told it to" in note


def test_the_outlet_a_stored_statement_came_through_reporting_it_is_that_act(
    engine: Engine, tmp_path: Path
) -> None:
    _store_carried(engine, tmp_path, recipient=False)
    text = (
        "The Coastal Ledger reported on Monday that Harbin Rail was in talks to buy the Osterby"
        " ferry line."
    )
    [statement] = _draft(engine, text).draft["statements"]
    assert statement["ref"] == "people-briefed-harbin-osterby-talks"
    assert (
        "its speaker is the outlet two-people-briefed-harbin's words came through"
        in (statement["appearances"][0]["note"])
    )


def test_another_outlet_reporting_a_stored_statement_is_not_that_act(
    engine: Engine, tmp_path: Path
) -> None:
    _store_carried(engine, tmp_path, recipient=True)
    text = (
        "The Valley Times reported on Monday that Harbin Rail was in talks to buy the Osterby"
        " ferry line."
    )
    [statement] = _draft(engine, text).draft["statements"]
    assert "ref" not in statement
    assert statement["claim"] == "harbin-osterby-talks"


STORY_DENIAL = (
    "The Veltmar Port Authority has denied that it is negotiating the sale of its container"
    " terminal to Caspian Freight."
)
ANALYST = "A shipping analyst, Per Lund, said Caspian Freight had made an offer for the terminal."


def test_a_new_speaker_near_the_claim_the_article_is_about_is_on_it(engine: Engine) -> None:
    """Per Lund's words are too few to match the stored claim on their own (0.45 alike), but
    the article is surely about that claim (the port authority's denial of it is linked with
    confidence): on it, saying why."""
    _stored(engine)
    result = _draft(engine, f"{STORY_DENIAL} {ANALYST}")
    [lund] = [s for s in result.draft["statements"] if s.get("speaker") == "per-lund"]
    assert lund["claim"] == "veltmar-terminal-sale-talks"
    assert lund["note"] == (
        "on claim veltmar-terminal-sale-talks (0.60): its words 0.45 alike the claim,"
        " the claim the article is most about"
    )


def test_a_new_speaker_near_a_stored_claim_alone_is_on_a_new_claim(engine: Engine) -> None:
    _stored(engine)
    [lund] = _draft(engine, ANALYST).draft["statements"]
    assert lund["claim"] != "veltmar-terminal-sale-talks"
    assert lund["note"].startswith("new claim: no stored claim close enough")


def test_a_new_speaker_near_a_claim_the_article_is_less_about_is_on_a_new_claim(
    engine: Engine,
) -> None:
    """Two of the article's sure statements are on the council claim, one on the sale: a new
    speaker coming near the sale claim is not put on it by the story's weight."""
    _stored(engine)
    text = (
        f"{STORY_DENIAL} A city official said the council had not been consulted about any"
        " sale. The mayor, Eva Dahl, said the council had not been consulted about a sale of"
        f" the container terminal. {ANALYST}"
    )
    [lund] = [s for s in _draft(engine, text).draft["statements"] if s.get("speaker") == "per-lund"]
    assert lund["claim"] != "veltmar-terminal-sale-talks"


def test_a_denial_of_the_report_is_not_of_what_its_speaker_just_asserted(engine: Engine) -> None:
    """An authority that "said it had hired advisers, but said the Nordwire report was
    inaccurate": the denial's words say nothing of their own ("inaccurate" judges, "report"
    points), and what a speaker denies is not what it has just asserted: the claim the article
    is about, here the port authority's stored denial of it reported again."""
    _stored(engine)
    text = (
        "Three people told Nordwire the Veltmar Port Authority was in talks to sell its container"
        " terminal to Caspian Freight. The Veltmar Port Authority said it had hired advisers to"
        " review the future of the quay, but said the Nordwire report was inaccurate."
    )
    found = _by(_draft(engine, text))
    assert "port-authority-denies-sale-talks" in found
    [quote] = [a["quote"] for a in found["port-authority-denies-sale-talks"]["appearances"]]
    assert "inaccurate" in quote


def _store_draft_claim(engine: Engine, tmp_path: Path) -> None:
    """A draft loaded as proposed, whose claim words the terminal sale its own way."""
    data = {
        "format": "sayso/1",
        "source": {
            "slug": "harbour-watch-2026-03-03-terminal",
            "text": "The port authority has put its terminal up for sale, Harbour Watch said.",
            "language": "en",
        },
        "actors": [{"slug": "harbour-watch", "name": "Harbour Watch", "kind": "organization"}],
        "claims": [
            {
                "slug": "port-terminal-up-for-sale",
                "text": "The port authority has put its terminal up for sale.",
            }
        ],
        "statements": [
            {
                "slug": "harbour-watch-terminal-up-for-sale",
                "speaker": "harbour-watch",
                "claim": "port-terminal-up-for-sale",
                "stance": "asserts",
                "appearances": [
                    {
                        "quote": "The port authority has put its terminal up for sale",
                        "mode": "indirect",
                    }
                ],
            }
        ],
    }
    path = tmp_path / "proposed.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    parsed = parse_file(path)
    assert not isinstance(parsed, list)
    with session_scope(engine) as session:
        load_parsed(session, [parsed], ReviewStatus.proposed)


def test_a_claim_only_drafts_are_on_counts_less_than_a_reviewed_one(
    engine: Engine, tmp_path: Path
) -> None:
    """The words are closer to a draft's claim than to the reviewed one, though not by much:
    while no statement on the draft's claim is confirmed, it counts 0.8 of its likeness and
    the reviewed claim wins; once a reviewer confirms one, the closer claim wins."""
    _stored(engine)
    _store_draft_claim(engine, tmp_path)
    text = (
        "Caspian Freight said the Veltmar port authority had put its container terminal up for"
        " sale."
    )
    [statement] = _draft(engine, text).draft["statements"]
    assert statement["claim"] == "veltmar-terminal-sale-talks"
    with session_scope(engine) as session:
        session.execute(
            update(Statement)
            .where(Statement.slug == "harbour-watch-terminal-up-for-sale")
            .values(status=ReviewStatus.confirmed)
        )
    [statement] = _draft(engine, text).draft["statements"]
    assert statement["claim"] == "port-terminal-up-for-sale"


def test_a_stored_actor_described_in_a_text_that_names_it_is_that_actor(engine: Engine) -> None:
    """The words "the port authority" are a stored description of the Veltmar Port Authority:
    in a text that names the authority, it is that actor, though the text is about no stored
    claim."""
    _stored(engine)
    text = (
        "The Veltmar Port Authority opened a new quay on Friday.\n\nThe port authority said"
        " the quay had cost 40 million euros."
    )
    [statement] = _draft(engine, text).draft["statements"]
    assert statement["speaker"] == "veltmar-port-authority"


def test_a_stored_description_in_a_text_that_names_no_such_actor_is_a_new_actor(
    engine: Engine,
) -> None:
    _stored(engine)
    text = "The port authority said the quay had cost 40 million euros."
    [statement] = _draft(engine, text).draft["statements"]
    assert statement["speaker"] != "veltmar-port-authority"


def test_a_denial_that_anything_took_place_answers_what_it_names(engine: Engine) -> None:
    """ "denied that any negotiation had taken place": its words name only the event (taking
    place says nothing more), and the statement before it, another speaker's, does not name
    it: the denial is about the claim the article is about, here Roos's stored denial of it
    reported again, not about the mayor's meeting."""
    _stored(engine)
    text = (
        "Three people told Nordwire the Veltmar Port Authority was in talks to sell its container"
        " terminal to Caspian Freight. A city official said the mayor had met the harbour board"
        " on Monday. Hanna Roos denied that any negotiation had taken place."
    )
    found = _by(_draft(engine, text))
    assert "roos-no-sale-under-discussion" in found
    [quote] = [a["quote"] for a in found["roos-no-sale-under-discussion"]["appearances"]]
    assert "negotiation" in quote


def test_a_denial_answering_the_statement_that_names_its_event_takes_its_claim() -> None:
    """The statement before names the event the denial names: the denial answers it."""
    result = run(
        "A city official said the harbour board had held a negotiation with Caspian Freight."
        " Hanna Roos denied that any negotiation had taken place."
    )
    claims = {s["speaker"]: s["claim"] for s in result.draft["statements"]}
    assert claims["hanna-roos"] == claims["city-official"]


def test_a_described_speaker_s_stored_statements_help_find_its_claim(engine: Engine) -> None:
    """ "The port authority" (the stored description of an actor the text names) is known to
    have denied the sale talks: that counts toward its words' claim (0.47 alike, +0.1), so the
    denial is found as the stored one, not a new claim."""
    _stored(engine)
    text = (
        "The Veltmar Port Authority opened a new quay on Friday.\n\nThe port authority said the"
        " terminal was not for sale."
    )
    found = _by(_draft(engine, text))
    assert "port-authority-denies-sale-talks" in found
    note = found["port-authority-denies-sale-talks"]["appearances"][0]["note"]
    assert "same claim" in note
