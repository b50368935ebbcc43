"""Claim tracing: the claims in one article's text (extractor.py, over sentences, speakers, quantities,
quotations, attributions and hedges) and, across articles, the same claim traced by the tracer."""
from .extractor import EXTRACTOR, extract_claims

__all__ = ["EXTRACTOR", "extract_claims"]
