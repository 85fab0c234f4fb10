"""The search query language, parsed by sayso and written in each engine's own syntax.

    word            a word (stemmed: `rejected` finds `rejects`); case does not matter
    "a phrase"      the words next to each other, in this order
    word*           any word that starts so (`negotiat*`); `"back chan"*` too
    a b             both (AND is the default; `a AND b` says the same)
    a OR b          either
    NOT a, -a       without it (beside something to find: `ceasefire -Trump`)
    ( ... )         grouping: `(Putin OR Kremlin) ceasefire`

OR, AND and NOT are operators in capitals only; in lower case they are words. A word is a run of
letters and digits: `Putin's` is the phrase "putin s", as the engines read it, and a token of
punctuation alone is no word. User text never reaches an engine as is: each word is quoted (FTS5
`"word"`, PostgreSQL `'word'`), and operators are sayso's own. A query that cannot be read is a
QueryError saying what is wrong and where (app/search/router.py makes it a 422).
"""

import re
from dataclasses import dataclass

_WORD = re.compile(r"[^\W_]+")
_SPECIAL = '"()'
MAX_TERMS = 32
MAX_DEPTH = 8


class QueryError(ValueError):
    """A query that cannot be read; the message says what is wrong, and where."""


@dataclass(frozen=True)
class Term:
    """A word, or a phrase (several words in a row); PREFIX: the last word may go on."""

    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class Not:
    item: "Node"


@dataclass(frozen=True)
class And:
    items: tuple["Node", ...]


@dataclass(frozen=True)
class Or:
    items: tuple["Node", ...]


Node = Term | Not | And | Or


@dataclass(frozen=True)
class _Token:
    kind: str  # term, or, and, not, open, close
    at: int  # the character it starts at (1-based, as a person counts)
    term: Term | None = None


def _tokens(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c.isspace():
            i += 1
        elif c == '"':
            end = query.find('"', i + 1)
            if end < 0:
                raise QueryError(f'the quote at character {i + 1} is never closed: add a closing "')
            words = tuple(w.lower() for w in _WORD.findall(query[i + 1 : end]))
            if not words:
                raise QueryError(f"the phrase at character {i + 1} has no words in it")
            prefix = end + 1 < n and query[end + 1] == "*"
            tokens.append(_Token("term", i + 1, Term(words, prefix)))
            i = end + 2 if prefix else end + 1
        elif c in "()":
            tokens.append(_Token("open" if c == "(" else "close", i + 1))
            i += 1
        elif c == "-" and i + 1 < n and not query[i + 1].isspace() and query[i + 1] != "-":
            tokens.append(_Token("not", i + 1))
            i += 1
        else:
            start = i
            while i < n and not query[i].isspace() and query[i] not in _SPECIAL:
                i += 1
            raw = query[start:i]
            if raw in ("OR", "AND", "NOT"):
                tokens.append(_Token(raw.lower(), start + 1))
                continue
            words = tuple(w.lower() for w in _WORD.findall(raw))
            if words:  # punctuation alone is no word (as in the engines' own reading)
                tokens.append(_Token("term", start + 1, Term(words, raw.endswith("*"))))
    return tokens


class _Parser:
    def __init__(self, query: str) -> None:
        self.tokens = _tokens(query)
        self.pos = 0
        self.depth = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def parse(self) -> Node:
        if not self.tokens:
            raise QueryError("there are no words to search for")
        node = self.either()
        token = self.peek()
        if token is not None:  # only a ')' stops an expression early
            raise QueryError(f"the ) at character {token.at} has no ( before it")
        return node

    def either(self) -> Node:
        items = [self.all()]
        while (token := self.peek()) is not None and token.kind == "or":
            self.take()
            following = self.peek()
            if following is None or following.kind in ("or", "and", "close"):
                raise QueryError(f"OR at character {token.at} needs something after it")
            items.append(self.all())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def all(self) -> Node:
        items: list[Node] = []
        first = self.peek()
        while (token := self.peek()) is not None and token.kind not in ("or", "close"):
            if token.kind == "and":
                self.take()
                following = self.peek()
                if not items or following is None or following.kind in ("or", "and", "close"):
                    raise QueryError(f"AND at character {token.at} needs something on each side")
                continue
            items.append(self.unary())
        if not items and first is not None and first.kind == "close":
            raise QueryError(f"the ) at character {first.at} has no ( before it")
        if not items:
            where = f"at character {first.at}" if first else "at the end"
            what = "OR" if first is not None and first.kind == "or" else "an expression"
            raise QueryError(f"{what} {where} needs something to search for before it")
        if all(isinstance(item, Not) for item in items):
            at = first.at if first else 0
            raise QueryError(
                f"NOT at character {at} only excludes: add something to find beside it "
                "(`ceasefire NOT Trump`)"
            )
        return items[0] if len(items) == 1 else And(tuple(items))

    def unary(self) -> Node:
        token = self.take()
        if token.kind == "not":
            following = self.peek()
            if following is None or following.kind not in ("term", "open"):
                raise QueryError(f"NOT at character {token.at} needs a word, phrase or ( after it")
            return Not(self.unary())
        if token.kind == "open":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise QueryError(f"parentheses nest more than {MAX_DEPTH} deep")
            following = self.peek()
            if following is None:
                raise QueryError(f"the ( at character {token.at} is never closed: add a )")
            if following.kind == "close":
                raise QueryError(f"the ( at character {token.at} holds nothing")
            node = self.either()
            closing = self.peek()
            if closing is None:
                raise QueryError(f"the ( at character {token.at} is never closed: add a )")
            self.take()
            self.depth -= 1
            return node
        assert token.term is not None  # operators and ')' are handled by the callers
        return token.term


def parse(query: str) -> Node:
    """The query as a tree, or a QueryError saying what is wrong."""
    node = _Parser(query).parse()
    if _count(node) > MAX_TERMS:
        raise QueryError(f"the query has more than {MAX_TERMS} words and phrases")
    return node


def _count(node: Node) -> int:
    if isinstance(node, Term):
        return 1
    if isinstance(node, Not):
        return _count(node.item)
    return sum(_count(item) for item in node.items)


def fts5(node: Node) -> str:
    """The query in SQLite FTS5's syntax: each word in double quotes (words hold letters and
    digits only), NOT as FTS5's binary operator after what it excludes from."""
    if isinstance(node, Term):
        return '"' + " ".join(node.words) + '"' + ("*" if node.prefix else "")
    if isinstance(node, Or):
        return "(" + " OR ".join(fts5(item) for item in node.items) + ")"
    if isinstance(node, And):
        found = [fts5(item) for item in node.items if not isinstance(item, Not)]
        excluded = [fts5(item.item) for item in node.items if isinstance(item, Not)]
        text = "(" + " AND ".join(found) + ")"
        return "(" + " NOT ".join([text, *excluded]) + ")" if excluded else text
    raise AssertionError("NOT stands only beside what it excludes from (parse checks it)")


def tsquery(node: Node) -> str:
    """The query in PostgreSQL's to_tsquery syntax: each word in single quotes, a phrase's
    words joined by <->, a prefix marked :*."""
    if isinstance(node, Term):
        words = [f"'{w}'" for w in node.words]
        if node.prefix:
            words[-1] += ":*"
        return "(" + " <-> ".join(words) + ")" if len(words) > 1 else words[0]
    if isinstance(node, Or):
        return "(" + " | ".join(tsquery(item) for item in node.items) + ")"
    if isinstance(node, And):
        return "(" + " & ".join(tsquery(item) for item in node.items) + ")"
    return "!" + tsquery(node.item)


def engine_query(dialect: str, node: Node) -> str:
    """The query in the syntax of the database DIALECT names."""
    return fts5(node) if dialect == "sqlite" else tsquery(node)


def words(text: str) -> list[str]:
    """The words of a text as this language reads them, lower-cased."""
    return [w.lower() for w in _WORD.findall(text)]


def any_of(dialect: str, terms: list[str]) -> str:
    """A query for any of TERMS (words, as `words` gives them), in the engine's syntax."""
    items = tuple(Term((t,)) for t in terms)
    return engine_query(dialect, items[0] if len(items) == 1 else Or(items))


def found_terms(node: Node) -> list[Term]:
    """The words and phrases the query looks for (those under NOT only exclude)."""
    if isinstance(node, Term):
        return [node]
    if isinstance(node, Not):
        return []
    return [term for item in node.items for term in found_terms(item)]
