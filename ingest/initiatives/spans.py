"""Position lookups that keep a page's analysis linear in its length (issue 15's bound, tests/ingest/pipeline/
test_bounds.py): country mentions found by bisection rather than a scan per sentence or per hit, and
overlap checks against the spans taken so far in time that does not grow with the page."""
from bisect import bisect_left, bisect_right


class Mentions(list):
    "Country mentions sorted by char_start; iterates like the list it is."

    def __init__(self, mentions=()):
        super().__init__(sorted(mentions, key=lambda m: m["char_start"]))
        self.starts = [m["char_start"] for m in self]

    def starting(self, lo, hi):
        "The mentions that start in [lo, hi)."
        return self[bisect_left(self.starts, lo):bisect_left(self.starts, hi)]

    def within(self, lo, hi):
        "The mentions inside [lo, hi]."
        return [m for m in self.starting(lo, hi) if m["char_end"] <= hi]

    def at(self, pos):
        "The mentions that start at pos."
        return self.starting(pos, pos + 1)


class Intervals:
    "Spans added in any order; whether a new one overlaps one of them (names are short: look back that far)."

    def __init__(self):
        self.starts, self.ends, self.longest = [], [], 0

    def add(self, start, end):
        i = bisect_right(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)
        self.longest = max(self.longest, end - start)

    def overlaps(self, start, end):
        lo, hi = bisect_left(self.starts, start - self.longest), bisect_left(self.starts, end)
        return any(self.ends[j] > start for j in range(lo, hi))


class Nearby:
    """One sentence's initiative spans (kept in the order given, sorted by start) looked up around a position:
    a run-on sentence naming many countries and initiatives stays linear (rules read a bounded gap)."""

    def __init__(self, spans):
        self.spans = list(spans)
        self.starts = [sp["start"] for sp in self.spans]
        self.longest = max((sp["end"] - sp["start"] for sp in self.spans), default=0)
        # for each i, the index of the span with the largest end among spans[:i + 1] (the first such)
        self.best_end, best = [], None
        for i, sp in enumerate(self.spans):
            if best is None or sp["end"] > self.spans[best]["end"]:
                best = i
            self.best_end.append(best)

    def around(self, lo, hi):
        "The spans that reach [lo, hi]: start <= hi and end >= lo, in order."
        i, j = bisect_left(self.starts, lo - self.longest), bisect_right(self.starts, hi)
        return [sp for sp in self.spans[i:j] if sp["end"] >= lo]

    def nearest(self, start, end):
        """The span nearest a mention at [start, end): the first that begins after it (by its start) or, among
        those that begin before its end, the one reaching furthest (a covering span first); ties go to the
        earlier span, as min() over the spans in order would."""
        i = bisect_left(self.starts, end)
        after = self.spans[i] if i < len(self.spans) else None
        before = self.spans[self.best_end[i - 1]] if i else None
        if before is None:
            return after
        if after is None or start - before["end"] <= after["start"] - end:
            return before
        return after

    def nearest_start(self, pos):
        "The span whose start is nearest pos (the earlier on a tie)."
        i = bisect_left(self.starts, pos)
        best = None
        if i:
            best = self.spans[bisect_left(self.starts, self.starts[i - 1])]
        if i < len(self.spans) and (best is None or self.starts[i] - pos < pos - best["start"]):
            best = self.spans[i]
        return best
