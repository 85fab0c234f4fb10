"""Deterministic word and name lists for the synthetic corpus.

Quotes and claims are made of a vocabulary with Zipf-like frequencies: a few hundred real news
words first (the frequent ones), then pronounceable made-up words for the long tail, so that a
full-text search for a word has a realistic number of hits (many for common words, few for rare
ones). Everything here is a pure function of fixed seeds.
"""

import random
from itertools import accumulate


def _split(text: str) -> list[str]:
    return text.split()


NEWS_WORDS = _split(
    """
government talks ceasefire officials minister president army troops border deal sanctions
election parliament vote budget economy inflation prices market trade exports energy gas oil
pipeline security attack strike missile drone forces region capital city province province
agreement proposal negotiations envoy summit meeting leaders allies partners coalition party
opposition reform law court judge ruling investigation inquiry report evidence documents
funding aid loan debt bank currency rates growth recession jobs workers union protest strike
police arrest prisoners exchange hostages refugees migrants camp shelter hospital health
vaccine outbreak climate emissions drought flood harvest grain exports shipping port route
contract company shares profits losses merger regulator license tax subsidy tariffs customs
ministry agency spokesman spokeswoman statement briefing interview conference press reporters
weapons supplies ammunition tanks aircraft navy fleet base exercise patrol satellite network
cyber hackers data privacy platform media broadcast channel newspaper website campaign rally
candidate mandate coalition cabinet decree veto amendment constitution referendum turnout
ballot fraud observers monitors mission inspectors nuclear reactor plant uranium enrichment
sanction embargo assets freeze oligarchs banks transfers payments corruption bribery scandal
resignation dismissal appointment successor deputy adviser ambassador embassy consulate visa
border crossing checkpoint corridor convoy delivery food water electricity blackout heating
winter offensive counteroffensive front line positions villages towns casualties civilians
soldiers volunteers mercenaries militia rebels insurgents separatists peacekeepers monitors
mediation mediator brokered truce pause withdrawal retreat advance encirclement siege shelling
airstrike rockets artillery defences shield interceptors radar launch test warhead arsenal
treaty accord framework roadmap timetable deadline ultimatum guarantees assurances commitments
"""
)

FUNCTION_WORDS = _split(
    """
the a of to in that would will not and for on with by from as at after before over under
new its their his her our this those these has had have was were been is are could should
"""
)

FIRST_NAMES = _split(
    """
Maria Anna Olga Elena Sofia Laura Sara Nina Irina Marta Ana Julia Eva Lena Clara Rosa Alice
Hanna Vera Daria Mei Aiko Amira Fatima Leila Noor Priya Asha Zara Ines Carmen Lucia Paula
John David Peter Michael Ivan Sergei Dmitry Oleg Pavel Andrei Marco Luca Paolo Carlos Jose
Juan Pedro Ahmed Omar Yusuf Ali Karim Hassan Ravi Arjun Kenji Hiro Wei Chen Tomas Jan Piotr
Lars Erik Nils Jonas Felix Hugo Louis Pierre Jean Emil Viktor Boris Anton Mikhail Yuri
"""
)

LAST_NAMES = _split(
    """
Smith Jones Brown Miller Davis Garcia Lopez Martinez Rossi Bianchi Romano Colombo Ricci Muller
Schmidt Schneider Fischer Weber Meyer Wagner Becker Hoffmann Novak Kowalski Nowak Wisniewski
Ivanov Petrov Sidorov Smirnov Volkov Popov Kuznetsov Sokolov Lebedev Kozlov Morozov Orlov
Dubois Moreau Laurent Simon Michel Lefebvre Leroy Roux Fournier Girard Silva Santos Ferreira
Pereira Oliveira Costa Rodrigues Almeida Nascimento Khan Ahmed Hussain Rahman Malik Sharma
Patel Singh Gupta Kumar Tanaka Suzuki Sato Watanabe Takahashi Wang Zhang Liu Chen Yang Huang
Kim Lee Park Choi Jung Kang Nguyen Tran Pham Hoang Andersson Johansson Karlsson Nilsson Berg
Hansen Jensen Nielsen Larsen Virtanen Korhonen Horvath Nagy Szabo Toth Popescu Ionescu Dimitrov
"""
)

TITLES = ["Minister", "Senator", "General", "Ambassador", "Spokesperson", "Governor", "Envoy"]

_ONSETS = _split("b c d f g h k l m n p r s t v z br dr gr kr pl st tr ch sh")
_VOWELS = _split("a e i o u ai ea io ou")
_CODAS = ["", "", "", "n", "r", "l", "s", "m", "x", "nd", "rk", "st"]


def _pseudo_words(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    seen = set(NEWS_WORDS) | set(FUNCTION_WORDS)
    words: list[str] = []
    while len(words) < count:
        syllables = rng.choice((2, 2, 3, 3, 4))
        word = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables))
        word += rng.choice(_CODAS)
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def _dedupe(words: list[str]) -> list[str]:
    return list(dict.fromkeys(w.lower() for w in words))


# Content words, most frequent first: real news words, then the made-up long tail.
CONTENT_WORDS: list[str] = _dedupe(NEWS_WORDS) + _pseudo_words(8000, seed=20240214)
# Proper names for places, institutions and outlets (capitalised made-up words).
PROPER_NAMES: list[str] = [w.capitalize() for w in _pseudo_words(3000, seed=77)]


def zipf_cum_weights(n: int, s: float) -> list[float]:
    """Cumulative weights of ranks 1..n with P(rank k) proportional to 1/k^s (for choices())."""
    return list(accumulate(1.0 / (k**s) for k in range(1, n + 1)))


CONTENT_CUM_WEIGHTS = zipf_cum_weights(len(CONTENT_WORDS), 1.0)
