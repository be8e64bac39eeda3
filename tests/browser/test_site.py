"""Every page of the built site: accessibility, privacy, meta tags for link previews, links."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from .conftest import site_pages

ROOT = Path(__file__).resolve().parents[2]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        for name in ("href", "src"):
            if a.get(name) and not (tag == "link" and a.get("rel") in ("canonical", "alternate")):
                self.links.append(a[name])


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _target(site_dir: Path, page_dir: str, href: str, base_url: str) -> tuple[Path, str] | None:
    """The file and fragment an internal link points to; None for external or special links."""
    page_url = base_url + page_dir
    absolute = urljoin(page_url, href)
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https") or not absolute.startswith(base_url):
        return None
    rel = unquote(parts.path[len(urlsplit(base_url).path) :])
    path = site_dir / rel
    if rel == "" or rel.endswith("/"):
        path = path / "index.html"
    return path, parts.fragment


def test_every_internal_link_and_anchor_resolves(site):
    base_url, site_dir = site
    broken = []
    parsed: dict[Path, _Links] = {}
    for page_dir in site_pages(site_dir):
        page_file = site_dir / page_dir / "index.html"
        for href in _parse(page_file).links:
            target = _target(site_dir, page_dir, href, base_url)
            if target is None:
                continue
            path, fragment = target
            if not path.is_file():
                broken.append(f"/{page_dir}: {href} (no file)")
                continue
            if fragment and path.suffix == ".html":
                ids = parsed.setdefault(path, _parse(path)).ids
                if fragment not in ids:
                    broken.append(f"/{page_dir}: {href} (no #{fragment})")
    assert broken == []


def test_published_links_still_resolve(site):
    """tests/published_links.txt lists URLs that have been sent out; each must keep working."""
    _, site_dir = site
    missing = []
    for line in (ROOT / "tests" / "published_links.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        path_part, _, fragment = line.partition("#")
        path = site_dir / path_part.split("?")[0].lstrip("/")
        if not path_part.split("?")[0].endswith(".html"):
            path = path / "index.html"
        if not path.is_file():
            missing.append(f"{line} (no page)")
            continue
        text = path.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in text[:3000]:
            continue  # a redirect page left by mkdocs-redirects for a moved page
        if fragment and fragment not in _parse(path).ids:
            missing.append(f"{line} (no anchor)")
    assert missing == []


def test_every_page_has_link_preview_meta(page: Page, site):
    base_url, site_dir = site
    for page_dir in site_pages(site_dir):
        page.goto(base_url + page_dir, wait_until="domcontentloaded")
        head = page.locator("head")
        for selector in (
            'meta[name="description"]',
            'meta[property="og:title"]',
            'meta[property="og:description"]',
            'meta[property="og:url"]',
            'meta[name="twitter:card"]',
            'link[rel="canonical"]',
        ):
            expect(head.locator(selector), f"/{page_dir} {selector}").to_have_count(1)
        expect(page).to_have_title(re.compile(r"\S"))
        description = head.locator('meta[name="description"]').get_attribute("content") or ""
        assert 30 <= len(description) <= 200, f"/{page_dir}: description {description!r}"
        canonical = head.locator('link[rel="canonical"]').get_attribute("href")
        assert canonical == base_url + page_dir


def test_calculator_previews_name_the_calculator(page: Page, base_url):
    page.goto(base_url + "calculators/break-even/?calls-per-day=5000&v=1")
    title = page.locator('meta[property="og:title"]').get_attribute("content")
    assert "payback" in title.lower() and "calculator" in title.lower()


def test_no_page_requests_another_origin(page: Page, site, requests_seen):
    base_url, site_dir = site
    origin = urlsplit(base_url).netloc
    for page_dir in site_pages(site_dir):
        page.goto(base_url + page_dir, wait_until="networkidle")
    foreign = [
        u
        for u in requests_seen
        if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).netloc != origin
    ]
    assert foreign == []


def test_pages_without_a_calculator_load_no_pyodide(page: Page, site, requests_seen):
    base_url, site_dir = site
    for page_dir in site_pages(site_dir):
        if "tob-calc" in (site_dir / page_dir / "index.html").read_text(encoding="utf-8"):
            continue
        requests_seen.clear()
        page.goto(base_url + page_dir, wait_until="networkidle")
        assert [u for u in requests_seen if "/pyodide/" in u or "/assets/calc/worker" in u] == [], (
            page_dir
        )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations_on_any_page(browser, site, scheme):
    base_url, site_dir = site
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    axe = Axe()
    report = {}
    for page_dir in site_pages(site_dir):
        page.goto(base_url + page_dir, wait_until="networkidle")
        result = axe.run(page)
        if result.violations_count:
            report[page_dir] = [
                f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}"
                for v in result.response["violations"]
            ]
    context.close()
    assert report == {}
