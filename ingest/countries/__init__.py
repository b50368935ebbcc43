"""Country participation: which countries an article refers to (mentions.py, over the gazetteer in
gazetteer.py) and which take part in which initiative, in what role (participation.py)."""
from .mentions import document_countries, extract_countries
from .participation import extract_participation, load_initiatives

__all__ = ["document_countries", "extract_countries", "extract_participation", "load_initiatives"]
