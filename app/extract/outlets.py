"""Outlets named by description: "the agency", "the news agency", "the newspaper" are the outlet
the text last named before them ("according to the news agency Nordwire", "told Reuters", "a
report by the Washington Post")."""

import bisect
import re

from app.extract import lexicon as lx
from app.extract.analyse import Analysis
from app.extract.entities import Entity, kind_of_name
from app.extract.lexicon import wordset

_HEADS = wordset("agency newspaper paper broadcaster outlet wire daily tabloid")
# A capitalised name of one to four words, "The" before it left out.
_WORD = r"[A-Z][\w'\u2019&-]*(?:\.\w+)*"
_NAME = re.compile(rf"\b(?:The\s+)?((?:{_WORD}[ \t]+){{0,3}}{_WORD})")
# A name that is an outlet by what is said of it: "a report by Nordwire", "published in Kurier".
_REPORTED_BY = re.compile(
    rf"\b(?:report(?:ed|s)?|story|article|published|interview) (?:by|in|with) (?:the\s+)?"
    rf"((?:{_WORD}[ \t]+){{0,3}}{_WORD})"
)


def _described(words: str) -> bool:
    return bool(set(words.lower().split()) & _HEADS)


def _is_outlet_name(name: str) -> bool:
    words = name.lower().replace("\u2019s", "").replace("'s", "").split()
    return bool(words) and (
        words[-1] in lx.OUTLET_WORDS or any(w in lx.KNOWN_OUTLETS for w in words)
    )


def _outlets_named(analysis: Analysis) -> tuple[list[int], list[str]]:
    """Where the text names an outlet, and its name, in the order of the text."""
    found: dict[int, str] = {}
    for m in _NAME.finditer(analysis.text):
        name = m.group(1)
        if _is_outlet_name(name) and not _described(name):
            found[m.start(1)] = name
    for m in _REPORTED_BY.finditer(analysis.text):
        found.setdefault(m.start(1), m.group(1))
    for e in analysis.entities:
        if e.name and (e.outlet or kind_of_name(e) == "outlet" or _described(e.descriptor or "")):
            for mention in e.mentions:
                if mention.name:
                    found[mention.span[0]] = e.name
    for a in analysis.attrs:
        if a.via and a.via[:1].isupper() and not _described(a.via):
            found.setdefault(a.quote[1], a.via)  # "according to the news agency Nordwire"
    places = sorted(found)
    return places, [found[p] for p in places]


def _before(places: list[int], names: list[str], at: int) -> str | None:
    """The outlet named last before AT, else the only one the text names."""
    k = bisect.bisect_left(places, at)
    if k > 0:
        return names[k - 1]
    return names[0] if len(set(names)) == 1 else None


def name_outlets(analysis: Analysis) -> None:
    """Give each outlet named by description the outlet the text last named before it: a
    relayed statement's `via` ("the agency reported") and a speaker ("the agency said")."""
    places, names = _outlets_named(analysis)
    if not names:
        return
    for a in analysis.attrs:
        if a.via and _described(a.via) and not a.via[:1].isupper():
            a.via = _before(places, names, a.quote[0]) or a.via
    by_name: dict[str, Entity] = {e.name: e for e in analysis.entities if e.name}
    for e in analysis.entities:
        if e.name or e.plural or not (e.heads & _HEADS) or not e.mentions:
            continue
        name = _before(places, names, e.mentions[0].span[0])
        if name is None:
            continue
        named = by_name.get(name)
        if named is not None:
            for a in analysis.attrs:  # one outlet, one actor
                if a.entity == e.id:
                    a.entity = named.id
                if a.recipient_entity == e.id:
                    a.recipient_entity = named.id
        else:
            e.name = name
            e.outlet = True
            by_name[name] = e
