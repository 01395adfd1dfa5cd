"""How alike two name tokens are, and how well two names' tokens pair up: the token level of
`lindung.domain.names.name_similarity` (see there for what the tokens are)."""

from functools import lru_cache

from rapidfuzz.distance import OSA, JaroWinkler, LCSseq

INITIAL_SCORE = 0.85  # "S" against "SANTOSO": plausible, not proof
TOKEN_FULL = 0.85  # a token pair at least this alike counts at face value ...
TOKEN_NONE = 0.65  # ... below this it counts as no match, and in between it fades out
MISSING_WEIGHT = 0.35  # a token one side lacks costs less than one that disagrees


def jaro_winkler(a: str, b: str) -> float:
    """Jaro-Winkler similarity: Jaro's matches within half the longer length, Winkler's
    boost of 0,1 per shared leading letter (up to four) only above 0,7. rapidfuzz's, which
    gives the same figures to the last bit as the plain Python this replaced (checked on
    900.000 pairs of Tulungagung name tokens, their typos and short strings of three
    letters; tests/domain/test_names.py keeps a few)."""
    return float(JaroWinkler.similarity(a, b, prefix_weight=0.1))


# Token pairs' scores, the pair in sorted order, in a plain dict emptied when full: an LRU
# cache's links are so many more objects for the garbage collector to walk.
_TOKEN_SCORES: dict[tuple[str, str], float] = {}
_TOKEN_SCORES_MAX = 1 << 18


def token_similarity(a: str, b: str) -> float:
    """How alike two tokens are, in [0, 1]; 0 for no match (`TOKEN_NONE`)."""
    pair = (a, b) if a < b else (b, a)
    score = _TOKEN_SCORES.get(pair)
    return _scored(pair) if score is None else score


def _scored(pair: tuple[str, str]) -> float:
    if len(_TOKEN_SCORES) >= _TOKEN_SCORES_MAX:
        _TOKEN_SCORES.clear()
    score = _TOKEN_SCORES[pair] = _token_score(*pair)
    return score


def _token_score(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if len(a) == 1 or len(b) == 1:
        return INITIAL_SCORE if a[0] == b[0] else 0.0
    # Jaro-Winkler alone rates Javanese names that share "SU-" or "-NO" too high
    # ("SUWARNI"/"SUNARTI" 0.92); the edit ratio counts the letters that differ, and the
    # mean keeps one typo high while two or more pull the score down.
    longer = max(len(a), len(b))
    jw = JaroWinkler.similarity(a, b, prefix_weight=0.1)
    # At least (longer - shared letters) edits are needed: when even that best case cannot
    # lift the pair out of the no-match range, skip the quadratic edit distance. The shared
    # letters are at most the shorter token's, and they are the longest common subsequence
    # of the two tokens' letters in sorted order.
    if jw + min(len(a), len(b)) / longer <= 2 * TOKEN_NONE:
        return 0.0
    shared = LCSseq.similarity(sorted_letters(a), sorted_letters(b))
    if jw + shared / longer <= 2 * TOKEN_NONE:
        return 0.0
    # Optimal string alignment: swapping two neighbours is one edit ("SUWARIN"/"SUWARNI").
    edits = OSA.distance(a, b)
    if edits == 1 and shared == longer == min(len(a), len(b)):
        # Two neighbouring letters swapped ("SIR"/"SRI", "SUWARIN"/"SUWARNI"): one slip of
        # the fingers, however short the name.
        return max(TOKEN_FULL, (jw + 1 - edits / longer) / 2)
    score = (jw + 1 - edits / longer) / 2
    if score >= TOKEN_FULL:
        return score
    # Fade the middle range out, so that a token like "SANTOSO" against "HARTONO" counts as
    # a mismatch rather than as two thirds of a match.
    return max(0.0, score * (score - TOKEN_NONE) / (TOKEN_FULL - TOKEN_NONE))


@lru_cache(maxsize=1 << 16)
def sorted_letters(token: str) -> str:
    return "".join(sorted(token))


def aligned(
    a: tuple[str, ...],
    b: tuple[str, ...],
    weights_a: tuple[float, ...],
    weights_b: tuple[float, ...],
    penalty: float,
) -> float:
    """How alike two names' tokens are, `weights_a` and `weights_b` the tokens' weights,
    `penalty` a factor for the spaces moved between them."""
    # Greedy one-to-one alignment, best pairs first: names are two to four tokens, and
    # the best pair is nearly always part of the best assignment. Pairs scoring 0 never
    # match; the alignment is over once the shorter side is all matched.
    scores = _TOKEN_SCORES
    pairs = []
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            pair = (x, y) if x < y else (y, x)
            score = scores.get(pair)
            if score is None:
                score = _scored(pair)
            if score > 0.0:
                pairs.append((score, i, j))
    pairs.sort(reverse=True)
    left_a, left_b = list(weights_a), list(weights_b)  # 0.0 once matched
    unpaired = min(len(a), len(b))
    matched = total = 0.0
    for score, i, j in pairs:
        weight_a, weight_b = left_a[i], left_b[j]
        if weight_a and weight_b:
            left_a[i] = left_b[j] = 0.0
            pair_weight = weight_a + weight_b
            matched += score * pair_weight
            total += pair_weight
            unpaired -= 1
            if not unpaired:
                break
    # Weights are halves and ones: their sums are exact in any order.
    unmatched = sum(left_a) + sum(left_b)
    # Leftovers on one side only are tokens that side lacks ("M. Rizki" against "Muhammad
    # Rizki Pratama"); leftovers on both sides are tokens that disagree.
    total += unmatched if unpaired else unmatched * MISSING_WEIGHT
    return penalty * matched / total if total else 0.0
