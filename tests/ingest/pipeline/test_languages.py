"""The pipeline runs on every language an archive meets, not only English and Chinese."""
import pytest

from newstrace.ingest.pipeline import analyze_text

TEXTS = {
    "de": 'Die Regierung in Berlin sagte am Dienstag, dass 50 Prozent der Mittel fehlen. "Wir werden handeln", '
          "sagte die Ministerin. Frankreich und Polen wollen ebenfalls mitmachen.",
    "fr": "Le gouvernement a déclaré mardi que 50 % des fonds manquent, selon Le Monde. « Nous agirons », "
          "a dit la ministre à Paris.",
    "es": "El gobierno de México anunció que invertirá 2.000 millones de dólares, según fuentes oficiales.",
    "pl": "Rząd w Warszawie poinformował, że 30 proc. środków trafi do Ukrainy.",
    "ja": "日本政府は火曜日、重要鉱物の供給網について米国と協力すると発表した。",
    "ko": "한국 정부는 핵심 광물 공급망에 대해 미국과 협력하겠다고 밝혔다.",
    "ru": "Правительство России заявило во вторник, что 40% поставок будут сокращены.",
}


@pytest.mark.parametrize("language", sorted(TEXTS))
def test_analyze_text_in_other_languages(language):
    text = TEXTS[language]
    derived = analyze_text(text, language)
    assert set(derived) >= {"claims", "countries", "country_mentions", "participation", "claimed"}
    for item in derived["claims"] + derived["country_mentions"]:
        assert 0 <= item["char_start"] < item["char_end"] <= len(text)
