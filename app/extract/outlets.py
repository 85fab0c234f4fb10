"""Outlets named by description: "the agency", "the news agency", "the newspaper" are the outlet
the text names elsewhere ("according to the news agency Nordwire", "told Reuters"), when it
names one only."""

from app.extract.analyse import Analysis
from app.extract.entities import Entity, kind_of_name
from app.extract.lexicon import wordset

_HEADS = wordset("agency newspaper paper broadcaster outlet wire daily tabloid")


def _described(words: str) -> bool:
    return bool(set(words.lower().split()) & _HEADS)


def _outlet_names(analysis: Analysis) -> dict[str, Entity | None]:
    """The outlets the text names: by name, each with its entity when it has one."""
    names: dict[str, Entity | None] = {}
    for e in analysis.entities:
        if e.name and (e.outlet or kind_of_name(e) == "outlet" or _described(e.descriptor or "")):
            names[e.name] = e
    for a in analysis.attrs:
        if a.via and a.via[:1].isupper() and not _described(a.via):
            names.setdefault(a.via, None)  # "according to the news agency Nordwire": "Nordwire"
    return names


def name_outlets(analysis: Analysis) -> None:
    """Give each outlet named by description the one outlet the text names, if it names one:
    a relayed statement's `via` ("the agency reported") and a speaker ("the agency said")."""
    names = _outlet_names(analysis)
    if len(names) != 1:
        return
    [(name, named)] = names.items()
    for a in analysis.attrs:
        if a.via and _described(a.via) and not a.via[:1].isupper():
            a.via = name
    for e in analysis.entities:
        if e.name or e.plural or not (e.heads & _HEADS):
            continue
        if named is not None:
            for a in analysis.attrs:  # one outlet, one actor
                if a.entity == e.id:
                    a.entity = named.id
                if a.recipient_entity == e.id:
                    a.recipient_entity = named.id
        else:
            e.name = name
            e.outlet = True
