"""What the rules find in a text, before anything is resolved against the database."""

import datetime as dt
from dataclasses import dataclass, field

from app.models.enums import QuoteMode, Stance

Range = tuple[int, int]  # [start, end) in the document


@dataclass
class Mention:
    """A phrase naming a speaker (or a recipient) as printed."""

    span: Range  # the whole phrase, appositions and postmodifiers included
    text: str
    core: str  # the phrase without its postmodifier or relative clause
    sentence: int
    pronoun: str | None = None  # he, she, they, it
    name: str | None = None  # the proper name in it: "Dmitry Peskov"
    descriptor: str | None = None  # "Kremlin spokesman", "general secretary of the union"
    head: str = ""  # the head word, lower case: "peskov", "source", "office"
    plural: bool = False
    group_size: int | None = None
    definite: bool = False  # "the source": points back to someone already named
    ordinal: bool = False  # "a second source", "another source": someone new
    partitive: str | None = None  # "one of the people": "the people"
    possessor: str | None = (
        None  # "his spokeswoman": "his"; "Ukraine's foreign ministry": "Ukraine"
    )
    knowledge: str | None = None  # "the discussions"
    affiliation: str | None = None  # what the descriptor ties it to: "the Aviation Workers Union"
    gender: str | None = None
    title: bool = False  # a title or honorific stood before the name
    subject: bool = True  # a sentence's subject (not the object of a preposition)
    short: str | None = None  # its name's short form in brackets: "(NF Capital)", "(HPA)"


@dataclass
class Attr:
    """One attributed stretch of text: an appearance of a statement, found by one rule."""

    quote: Range
    mode: QuoteMode
    stance: Stance
    cue: str  # the word(s) that made it a statement: "said", "according to", "declined"
    sentence: int
    paragraph: int
    speaker: Mention | None = None
    # The speaker is the one of the statement before (a quotation continued, "adding that").
    inherit: bool = False
    attribution: Range | None = None
    hedge: Range | None = None
    recipient: Mention | None = None
    via: str | None = None
    context: str | None = None
    # What the statement is about when its words say little: "asked whether X" (X's span).
    about: Range | None = None
    said_on: dt.date | None = None
    # Attributions found by one cue share a group: parts of one act of saying.
    group: int = 0
    # The rest of the statement before it ("..., the sources said, so the war would go on").
    joined: bool = False
    # Who the speaker and the recipient are within the document (entity ids).
    entity: int | None = None
    recipient_entity: int | None = None
    notes: list[str] = field(default_factory=list)
