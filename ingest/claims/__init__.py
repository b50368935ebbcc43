"""Claim tracing: the claims in one article's text (extractor.py, over sentences, speakers, quantities,
quotations, attributions and hedges) and, across articles, the same claim in any language traced by
the tracer (trace/): extract_claims(text, language) and update_claims(db, article_ids, matcher)."""
from .extractor import EXTRACTOR, extract_claims
from .trace import update_claims

__all__ = ["EXTRACTOR", "extract_claims", "update_claims"]
