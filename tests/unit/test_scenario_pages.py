"""Every named scenario's own page (issue 14, item 4): built from the same renderer as the
calculator, at /calculators/<slug>/scenarios/<name>/, with its answer in the title and the
link-preview description, its own canonical address, and its link copied as that path."""

from __future__ import annotations

import html as htmllib
import json
import re
from pathlib import Path

import pytest

from calculators import REGISTRY
from calculators._api import run
from calculators._data import load_tree
from mkdocs_calculators.scenario_pages import (
    DESCRIPTION_MAX,
    PATH,
    ScenarioPage,
    answer_of,
    named_links,
    scenario_pages,
)

from .test_plugin import ROOT, build_site, make_site

DATA = load_tree(ROOT / "data")
SITE_URL = "http://127.0.0.1:8000/"
NAMED = [(s, n) for s in REGISTRY for n in DATA["calculators"][s].get("scenarios", {})]
BREAK_EVEN = [n for s, n in NAMED if s == "break-even"]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """A tiny site with the payback calculator's own page (and so its scenarios' pages) and
    one guide page (no calculator page, so no pages for the other calculators)."""
    root = tmp_path_factory.mktemp("scenario-site")
    config = make_site(root, "# Home\n\n[[scenario break-even support-chatbot-5k]]\n")
    # The site's own theme overrides write the Open Graph and Twitter tags; search as on the site.
    text = config.read_text(encoding="utf-8").replace(
        "font: false}", f"font: false, custom_dir: {ROOT / 'overrides'}}}"
    )
    text = text.replace("plugins:\n", "plugins:\n  - search\n")
    config.write_text(text, encoding="utf-8")
    (root / "docs" / "calculators").mkdir()
    (root / "docs" / "calculators" / "break-even.md").write_text(
        "# Fine-tuning payback\n\n[[calculator break-even]]\n", encoding="utf-8"
    )
    return build_site(config)


def _page(site: Path, name: str) -> str:
    path = site / PATH.format(slug="break-even", name=name) / "index.html"
    return path.read_text(encoding="utf-8")


def _attr(html: str, pattern: str) -> str:
    m = re.search(pattern, html)
    assert m, pattern
    return htmllib.unescape(m.group(1))


def test_answer_is_the_calculators_own_when_it_writes_one():
    assert answer_of({"answer": "Pays back in 3.1 months.", "summary": "Other. Text."}) == (
        "Pays back in 3.1 months."
    )


def test_answer_falls_back_to_the_summarys_first_sentence_not_cut_at_a_decimal_point():
    summary = "It pays back in 3.1 months at $2.50 per 1M tokens. Assumes 30 days a month."
    assert answer_of({"summary": summary}) == "It pays back in 3.1 months at $2.50 per 1M tokens."
    assert answer_of({"summary": "No full stop"}) == "No full stop"


def test_every_named_scenario_has_a_page_at_its_stable_path():
    pages = list(scenario_pages(DATA))
    assert [(p.slug, p.name) for p in pages] == NAMED
    for p in pages:
        assert p.path == f"calculators/{p.slug}/scenarios/{p.name}/"
        assert p.src_uri == f"calculators/{p.slug}/scenarios/{p.name}.md"
        outcome = run(p.slug, {"scenario": p.name}, DATA)
        assert p.answer == answer_of(outcome) and p.answer
        # The query the browser gets back from Python for the same values.
        assert p.query == outcome["query"]


def test_the_page_source_is_the_calculator_marker_opened_on_the_scenario():
    page = next(p for p in scenario_pages(DATA) if p.name == "support-chatbot-5k")
    text = page.markdown()
    front = dict(line.split(": ", 1) for line in text.split("---")[1].strip().splitlines())
    assert json.loads(front["title"]) == page.title
    assert json.loads(front["preview_title"]).startswith(page.answer)
    assert json.loads(front["description"]) == page.description()
    assert json.loads(front["search"]) == {"exclude": True}
    assert "[[calculator break-even scenario=support-chatbot-5k]]" in text
    assert "(../../break-even.md)" in text


def test_the_description_carries_the_answer_within_the_preview_limit():
    for page in scenario_pages(DATA):
        text = page.description()
        assert 30 <= len(text) <= DESCRIPTION_MAX, (page.name, text)
        assert page.answer in text or (text.endswith("…") and page.answer.startswith(text[:-1]))
    short = ScenarioPage("x", "a", "Short title", "Pays back in 3.1 months.", "v=2")
    assert short.description() == "Short title: Pays back in 3.1 months."
    long = ScenarioPage("x", "a", "T" * 190, "Pays back in 3.1 months.", "v=2")
    assert long.description() == "Pays back in 3.1 months."
    words = ScenarioPage("x", "a", "T", "word " * 60, "v=2").description()
    assert len(words) <= DESCRIPTION_MAX and words.endswith("word…")


@pytest.mark.parametrize("name", BREAK_EVEN)
def test_built_page_carries_answer_canonical_values_and_its_own_link(site, name):
    html = _page(site, name)
    outcome = run("break-even", {"scenario": name}, DATA)
    answer = htmllib.escape(answer_of(outcome), quote=False)
    url = SITE_URL + PATH.format(slug="break-even", name=name)
    assert re.search(r"<title>[^<]*" + re.escape(answer), html)
    description = _attr(html, r'<meta name="description" content="([^"]*)"')
    assert description.rstrip("…") in htmllib.unescape(answer) or answer in description
    assert _attr(html, r'<meta property="og:description" content="([^"]*)"') == description
    assert answer in _attr(html, r'<meta property="og:title" content="([^"]*)"')
    assert _attr(html, r'<link rel="canonical" href="([^"]*)"') == url
    assert _attr(html, r'<meta property="og:url" content="([^"]*)"') == url
    # Back to the calculator's own page.
    assert 'href="../../"' in html
    # The form and results come pre-rendered from the scenario's values.
    for key, value in outcome["inputs"].items():
        field = re.search(rf'<(?:input|select)\b[^>]*\bname="{re.escape(key)}"[^>]*>', html)
        assert field, key
        if 'type="text"' in field.group(0):
            assert f'value="{htmllib.escape(value)}"' in field.group(0), key
    for key, shown in outcome["display"].items():
        if shown:
            assert f'data-output="{key}"' in html and htmllib.escape(shown) in html, key
    # Unedited, its link is its own page; edits link to the calculator's page.
    assert _attr(html, r'data-scenario-link href="([^"]*)"') == url
    assert _attr(html, r'data-link-page="([^"]*)"') == "calculators/break-even/"
    assert 'data-handout="true"' in html


def test_the_pages_stay_out_of_search_and_in_the_sitemap(site):
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = [d["location"] for d in index["docs"]]
    assert "calculators/break-even/" in locations
    assert not [loc for loc in locations if "/scenarios/" in loc]
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    for name in BREAK_EVEN:
        assert f"<loc>{SITE_URL}calculators/break-even/scenarios/{name}/</loc>" in sitemap


def test_only_calculators_with_a_page_get_scenario_pages(site):
    assert not (site / "calculators" / "total-cost").exists()
    assert not [p for p in (site / "calculators").rglob("*.md")]


def test_the_calculator_page_names_each_scenario_page_by_its_query(site):
    html = (site / "calculators" / "break-even" / "index.html").read_text(encoding="utf-8")
    named = json.loads(_attr(html, r'data-named="([^"]*)"'))
    pages = [p for p in scenario_pages(DATA) if p.slug == "break-even"]
    plain = run("break-even", {}, DATA)["query"]
    assert named == {p.query: p.path for p in reversed(pages) if p.query != plain}
    # Untouched defaults keep the calculator's own link, though a scenario equals them.
    assert _attr(html, r'data-scenario-link href="([^"]*)"') == (
        f"{SITE_URL}calculators/break-even/?{htmllib.unescape(plain)}"
    )


def test_a_scenario_of_the_defaults_is_named_only_on_its_own_page():
    a = ScenarioPage("x", "a", "A", "A.", "v=2")
    b = ScenarioPage("x", "b", "B", "B.", "n=1&v=2")
    other = ScenarioPage("y", "c", "C", "C.", "n=2&v=2")
    pages = [a, b, other]
    assert named_links(pages, "x", "v=2") == {"n=1&v=2": b.path}
    assert named_links(pages, "x", "v=2", here=a) == {"v=2": a.path, "n=1&v=2": b.path}
    assert named_links(pages, "x", "v=2", here=b) == {"n=1&v=2": b.path}
