"""Near-duplicate strings without comparing every pair.

Similarity is rapidfuzz's ``fuzz.ratio`` (normalised Indel similarity): ``2·LCS / (len a + len b)``.
Candidate pairs come from *prefix filtering* (AllPairs, Bayardo et al. 2007) over characters:
every character of a longest common subsequence is a character both strings share, so two strings
with similarity ≥ t share at least ``ceil(t·(la + lb) / 2)`` characters (as multisets). Ordering each
string's characters rarest first, two such strings must share one of their first
``len − overlap + 1`` characters. Rare characters are the distinctive words of a name, not the
boilerplate (处罚, 未按规定) that defeats n-gram blocking on templated Chinese names, so the
candidate lists stay short. A positional filter (PPJoin, Xiao et al. 2008) drops partners whose
first shared character comes too late to leave enough in common. Both filters are exact: no pair
at or above the threshold is missed (tests/test_similarity.py checks against brute force).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import lru_cache
from itertools import chain

from rapidfuzz import fuzz, process

_EPS = 1e-9  # keep bounds on the safe side of floating-point rounding


@lru_cache(maxsize=262_144)  # the same names recur in many bodies (city and districts)
def _tokens(text: str) -> tuple[str, ...]:
    """Characters as a set: the k-th repeat of a character is its own token (水, 水1, 水2, …)."""
    if len(set(text)) == len(text):
        return tuple(text)
    seen: dict[str, int] = {}
    out = []
    for ch in text:
        k = seen.get(ch, 0)
        seen[ch] = k + 1
        out.append(f"{ch}{k}" if k else ch)
    return tuple(out)


def _min_partner_length(length: int, t: float) -> int:
    # 2·LCS/(la+lb) >= t and LCS <= lb  =>  lb >= t·la/(2−t)
    return max(1, math.ceil(t * length / (2 - t) - _EPS))


def _prefix_length(length: int, t: float) -> int:
    """How many of a string's rarest characters another similar string must touch."""
    overlap = math.ceil(t * (length + _min_partner_length(length, t)) / 2 - _EPS)
    return max(1, min(length, length - overlap + 1))


def similar_pairs(texts: Sequence[str], threshold: float) -> list[tuple[int, int, float]]:
    """Pairs ``(i, j, score)`` with ``i < j`` and ``fuzz.ratio(texts[i], texts[j]) >= threshold·100``.

    ``texts`` should be distinct (collapse exact duplicates first); empty strings are ignored.
    """
    if not 0 < threshold <= 1:
        raise ValueError("threshold must be in (0, 1]")
    cutoff = threshold * 100
    tokens = [_tokens(s) for s in texts]
    freq = Counter(chain.from_iterable(tokens))
    # rank 0 = rarest token; ties broken by the token so that results do not depend on input order
    rank = {tok: r for r, tok in enumerate(sorted(freq, key=lambda tok: (freq[tok], tok)))}
    prefix_len = {n: _prefix_length(n, threshold) for n in {len(s) for s in texts}}
    order = sorted((i for i, s in enumerate(texts) if s), key=lambda i: (len(texts[i]), i))
    # token rank -> (string, the token's position in that string's prefix); strings arrive shortest
    # first, and rapidfuzz's score_cutoff rejects a partner of hopeless length before computing anything
    index: dict[int, list[tuple[int, int]]] = defaultdict(list)
    out: list[tuple[int, int, float]] = []
    for a in order:
        text = texts[a]
        prefix = sorted(map(rank.__getitem__, tokens[a]))[: prefix_len[len(text)]]
        # Positional filter (PPJoin): if the first token two strings share sits at position j of the
        # shorter one, at most len − j tokens can be shared; with len ≤ len(a) that allows j ≤ len(a)·(1−t).
        deepest = math.floor(len(text) * (1 - threshold) + _EPS) + 1
        # One look-up per prefix token, positions filtered on the postings: a loop over positions
        # instead would cost len(prefix) x deepest, quadratic in the name's length.
        found: set[int] = set()
        for r in prefix:
            found.update(b for b, j in index.get(r, ()) if j < deepest)
        if found:
            cands = list(found)
            choices = [texts[b] for b in cands]
            # one call per string: rapidfuzz loops over the candidates in C
            for _, score, k in process.extract(text, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None):
                b = cands[k]
                out.append((min(a, b), max(a, b), score))
        for j, r in enumerate(prefix):
            index[r].append((a, j))
    return out
