"""Near-duplicate clustering of public comments (a campaign's copies answered once).

Pure functions, no database. A text is normalised (NFKC, case folded, every
space, punctuation mark and symbol dropped), cut into overlapping character
pairs (bigrams: Chinese has no spaces to split words on), and two texts are
similar when the Jaccard index of their bigram sets reaches the threshold.
Clusters are the connected components of that relation, so the result does not
depend on the order the comments arrived in.

Candidate pairs come from a prefix filter (the all-pairs similarity join of
Bayardo et al., PPJoin): with the bigrams of each text sorted rarest first, two
sets with Jaccard ≥ t must share a bigram among the first |s| − ⌈t·|s|⌉ + 1 of
each. It is exact — it only skips pairs that cannot reach the threshold — and
keeps 10,000 comments from costing 50 million comparisons.
"""

import math
import unicodedata
from collections import defaultdict

DEFAULT_THRESHOLD = 0.8

# Unicode categories dropped by normalise(): punctuation, symbols, separators, controls.
_DROPPED = ("P", "S", "Z", "C")


def normalise(text):
    """The text with everything that does not change its meaning removed."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return "".join(ch for ch in text if not unicodedata.category(ch).startswith(_DROPPED))


def shingles(normalised):
    """The set of character bigrams (a one-character text is its own shingle)."""
    if len(normalised) < 2:
        return frozenset([normalised]) if normalised else frozenset()
    return frozenset(normalised[i : i + 2] for i in range(len(normalised) - 1))


def jaccard(a, b):
    if not a and not b:
        return 1.0
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def similarity(text_a, text_b):
    """Jaccard similarity of the two texts' bigram sets after normalisation (0..1)."""
    a, b = normalise(text_a), normalise(text_b)
    if a == b:
        return 1.0
    return jaccard(shingles(a), shingles(b))


def _prefix_length(size, threshold):
    return size - math.ceil(threshold * size - 1e-9) + 1


def cluster(items, threshold=DEFAULT_THRESHOLD, normalised=False):
    """Group `items` — (key, text) pairs with hashable, orderable keys — into clusters.

    Returns a list of sorted key lists, largest cluster first, then by first key;
    singletons included. Identical normalised texts are always together. With
    `normalised=True` the texts are taken as already normalised."""
    if not 0 < threshold <= 1:
        raise ValueError("threshold must be in (0, 1]")
    by_text = defaultdict(list)
    for key, text in items:
        by_text[text if normalised else normalise(text)].append(key)
    texts = sorted(by_text)  # distinct normalised texts, in a fixed order
    sets = [shingles(t) for t in texts]

    # Union-find over the distinct texts.
    parent = list(range(len(texts)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i, j):
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)

    frequency = defaultdict(int)
    for s in sets:
        for g in s:
            frequency[g] += 1
    index = defaultdict(list)  # bigram → ids of texts with it in their prefix
    order = sorted(range(len(texts)), key=lambda i: (len(sets[i]), texts[i]))
    for i in order:
        s = sets[i]
        if not s:
            continue  # the empty text is only ever identical to itself
        tokens = sorted(s, key=lambda g: (frequency[g], g))
        prefix = tokens[: _prefix_length(len(tokens), threshold)]
        candidates = set()
        for g in prefix:
            candidates.update(index[g])
        for j in candidates:
            other = sets[j]
            # size filter: |small| / |large| bounds the Jaccard index from above
            if len(other) < threshold * len(s) - 1e-9:
                continue
            if find(i) != find(j) and jaccard(s, other) >= threshold - 1e-9:
                union(i, j)
        for g in prefix:
            index[g].append(i)

    groups = defaultdict(list)
    for i, text in enumerate(texts):
        groups[find(i)].extend(by_text[text])
    result = [sorted(keys) for keys in groups.values()]
    result.sort(key=lambda keys: (-len(keys), keys[0]))
    return result
