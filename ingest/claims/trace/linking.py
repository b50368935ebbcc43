"""Do two mentions state the same claim? Overlap of their tokens against thresholds (across languages the
neutral tokens only), and with --matcher model the cosine similarity of their sentence embeddings."""

# Link thresholds on content tokens (quantity anchors left out): shared count, Dice, overlap coefficient.
SAME_FIGURE = (2, 0.30, 0.5)  # a quantity anchor in common: the words need only agree a little
VARIANT = (3, 0.50, 0.6)  # same unit, different value: the words must agree well
NO_FIGURE = (2, 0.55, 0.65)  # no figure in common
CROSS_UNCOVERED_WEIGHT = 0.5
# --matcher model: cosine similarity of the sentence embeddings that links a pair the rules did not, by
# what the figures say (calibrated on the test fixtures and scripts/eval_tatoeba.py).
MODEL_SAME_FIGURE = 0.60  # and one more token in common
MODEL_VARIANT = 0.80
MODEL_NO_FIGURE = 0.70  # and two tokens in common (translations of news sentences: about 0.63-0.77)


def _passes(a, b, limits, strict=False, sizes=None):
    need, dice_min, overlap_min = limits
    if not a or not b:
        return False
    common = a & b
    # the speaker places a claim but does not say what it is, countries only half: the rest must agree too
    if sum(0 if t[0] == "s" else 0.5 if t[0] == "c" else 1 for t in common) < need:
        return False
    size_a, size_b = sizes or (len(a), len(b))
    dice = 2 * len(common) / (size_a + size_b)
    overlap = len(common) / min(size_a, size_b)
    if limits is SAME_FIGURE and not strict:
        return dice >= dice_min or overlap >= overlap_min
    return dice >= dice_min and overlap >= overlap_min


def _cross_size(f):
    """Size of a mention seen across languages: its neutral tokens plus a share of the words the lexicon did
    not cover — a sentence that says much more than its few lexicon words must not look identical."""
    words = len(f["surface"]) / 2 if f["zh"] else len(f["surface"])
    return len(f["neutral"]) + CROSS_UNCOVERED_WEIGHT * words


def similarity(fa, fb):
    """Dice similarity of two mentions' features as the rules see them: across languages the neutral tokens
    (and figures) only, a sentence's uncovered words counted at CROSS_UNCOVERED_WEIGHT."""
    if fa["zh"] != fb["zh"]:
        a, b = fa["neutral"] | fa["anchors"], fb["neutral"] | fb["anchors"]
        size = _cross_size(fa) + len(fa["anchors"]) + _cross_size(fb) + len(fb["anchors"])
    else:
        a, b = fa["neutral"] | fa["surface"] | fa["anchors"], fb["neutral"] | fb["surface"] | fb["anchors"]
        size = len(a) + len(b)
    return 2 * len(a & b) / size if size else 0.0


def linked(ma, fa, mb, fb, sim=None):
    """Do two mentions state the same claim? (ma/mb: the mention rows, for their article ids; sim: the
    cosine similarity of their embeddings, with --matcher model)"""
    if _linked_by_rules(ma, fa, mb, fb):
        return True
    return sim is not None and _linked_by_model(ma, fa, mb, fb, sim)


def _linked_by_model(ma, fa, mb, fb, sim):
    if ma["article_id"] == mb["article_id"]:
        return False  # one article restates its own figures in several sentences about different things
    if not model_could_link(fa, fb):
        return False
    if fa["anchors"] & fb["anchors"]:
        return sim >= MODEL_SAME_FIGURE
    if set(fa["units"]) & set(fb["units"]):
        return sim >= MODEL_VARIANT
    return sim >= MODEL_NO_FIGURE


def model_could_link(fa, fb):
    """Whatever the similarity, the model links two mentions only if their sentences name two things in common
    (figures, concepts, countries, names): pairs with fewer need no embedding."""
    return len((fa["neutral"] | fa["anchors"]) & (fb["neutral"] | fb["anchors"])) >= 2


def _linked_by_rules(ma, fa, mb, fb):
    sizes = None
    if fa["zh"] != fb["zh"]:
        a, b = fa["neutral"], fb["neutral"]
        sizes = (_cross_size(fa), _cross_size(fb))
    else:
        a, b = fa["neutral"] | fa["surface"], fb["neutral"] | fb["surface"]
    same_article = ma["article_id"] == mb["article_id"]
    if fa["anchors"] & fb["anchors"]:
        # one article names a figure in several sentences about different things: ask more of the words
        return _passes(a, b, SAME_FIGURE, strict=same_article and fa["zh"] == fb["zh"], sizes=sizes)
    if set(fa["units"]) & set(fb["units"]):
        # the same kind of figure with other values: a variant, never inside one article
        return not same_article and _passes(a, b, VARIANT, sizes=sizes)
    return _passes(a, b, NO_FIGURE, sizes=sizes)
