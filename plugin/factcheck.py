"""What a fact-checker reads first on a claim page, in words rather than on hover: who said it first, through
which outlets it travelled (a republished copy counted once), who rated it when, and whether that rater is
independent of the claim's origin (claim_mentions.status_by / status_independent, from the claims issue; an
archive made before them says "not named"). Pure functions over the claim's mention rows."""

RATED = ("confirmed", "disputed", "denied", "unverified")
MAX_RATINGS = 12
# the claim page reads these mention columns when the archive has them (added by a later schema)
OPTIONAL_MENTION_COLUMNS = ("status_by", "status_independent")


def _date_key(value):
    return value or "9999"


def origin(first, first_mention):
    "{speaker, cited_source, outlet, published, article_id, sentence} of the claim's first appearance."
    if not first:
        return None
    m = first_mention or {}
    return {"speaker": m.get("speaker"), "cited_source": m.get("cited_source"), "outlet": first.get("outlet"),
            "published": first.get("published"), "article_id": first.get("id"), "mention_id": m.get("id"),
            "attribution_mode": m.get("attribution_mode")}


def travel(mentions):
    """The outlets that carried the claim, in the order they first did: [{outlet, first, mentions, copy_of,
    credits}]. A mention in a republished copy (duplicate_of) is listed under its outlet but says whose copy it
    is, and an outlet carrying only copies is marked so (it does not count as another outlet)."""
    by_outlet = {}
    for m in mentions:
        name = m.get("outlet") or "unknown"
        item = by_outlet.setdefault(name, {"outlet": name, "first": None, "mentions": 0, "copies": 0,
                                           "copy_of": set(), "credits": set()})
        item["mentions"] += 1
        if m.get("published") and (item["first"] is None or m["published"] < item["first"]):
            item["first"] = m["published"]
        if m.get("duplicate_of"):
            item["copies"] += 1
            item["copy_of"].add(m.get("original_outlet") or "another outlet")
        if m.get("cited_source") and m["cited_source"] != name:
            item["credits"].add(m["cited_source"])
    out = []
    for item in sorted(by_outlet.values(), key=lambda i: (_date_key(i["first"]), i["outlet"])):
        out.append({"outlet": item["outlet"], "first": item["first"], "mentions": item["mentions"],
                    "only_copies": item["copies"] == item["mentions"], "copy_of": sorted(item["copy_of"]),
                    "credits": sorted(item["credits"])})
    return out


def travel_from_counts(rows):
    "The same from OUTLETS_SQL's (outlet, n, first) groups, for a claim with too many mentions to read."
    return [{"outlet": r["outlet"], "first": r["first"], "mentions": r["n"], "only_copies": False, "copy_of": [],
             "credits": []} for r in sorted(rows, key=lambda r: (_date_key(r["first"]), r["outlet"]))]


def ratings(mentions):
    """Every mention that rates the claim, oldest first: [{status, by, independent, outlet, published,
    mention_id, article_id, hedge}]; `by` None when the archive does not name the rater."""
    out = []
    for m in mentions:
        status = m.get("verification_status")
        if status not in RATED:
            continue
        independent = m.get("status_independent")
        out.append({"status": status, "by": m.get("status_by"),
                    "independent": None if independent is None else bool(independent),
                    "outlet": m.get("outlet"), "published": m.get("published"), "mention_id": m.get("id"),
                    "article_id": m.get("article_id"), "hedge": m.get("hedge_text")})
    out.sort(key=lambda r: (_date_key(r["published"]), r["mention_id"] or 0))
    return out[:MAX_RATINGS]


def verdict(claim):
    "The claim's own status line: status, who it comes from, whether independent, when (claims.status_*)."
    status = claim.get("status") or "none"
    independent = claim.get("status_independent")
    return {"status": status, "by": claim.get("status_by"),
            "independent": None if independent is None else bool(independent), "at": claim.get("status_at")}
