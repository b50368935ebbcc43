"""A claim as schema.org JSON-LD (/{db}/-/claims/{id}.jsonld): a Claim with its appearances, in a
ClaimReview only when a named party independent of the claim's origin confirmed, disputed or denied it
(status_by, status_independent = 1). Outlets and organisations are Organization, people Person."""
from newstrace.ingest.claims.speakers import party_type
from newstrace.ingest.claims.trace import canonical_speaker

# a reviewer's rating: what schema.org ClaimReview carries (1 = false .. 5 = true)
RATINGS = {"confirmed": (5, "Confirmed"), "disputed": (2, "Disputed"), "denied": (1, "Denied")}


def _creative_work(m):
    work = {"@type": "CreativeWork", "url": m.get("canonical_url") or m.get("url"), "headline": m.get("title"),
            "datePublished": m.get("published"), "inLanguage": m.get("lang") or m.get("language")}
    if m.get("outlet"):
        work["publisher"] = {"@type": "Organization", "name": m["outlet"]}
    return {k: v for k, v in work.items() if v is not None}


def jsonld(claim, mentions, first, page_url):
    appearances, seen = [], set()
    for m in mentions:
        if m["article_id"] not in seen:
            seen.add(m["article_id"])
            appearances.append(_creative_work(m))
    item = {"@type": "Claim", "@id": page_url, "text": claim["claim_text"], "datePublished": claim["first_seen"],
            "appearance": appearances}
    if claim["speaker"]:
        item["author"] = {"@type": party_type(claim["speaker"]), "name": claim["speaker"]}
    if first:
        item["firstAppearance"] = _creative_work(first)
    # a rating exists only when a named party, independent of the claim's origin, confirmed, disputed or denied it
    rated = [m for m in mentions if m["verification_status"] in RATINGS and m.get("status_by")
             and m.get("status_independent") == 1]
    if not rated:
        return {"@context": "https://schema.org", **{k: v for k, v in item.items() if v is not None}}
    review = rated[-1]
    value, name = RATINGS[review["verification_status"]]
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": claim["claim_text"],
        "itemReviewed": {k: v for k, v in item.items() if v is not None},
        "author": {"@type": party_type(review["status_by"]), "name": canonical_speaker(review["status_by"])},
        "datePublished": review["published"],
        "url": review.get("canonical_url") or review.get("url"),
        "reviewBody": review["hedge_text"] or review["sentence"],
        "reviewRating": {"@type": "Rating", "ratingValue": value, "bestRating": 5, "worstRating": 1,
                         "alternateName": name},
    }
