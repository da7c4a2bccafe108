"""The Dutch report: no English left in the alliance sections, Dutch number separators.

Uses the run of the decision tests (demand of the built-in district, faked sizing and
allocation files) and compares the visible text with the catalogues: every English text that
differs from its Dutch one must be absent from the Dutch allocation and accountability
sections.
"""

import json
import math
import re
import string

import pytest
from report_helpers import make_run, parse, write_decision_files, write_stage_files

from tsg import run_layout as layout
from tsg.cli import main
from tsg.report import build_report
from tsg.report.figures import field_header, format_number, format_value
from tsg.report.i18n import LANGUAGES
from tsg.report.summary_text import summary_text

ALLIANCE_SECTIONS = ("allocation", "accountability")
#: A number with English thousands separators (1,234 or 12,345,678) or decimals (3.4, 12.35).
ENGLISH_THOUSANDS = re.compile(r"(?<![\d.,])[1-9]\d{0,2}(,\d{3})+(?![\d,])")
ENGLISH_DECIMALS = re.compile(r"(?<![\d.,])\d+\.\d{1,2}(?![\d.])")


@pytest.fixture(scope="module")
def dutch_run(tmp_path_factory):
    """The decision run, with a partner paid by one rule (a negative cost share)."""
    run = make_run(tmp_path_factory.mktemp("language") / "run")
    write_stage_files(run)
    write_decision_files(run)
    path = layout.ALLOCATION_JSON.under(run)
    document = json.loads(path.read_text(encoding="utf-8"))
    player = document["players"][0]
    document["negative_shares"] = [
        {
            "rule": "nucleolus",
            "partner": player,
            "cost_eur_per_yr": -1234.5,
            "standalone_eur_per_yr": 300000.0,
            "marginal_saving_eur_per_yr": 45678.9,
            "explanation": "an English sentence written by the allocation stage",
        }
    ]
    path.write_text(json.dumps(document), encoding="utf-8")
    path = layout.DESIGN.under(run)
    design = json.loads(path.read_text(encoding="utf-8"))
    design["co2_avoided_t_per_yr"] = 3456.7  # a field-name label with a unit and decimals
    path.write_text(json.dumps(design), encoding="utf-8")
    return run


def _visible(html: str, ident: str) -> str:
    start = html.index(f'<section id="{ident}"')
    return " ".join("".join(parse(html[start : html.index("</section>", start)]).text).split())


def _literals(text: str) -> list[str]:
    """The literal parts of a catalogue text between its placeholders, trimmed."""
    parts = (literal for literal, _, _, _ in string.Formatter().parse(text))
    return [p.strip(" .,:;()") for p in parts if re.search(r"[A-Za-z]{2}", p)]


def _english_only() -> list[tuple[str, str]]:
    """``(key, text)`` of every English literal that no Dutch text has."""
    english, dutch = LANGUAGES["en"], LANGUAGES["nl"]
    all_dutch = " ".join(dutch.values())
    found = []
    for key, text in english.items():
        if text == dutch[key]:
            continue
        found += [
            (key, part)
            for part in _literals(text)
            # words that Dutch uses too ("of", "core", "partner") tell no English
            if part not in dutch[key] and not _pattern(part).search(all_dutch)
        ]
    return found


def _pattern(fragment: str) -> re.Pattern[str]:
    """The fragment as a whole word (no letters glued to either end); case-insensitive."""
    before = r"(?<![A-Za-z])" if fragment[:1].isalnum() else ""
    after = r"(?![A-Za-z])" if fragment[-1:].isalnum() else ""
    return re.compile(before + re.escape(fragment) + after, re.IGNORECASE)


def test_the_catalogue_comparison_finds_english():
    fragments = dict(_english_only())
    assert fragments["allocation.h_stability"] == "Stability"
    english = "Annual cost per partner under each rule [EUR/yr]"
    assert _pattern(fragments["allocation.caption"]).search(english)
    assert not _pattern("rule").search("regels")
    assert all(part != "of" for _, part in _english_only())  # also a Dutch word


def test_the_english_report_fails_the_comparison(dutch_run):
    html = build_report(dutch_run, lang="en")
    english = _english_only()
    for ident in ALLIANCE_SECTIONS:
        text = _visible(html, ident)
        assert len({part for _, part in english if _pattern(part).search(text)}) > 10, ident


def _without_names(text: str, run) -> str:
    """The text without the names of the district file (data, in the partners' words)."""
    district = json.loads(layout.DISTRICT.under(run).read_text(encoding="utf-8"))
    for kind in ("partners", "buildings", "sources"):
        for item in district.get(kind) or []:
            text = text.replace(str(item.get("name") or item["id"]), " ")
    return text


def test_dutch_alliance_sections_have_no_english(dutch_run):
    html = build_report(dutch_run, lang="nl")
    english = _english_only()
    for ident in ALLIANCE_SECTIONS:
        text = _without_names(_visible(html, ident), dutch_run)
        assert "Verantwoording" in text or "Kostenverdeling" in text
        left = sorted({f"{key}: {part!r}" for key, part in english if _pattern(part).search(text)})
        assert left == [], (ident, left)
    allocation = _visible(html, "allocation")
    assert "Partners die geld ontvangen" in allocation and "1.234,5" not in allocation
    assert "ontvangt 1.234 EUR/jr volgens nucleolus" in allocation  # from the figures
    assert "an English sentence" not in allocation


def test_dutch_alliance_sections_use_dutch_separators(dutch_run):
    html = build_report(dutch_run, lang="nl")
    allocation = _visible(html, "allocation")
    # stand-alone costs 300,000 + 50,000 k of four partners; shapley pays 80 % of them
    assert "1.500.000" in allocation and "240.000" in allocation
    assert "-20.000 .. -12.346" in allocation  # least-core epsilon bounds
    accountability = _visible(html, "accountability")
    assert "Vermeden CO2-uitstoot" in accountability and "3.457" in accountability
    assert "400.000" in accountability or "500.000" in accountability  # gas [m3/yr]
    for ident in ALLIANCE_SECTIONS:
        text = _visible(html, ident)
        assert not ENGLISH_THOUSANDS.search(text), ENGLISH_THOUSANDS.search(text)
        assert not ENGLISH_DECIMALS.search(text), ENGLISH_DECIMALS.search(text)
    english = build_report(dutch_run, lang="en")
    assert "1,500,000" in _visible(english, "allocation")
    assert "-20,000 .. -12,346" in _visible(english, "allocation")


def test_dutch_summary_uses_dutch_separators(dutch_run, capsys):
    assert main(["summary", str(dutch_run), "--lang", "nl"]) == 0
    out = capsys.readouterr().out
    assert "-12.346" in out and "EUR/jr" in out  # least-core epsilon
    assert "240.000" in out  # a partner's cost by the Shapley value
    assert not ENGLISH_THOUSANDS.search(out), ENGLISH_THOUSANDS.search(out)
    english = summary_text(dutch_run, lang="en")
    assert "-12,346" in english and "240,000" in english


@pytest.mark.parametrize(
    ("value", "english", "dutch"),
    [
        (1_234_567.8, "1,235,000", "1.235.000"),  # four significant digits from a million
        (20618.5, "20,618", "20.618"),
        (12.34, "12.3", "12,3"),
        (3.456, "3.46", "3,46"),
        (0.21156, "0.212", "0,212"),
        (-12345.5, "-12,346", "-12.346"),
        (math.nan, "n/a", "n.v.t."),
        (True, "yes", "ja"),
    ],
)
def test_one_number_format_with_the_language(value, english, dutch):
    assert format_number(value) == format_number(value, lang="en") == english
    assert format_number(value, lang="nl") == dutch
    assert format_value(value, lang="nl") == dutch


def test_field_names_read_in_the_language():
    assert field_header("co2_avoided_t_per_yr") == "CO2 avoided [t/yr]"
    assert field_header("co2_avoided_t_per_yr", "nl") == "Vermeden CO2-uitstoot [t/jr]"
    assert field_header("design.gas_m3_per_yr", "nl") == "Ontwerp: gasverbruik [m3/jr]"
    assert field_header("design.co2_eur_per_yr", "en") == "Design: CO2 cost [EUR/yr]"
