"""Indonesian personal names: normalise them for matching and score how alike two are.

Worker lists from agencies write one person's name in many ways: with or without titles
("Hj.", "Drs.", ", S.Pd."), in the spelling of before 1972 ("Soetjipto" for "Sucipto"),
abbreviated ("Moch.", "Abd.", "St."), with spaces moved ("Nur Hayati"/"Nurhayati"), with or
without the father's name ("Siti Aminah binti Kasmuri"), and cut short where a form or an
export had no more room ("Siti Badriyah Kart"). Three layers deal with that:

- ``normalize_name``: a readable canonical form. Upper case, ASCII, titles removed, old spelling
  modernised, common variants folded to one spelling ("MOCH" -> "MUHAMMAD").
- ``name_key``: a coarser phonetic key over the canonical form, for blocking and matching;
  it folds letters that Indonesians write interchangeably (j/y, f/p/v, kh/h, a final y/i,
  ...).
- ``name_similarity``: a score in [0, 1] over the keys' tokens, tolerant of token order,
  missing tokens, initials, typos, moved spaces, a name cut short and a patronymic on one
  side only.

Decisions that are judgment calls:

- j/y. The old spelling wrote modern "y" as "j" ("Jusuf", "Soerjo") and modern "j" as "dj".
  ``normalize_name`` turns j into y only in a word that shows the old spelling elsewhere
  ("oe", "dj", "tj", "sj", leading "nj": "Soerjo" -> "SURYO", "Djojo" -> "JOYO"); a bare "j"
  is left alone, because modern names have it too ("Joko"). ``name_key`` maps every j to y,
  so "Sujono" and "Suyono" meet there.
- ch/kh. In names from this region "ch" is nearly always the Dutch-era spelling of Arabic
  "kh" ("Achmad", "Chasanah", "Rochim", "Ichwan"), so ``normalize_name`` writes "KH". A few
  modern names use "ch" for "c" ("Chandra"); they are listed in ``CH_IS_C``. ``name_key``
  then folds "kh" into "h", because "Rochim"/"Rohim" and "Khasanah"/"Hasanah" are both written.
- "R." is kept as an initial, not removed as "Raden": a name token is worth more to matching
  than a title is, and the similarity tolerates one extra initial. "Raden" written out is a
  title. Likewise a lone "H." after the name is an initial; only in front is it "Haji".
- "M." and "St." are read as "Muhammad" and "Siti" only as the first token followed by more
  of the name ("M. Rizki", "St. Aminah"); "S.T." or "ST" after the name is the degree.
- A patronymic is marked by "bin", "binti" or "bt." (not by "b.", which is an initial just as
  often). ``name_key`` leaves the father out so that a name with and without "bin ..." share
  a key; ``name_similarity`` compares both ways. "als."/"alias" and the other name after it
  are left out, up to the father's.
- A final "y" after a consonant is keyed as "i" ("Hery"/"Heri"); an "o" for a "u" is not.
- Forms of address ("Mbah", "Mas", "Gus") are titles, but not "Ning" or "Neng", which as
  often begin a woman's own name. Degrees missing from the title list ("A.Md.Keb.") count
  only where written as degrees, with dots or after a comma.
- A name cut short counts as one only from 15 characters as written: shorter, a name whose
  last token begins another's ("Muhammad Rizki"/"Muhammad Rizkianto") is a name of its own.

All functions are pure and cached per input string, since matching calls them on the same
register names millions of times.
"""

import re
import unicodedata
from functools import lru_cache
from itertools import pairwise
from operator import itemgetter
from typing import NamedTuple

from lindung.domain.name_words import (
    ALIAS_MARKERS,
    CANONICAL,
    CH_IS_C,
    DEGREES,
    KEY_ALIASES,
    KEY_FOLDS,
    LEADING_ABBREVIATIONS,
    PATRONYMIC_MARKERS,
    PREFIX_TITLES,
    SUFFIX_TITLES,
    WRITTEN_TITLES,
)
from lindung.domain.token_scores import TOKEN_FULL, aligned

# Apostrophes vanish inside a word ("Ma'ruf" = "Maruf"); any other non-letter but the dot
# separates words; digits are typing noise.
_APOSTROPHES = "'‘’`´ʼ"
_SEPARATORS = re.compile(r"[^\w.'‘’`´ʼ]|[\d_]")
_DOTTED_PARTS = re.compile(r"[^.]+\.?")
_NOT_LETTER = re.compile(r"[^A-Z]+")
_DOUBLED = re.compile(r"(.)\1+")
_FIRST_LETTER = itemgetter(1)  # a run of one letter -> the letter, as `_DOUBLED.sub`'s repl
_DISPLAY_WORD = re.compile(r"[^\W\d_]+(?:['‘’`´ʼ][^\W\d_]+)*")
_COMMA_SPACING = re.compile(r"\s*,\s*")

# Similarity tuning (the token level's in `token_scores`).
_SPACING_SCORE = 0.97  # same letters, spaces elsewhere: "MAHDIP UTRA" / "MAHDI PUTRA"
_LIGHT_WEIGHT = 0.5  # initials and names that half the population carries say little


class _Piece(NamedTuple):
    text: str  # as written, e.g. "Moch."
    code: str  # folded to A-Z, e.g. "MOCH"


class _Analysis(NamedTuple):
    tokens: tuple[str, ...]  # canonical, father included
    given: tuple[str, ...]
    father: tuple[str, ...] | None
    bare_text: str  # the name as written, without titles
    titles: tuple[str, ...]  # as written
    given_key: tuple[str, ...]
    full_key: tuple[str, ...]  # given and father, without the marker
    written_key: tuple[str, ...]  # full_key's tokens keyed as written, before modernising
    plain: tuple[str, ...]  # given and father, canonical, without the marker
    letters: str  # the letters as written, titles left out, without spaces


def _fold(text: str) -> str:
    if not text.isascii():  # ASCII is its own NFKD form
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = text.upper()
    return text if text.isalpha() else _NOT_LETTER.sub("", text)


def _pieces(segment: str) -> list[_Piece]:
    return [p for word in _SEPARATORS.sub(" ", segment).split() for p in _word_pieces(word)]


@lru_cache(maxsize=1 << 16)
def _word_pieces(word: str) -> tuple[_Piece, ...]:
    code = _fold(word)
    if not code:
        return ()
    if code in WRITTEN_TITLES or "." not in word:  # "S.Pd.I", "A.Md.Keb." are one title
        return (_Piece(word, code),)
    # "Drs.H.Moch." and "M.Rizki" are several words run together.
    parts = ((part, _fold(part)) for part in _DOTTED_PARTS.findall(word))
    return tuple(_Piece(part, part_code) for part, part_code in parts if part_code)


def _strip(pieces: list[_Piece]) -> tuple[list[_Piece], list[_Piece]]:
    """Split off leading and trailing titles; the last remaining piece is never a title,
    so a name made only of title-like words ("Bu Haji") keeps one."""
    start = 0
    while start < len(pieces) - 1 and pieces[start].code in PREFIX_TITLES:
        start += 1
    end = len(pieces)
    while end - 1 > start:
        last = pieces[end - 1]
        if last.code in SUFFIX_TITLES or (last.code in DEGREES and "." in last.text):
            end -= 1
        elif end - 2 > start and pieces[end - 2].code + pieces[end - 1].code in SUFFIX_TITLES:
            end -= 2  # a degree typed with a space inside: "S. Pd"
        else:
            break
    return pieces[start:end], pieces[:start] + pieces[end:]


def _modernise(word: str) -> str:
    """Pre-1972 spelling to today's (EYD), for one upper-case word."""
    if word in CH_IS_C:
        return word.replace("CH", "C")
    if "OE" in word or "DJ" in word or "TJ" in word or "SJ" in word or word.startswith("NJ"):
        # An old-spelling word: its bare "j" is today's "y", its "dj" today's "j".
        word = word.replace("OE", "U").replace("DJ", "\0").replace("TJ", "C")
        word = word.replace("SJ", "SY")
        if word.startswith("NJ"):
            word = "NY" + word[2:]
        word = word.replace("J", "Y").replace("\0", "J")
    return word.replace("CH", "KH")


@lru_cache(maxsize=1 << 16)
def _canonical_token(code: str) -> str:
    word = _modernise(code)
    return CANONICAL.get(word, word)


def _canonical(codes: list[str]) -> tuple[str, ...]:
    tokens = list(map(_canonical_token, codes))
    if len(codes) > 1 and codes[0] in LEADING_ABBREVIATIONS:
        tokens[0] = LEADING_ABBREVIATIONS[codes[0]]
    return tuple(tokens)


@lru_cache(maxsize=1 << 16)
def _key_token(token: str) -> str:
    token = KEY_ALIASES.get(token, token)
    for old, new in KEY_FOLDS:
        token = token.replace(old, new)
    token = _DOUBLED.sub(_FIRST_LETTER, token)
    if len(token) > 2 and token.endswith("H"):  # "Fatimah"/"Fatima", "Sholeh"/"Soleh"
        token = token[:-1]
    # A final "y" after a consonant is the same sound as "i", and written both ways for one
    # person ("Hery"/"Heri", "Rudy"/"Rudi", "Dwy"/"Dwi", "Yanty"/"Yanti").
    if len(token) > 2 and token.endswith("Y") and token[-2] not in _VOWELS:
        token = token[:-1] + "I"
    return token


_VOWELS = frozenset("AIUEO")


_LIGHT_KEYS = frozenset(_key_token(t) for t in ("MUHAMMAD", "AHMAD", "ABDUL", "SITI", "NUR", "SRI"))


# Analyses by name, in a plain dict (see `_SIDES`), emptied when full.
_ANALYSES: dict[str, _Analysis] = {}
_ANALYSES_MAX = 1 << 16


def _analyse(name: str) -> _Analysis:
    analysis = _ANALYSES.get(name)
    if analysis is None:
        if len(_ANALYSES) >= _ANALYSES_MAX:
            _ANALYSES.clear()
        analysis = _ANALYSES[name] = _analysed(name)
    return analysis


def _analysed(name: str) -> _Analysis:
    if name.isascii():
        words = name.split()
        if words and all(map(str.isalpha, words)):
            codes = [word.upper() for word in words]
            if _untitled(codes):
                return _plain_analysis(words, codes)
    return _analysed_in_full(name)


def _analysed_in_full(name: str) -> _Analysis:
    text = unicodedata.normalize("NFKC", name)
    first, *rest = text.split(",") if "," in text else (text,)
    pieces = _pieces(first)
    comma_titles: list[_Piece] = []
    for segment in rest:
        # After a comma come degrees ("S.Pd., M.Si."), sometimes spaced out ("S. Pd").
        seg_pieces = _pieces(segment)
        if not seg_pieces:
            continue
        if _fold(segment) in WRITTEN_TITLES or all(p.code in WRITTEN_TITLES for p in seg_pieces):
            comma_titles.append(_Piece(" ".join(segment.split()), _fold(segment)))
        else:
            pieces.extend(seg_pieces)

    alias_at = next((i for i in range(1, len(pieces) - 1) if pieces[i].code in ALIAS_MARKERS), None)
    if alias_at is not None:  # the other name runs to the father's, if any
        resume = next(
            (
                i
                for i in range(alias_at + 2, len(pieces) - 1)
                if pieces[i].code in PATRONYMIC_MARKERS
            ),
            len(pieces),
        )
        pieces = pieces[:alias_at] + pieces[resume:]
    marker_at = None
    for i in range(1, len(pieces) - 1):
        if pieces[i].code in PATRONYMIC_MARKERS:
            marker_at = i
            break
    given_pieces, titles = _strip(pieces if marker_at is None else pieces[:marker_at])
    written = [p.code for p in given_pieces]
    given = plain = tokens = _canonical(written)
    given_key = full_key = tuple(map(_key_token, given))
    bare = [p.text for p in given_pieces]
    father: tuple[str, ...] | None = None
    if marker_at is not None:
        father_pieces, father_titles = _strip(pieces[marker_at + 1 :])
        father_codes = [p.code for p in father_pieces]
        father = _canonical(father_codes)
        titles += father_titles
        marker = pieces[marker_at]
        tokens = (*given, PATRONYMIC_MARKERS[marker.code], *father)
        plain = given + father
        full_key = given_key + tuple(map(_key_token, father))
        bare += [marker.text, *(p.text for p in father_pieces)]
        written += father_codes
    written_key = tuple(map(_key_token, written))
    titles += comma_titles
    bare_text = " ".join(bare)
    return _Analysis(
        tokens, given, father, bare_text, tuple([p.text for p in titles]) if titles else (),
        given_key, full_key, full_key if written_key == full_key else written_key, plain,
        _fold(bare_text),
    )  # fmt: skip


def _untitled(codes: list[str]) -> bool:
    """True when a name of these codes (each a whole word) has no title to strip (`_strip`
    would keep every piece) and no patronymic marker."""
    if len(codes) > 1 and (
        codes[0] in PREFIX_TITLES
        or codes[-1] in SUFFIX_TITLES
        or (len(codes) > 2 and codes[-2] + codes[-1] in SUFFIX_TITLES)
    ):
        return False
    return len(codes) < 3 or (
        PATRONYMIC_MARKERS.keys().isdisjoint(codes[1:-1]) and ALIAS_MARKERS.isdisjoint(codes[1:-1])
    )


def _plain_analysis(words: list[str], codes: list[str]) -> _Analysis:
    """`_analysed` of a name of ASCII letters and spaces alone, with no title and no
    patronymic (`_untitled`): most names in agency lists and the register, analysed without
    the general path's pieces (about twice as fast; the same analysis)."""
    given = _canonical(codes)
    key = tuple(map(_key_token, given))
    written = key if given == tuple(codes) else tuple(map(_key_token, codes))
    return _Analysis(
        given, given, None, " ".join(words), (), key, key, key if written == key else written,
        given, "".join(codes),
    )  # fmt: skip


def name_tokens(name: str) -> tuple[str, ...]:
    """Canonical tokens of a name, the patronymic marker and father included:
    ``name_tokens("Drs. H. Moch. Soebagio, M.Si.") == ("MUHAMMAD", "SUBAGIO")``."""
    return _analyse(name).tokens


def normalize_name(name: str) -> str:
    """The readable canonical form used for matching: upper-case ASCII, titles removed, old
    spelling modernised, variants folded; "" for a name with no letters."""
    return " ".join(_analyse(name).tokens)


def name_key(name: str) -> str:
    """A coarse phonetic key of the given name (the patronymic is left out), for blocking:
    ``name_key("Joesoef") == name_key("Yusup") == "YUSUP"``."""
    return " ".join(_analyse(name).given_key)


def strip_titles(name: str) -> tuple[str, tuple[str, ...]]:
    """The name as written without its titles (spaces and separators tidied), and the
    titles as written, in order: ``("Sri Wahyuni", ("Hj.", "S.Pd."))``."""
    analysis = _analyse(name)
    return analysis.bare_text, analysis.titles


def split_patronymic(name: str) -> tuple[str, str | None]:
    """Canonical given name and father's name ("SITI AMINAH", "KASMURI"); the father is None
    when the name has no "bin"/"binti"/"bt." followed by a name."""
    analysis = _analyse(name)
    father = None if analysis.father is None else " ".join(analysis.father)
    return " ".join(analysis.given), father


def display_name(name: str) -> str:
    """The name tidied for people to read, titles kept: single spaces, "Title Case" words,
    degrees' inner capitals ("S.Pd."), and lower-case "bin"/"binti"."""
    text = _COMMA_SPACING.sub(", ", " ".join(name.split())).strip(", ")

    def capitalise(match: re.Match[str]) -> str:
        word = match.group().lower()
        if word in ("bin", "binti") and match.start() > 0:
            return word
        return word[0].upper() + word[1:]

    return _DISPLAY_WORD.sub(capitalise, text)


@lru_cache(maxsize=1 << 16)
def _weight(token: str) -> float:
    light = len(token) == 1 or token in _LIGHT_KEYS or _key_token(token) in _LIGHT_KEYS
    return _LIGHT_WEIGHT if light else 1.0


def _merge_split(tokens: tuple[str, ...], other: tuple[str, ...]) -> tuple[str, ...]:
    """Join neighbours that the other side writes as one word ("NUR HAYATI"/"NURHAYATI")."""
    targets = set(other)
    merged: list[str] = []
    i = 0
    while i < len(tokens):
        if i + 1 < len(tokens):
            joined = _DOUBLED.sub(_FIRST_LETTER, tokens[i] + tokens[i + 1])
            if joined in targets:
                merged.append(joined)
                i += 2
                continue
        merged.append(tokens[i])
        i += 1
    return tuple(merged)


# Per tuple of tokens, what the alignment needs of it: its letters without spaces, doubled
# letters single; its neighbours joined as `_merge_split` joins them; its tokens' weights.
# Plain tuples in a plain dict, which the garbage collector soon skips: with tens of
# thousands of names, collections over cached objects are a good part of the time.
_Side = tuple[str, tuple[str, ...], tuple[float, ...]]
_SIDES: dict[tuple[str, ...], _Side] = {}
_SIDES_MAX = 1 << 17
_WEIGHTS: dict[tuple[float, ...], tuple[float, ...]] = {}


def _side(tokens: tuple[str, ...]) -> _Side:
    side = _SIDES.get(tokens)
    if side is None:
        if len(_SIDES) >= _SIDES_MAX:
            _SIDES.clear()
            _WEIGHTS.clear()
        # Doubled letters squeezed token by token, then across each boundary.
        squeezed = [_squeezed_token(token) for token in tokens]
        text, joins = squeezed[0], []
        for left, right in pairwise(squeezed):
            joins.append(left + (right[1:] if left[-1] == right[0] else right))
            text += right[1:] if text[-1] == right[0] else right
        weights = tuple(map(_weight, tokens))
        weights = _WEIGHTS.setdefault(weights, weights)  # a few dozen distinct ones
        side = _SIDES[tokens] = (text, tuple(joins), weights)
    return side


@lru_cache(maxsize=1 << 16)
def _squeezed_token(token: str) -> str:
    return _DOUBLED.sub(_FIRST_LETTER, token)


def _meet(joins: tuple[str, ...], tokens: tuple[str, ...]) -> bool:
    for joined in joins:  # noqa: SIM110 - a loop, not a generator per pair
        if joined in tokens:
            return True
    return False


def _tokens_similarity(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if a > b:  # one order for both calls, so that ties in the alignment break alike
        a, b = b, a
    squeezed_a, joins_a, weights_a = _side(a)
    squeezed_b, joins_b, weights_b = _side(b)
    if squeezed_a == squeezed_b:
        return _SPACING_SCORE
    penalty = 1.0
    # Merging can only change a side when some joined neighbours are tokens of the other.
    if _meet(joins_a, b) or _meet(joins_b, a):
        merged_a, merged_b = _merge_split(a, b), _merge_split(b, a)
        if (merged_a, merged_b) != (a, b):
            penalty = _SPACING_SCORE
            a, b = merged_a, merged_b
            weights_a, weights_b = _side(a)[2], _side(b)[2]
    return aligned(a, b, weights_a, weights_b, penalty)


def name_similarity(a: str, b: str) -> float:
    """How alike two names are, in [0, 1], symmetric; 1.0 when their keys are equal, 0.0
    when either has no letters (two blank names are no evidence of one person).

    Tolerates token order, a missing token, an initial for a token, typos, old spelling,
    moved spaces and a "bin ..." on one side only. Two different people can still score
    high ("Budi S." and "Budi Sutrisno"): use it with other evidence (NIK, birth date).
    """
    x, y = _analyse(a), _analyse(b)
    if x.full_key == y.full_key:
        return 1.0 if x.full_key else 0.0
    score = _tokens_similarity(x.full_key, y.full_key)
    if (x.father is None) != (y.father is None):
        # The father's name on one side only: compare the given names alone as well.
        score = max(score, _tokens_similarity(x.given_key, y.given_key))
    if x.written_key != x.full_key or y.written_key != y.full_key:
        # Modernising can pull a typo apart ("TEOMINI" stays, "TOEMINI" becomes "TUMINI"):
        # the names as written get their say too.
        score = max(score, _tokens_similarity(x.written_key, y.written_key))
    if score < TOKEN_FULL and (x.plain != x.full_key or y.plain != y.full_key):
        # The phonetic key can also widen a typo in a short name ("AFF" keys to "AP",
        # "AFIF" to "APIP"): the canonical spelling gets its say.
        score = max(score, _tokens_similarity(x.plain, y.plain))
    if score < _SPACING_SCORE and x.letters == y.letters:
        # The same letters as written, a space missing or moved across a spelling the keys
        # fold token by token ("MOCHAMMADHABIB" keys to "MOHAMADABIB", "MOCHAMMAD HABIB" to
        # "MUHAMAD HABIB"; "FATIMAHBINTI SUHARDI").
        score = _SPACING_SCORE
    if score < _CUT_SCORE:
        score = max(score, _cut_short(x.full_key, y.full_key, x, y))
        if score < _CUT_SCORE and (x.plain != x.full_key or y.plain != y.full_key):
            score = max(score, _cut_short(x.plain, y.plain, x, y))
    return score


# A name cut short where a form or an export had no more room ("SITI BADRIYAH KART" for
# "SITI BADRIYAH KARTIKASARI"; "SUHARTINI BINTI SU"): it scores as a name with an initial
# for a token does, not as a token that disagrees. Only for a name of two tokens or more and
# this many letters and spaces, as long as the fields that cut names are: a lone "SRI" is no
# cut "SRIYATUN", nor "MUHAMMAD RIZKI" a cut "MUHAMMAD RIZKIANTO PRATAMA".
_CUT_SCORE = 0.92
_CUT_MIN_LENGTH = 15


def _cut_short(
    x: tuple[str, ...], y: tuple[str, ...], x_name: _Analysis, y_name: _Analysis
) -> float:
    """The similarity of two names' tokens (`x`, `y`, of the names analysed as `x_name`,
    `y_name`) when one name is cut short: its last token (two letters or more) begins the
    other name's token at the same place; the tokens before it are compared as usual, the
    other name's tokens after it are what the cut lost. The cut name, as written (titles
    aside), is `_CUT_MIN_LENGTH` long or more."""
    best = 0.0
    for short, long, written in ((x, y, x_name), (y, x, y_name)):
        n = len(short)
        if n < 2 or n > len(long):
            continue
        cut, whole = short[-1], long[n - 1]
        if (
            len(cut) >= 2
            and len(whole) > len(cut)
            and whole.startswith(cut)
            and len(written.bare_text) >= _CUT_MIN_LENGTH
        ):
            best = max(best, _CUT_SCORE * _tokens_similarity((*short[:-1], whole), long[:n]))
    return best
