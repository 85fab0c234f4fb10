"""What a scored article got wrong, one line each, to see the classes of error: the gold
appearances no prediction matched, the predictions that matched no gold appearance, and the
matched pairs whose stances differ.

Each line says why as far as the matching can tell: `speaker` (a prediction covers the span
but names someone else), `span` (a prediction overlaps with an intersection over union below
the matching's threshold), `none` (nothing overlaps). With WORDS, the line ends with the span's
words, for a terminal only: the real-coverage texts are not the project's to keep.
"""

from app.extract.evaluate import OVERLAP, overlap
from app.extract.gold import Unit

# The words shown of a span, at most.
_SHOWN = 160


def misses(
    text: str,
    truth: list[Unit],
    pred: list[Unit],
    matched: list[tuple[Unit, Unit]],
    words: bool = False,
) -> list[str]:
    """One line per gold unit no prediction matched ("missed"), per prediction that matched no
    gold unit ("false"), and per matched pair whose stances differ ("stance")."""
    got_g = {id(g) for _p, g in matched}
    got_p = {id(p) for p, _g in matched}
    lines = []
    for g in truth:
        if id(g) not in got_g:
            lines.append("missed " + _line(text, g, pred, words))
    for p in pred:
        if id(p) not in got_p:
            lines.append("false  " + _line(text, p, truth, words))
    for p, g in matched:
        if p.stance != g.stance:
            lines.append(f"stance {_line(text, g, [], words)} (predicted {p.stance})")
    return lines


def _line(text: str, unit: Unit, others: list[Unit], words: bool) -> str:
    """UNIT's speaker, stance and span, why it went unmatched against OTHERS, its words."""
    why = _why(unit, others)
    line = f"[{unit.span[0]}:{unit.span[1]}] {unit.speaker} {unit.stance}: {why}"
    if words:
        shown = " ".join(text[unit.span[0] : unit.span[1]].split())
        if len(shown) > _SHOWN:
            shown = shown[: _SHOWN - 3] + "..."
        line += f' | "{shown}"'
    return line


def _why(unit: Unit, others: list[Unit]) -> str:
    best, near = 0.0, None
    for o in others:
        o_ = overlap(unit.span, o.span)
        if o_ > best:
            best, near = o_, o
    if near is None:
        return "none"
    if best >= OVERLAP:
        return f"speaker (other side: {near.speaker})"
    return f"span (IoU {best:.2f} with [{near.span[0]}:{near.span[1]}] {near.speaker})"
