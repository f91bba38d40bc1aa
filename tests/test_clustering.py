"""Property tests of near-duplicate clustering (review.clustering): pure functions."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from review.clustering import cluster, normalise, similarity

# Texts of CJK characters and Latin letters: what comments are made of.
LETTERS = st.sampled_from(list("养老服务收费标准社区建议第三条增加评价机构应当公示价格abcxyz0123"))
TEXTS = st.text(LETTERS, min_size=1, max_size=60)
NOISE = st.text(st.sampled_from(list(" \t\n，。！？、；：“”（）,.!?;:\u3000")), max_size=4)


def clusters_of(texts, **kwargs):
    return cluster(list(enumerate(texts)), **kwargs)


def together(groups, a, b):
    return any(a in g and b in g for g in groups)


@given(TEXTS, st.integers(min_value=2, max_value=6))
def test_identical_texts_always_cluster_together(text, copies):
    groups = clusters_of([text] * copies)
    assert groups == [list(range(copies))]


@given(st.lists(TEXTS, min_size=1, max_size=25), st.randoms(use_true_random=False))
def test_clustering_does_not_depend_on_input_order(texts, rnd):
    items = list(enumerate(texts))
    shuffled = items[:]
    rnd.shuffle(shuffled)
    assert cluster(items) == cluster(shuffled)


@given(TEXTS, st.lists(NOISE, min_size=2, max_size=2), st.booleans())
def test_whitespace_punctuation_and_width_differences_cluster(text, noise, fullwidth):
    variant = noise[0] + " ".join(text) + noise[1]
    if fullwidth:
        variant = variant.replace("a", "ａ").replace("0", "０")
    assert normalise(variant) == normalise(text)
    assert together(clusters_of([text, variant]), 0, 1)


@given(
    st.text(st.sampled_from(list("养老服务收费标准社区建议")), min_size=4, max_size=40),
    st.text(st.sampled_from(list("abcdefghijklmnop")), min_size=4, max_size=40),
)
def test_a_text_never_clusters_with_one_sharing_no_characters(a, b):
    assert similarity(a, b) == 0
    assert not together(clusters_of([a, b]), 0, 1)


@given(st.lists(TEXTS, min_size=0, max_size=30))
def test_every_item_is_in_exactly_one_cluster(texts):
    groups = clusters_of(texts)
    keys = [k for g in groups for k in g]
    assert sorted(keys) == list(range(len(texts)))


@settings(max_examples=60)
@given(st.lists(TEXTS, min_size=2, max_size=15), st.floats(min_value=0.3, max_value=1.0))
def test_the_prefix_filter_finds_every_pair_a_full_comparison_would(texts, threshold):
    """The fast join equals single-linkage over all pairs compared one by one."""
    n = len(texts)
    parent = list(range(n))

    def find(i):
        while parent[i] != i:
            i = parent[i]
        return i

    for i in range(n):
        for j in range(i + 1, n):
            if similarity(texts[i], texts[j]) >= threshold - 1e-9:
                parent[max(find(i), find(j))] = min(find(i), find(j))
    expected = {}
    for i in range(n):
        expected.setdefault(find(i), []).append(i)
    assert sorted(map(sorted, expected.values())) == sorted(clusters_of(texts, threshold=threshold))


def test_a_campaign_among_ordinary_comments_is_one_cluster():
    campaign = "强烈要求取消第五条关于养老机构备案须提交消防验收意见书的规定，增加企业负担！"
    rnd = random.Random(4)
    texts = [campaign.replace("！", rnd.choice(["！", "。", "!!", ""])) for _ in range(40)]
    texts += [
        f"第{n}条建议补充{topic}。"
        for n, topic in enumerate(["过渡期", "收费公示", "投诉渠道", "评价机制"], 1)
    ]
    groups = clusters_of(texts)
    assert groups[0] == list(range(40))
    assert all(len(g) == 1 for g in groups[1:])


def test_one_changed_word_in_a_long_text_still_clusters_but_a_short_different_text_does_not():
    long = "建议在第三条中明确社区养老服务站应当在醒目位置公示服务项目、收费标准和投诉电话，并定期向民政部门报告。"
    assert similarity(long, long.replace("定期", "每季度")) >= 0.8
    assert similarity("同意", "反对") == 0
