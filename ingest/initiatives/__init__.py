"""Initiatives found in the text: named (from the catalogue, the user's list, or by the shape of a name),
described by their parties, or events with a place and time; one identity across articles and languages;
which countries take part, in what role, from the sentence."""
from .catalogue import known
from .extract import find_initiatives
from .names import slug

__all__ = ["find_initiatives", "known", "slug"]
