"""Every page of the built site: accessibility, privacy, meta tags for link previews, links."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, unquote, urljoin, urlsplit, urlunsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from calculators import REGISTRY, get
from mkdocs_calculators.sitelinks import read_list, redirect_target, site_links

from .conftest import site_pages
from .pages import bring_every_calculator_live

ROOT = Path(__file__).resolve().parents[2]
PUBLISHED = ROOT / "tests" / "published_links.txt"


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


def _resolve(site_dir: Path, link: str, hops: int = 0) -> tuple[Path, str, str]:
    """(page file, query, fragment) that a published link lands on, redirects followed."""
    parts = urlsplit(link)
    path = site_dir / parts.path.lstrip("/")
    if not parts.path.endswith(".html"):
        path = path / "index.html"
    if not path.is_file():
        raise LookupError(f"{link} (no page)")
    target = redirect_target(path.read_text(encoding="utf-8"))
    if target is not None and hops < 5:
        moved = urljoin(parts.path, target)
        kept = urlsplit(moved)
        # The redirect keeps the query and the fragment unless it names its own.
        return _resolve(
            site_dir,
            urlunsplit(
                ("", "", kept.path, kept.query or parts.query, kept.fragment or parts.fragment)
            ),
            hops + 1,
        )
    return path, parts.query, parts.fragment


def test_published_links_still_resolve(site):
    """tests/published_links.txt lists URLs that have been sent out; each must keep working:
    the page (or a redirect to it), the #section, and every scenario parameter."""
    _, site_dir = site
    broken = []
    for link in read_list(PUBLISHED):
        try:
            path, query, fragment = _resolve(site_dir, link)
        except LookupError as exc:
            broken.append(str(exc))
            continue
        if fragment and fragment not in _parse(path).ids:
            broken.append(f"{link} (no #{fragment})")
        slug = path.parent.name
        if query and slug in REGISTRY:
            known = {"v"} | {n for spec in get(slug).specs for n in (spec.name, *spec.aliases)}
            unknown = [k for k in parse_qs(query, keep_blank_values=True) if k not in known]
            if unknown:
                broken.append(f"{link} (parameters no longer accepted: {unknown})")
    assert broken == []


def test_every_page_and_section_is_in_the_published_list(site):
    """New pages and sections join the list (make links), so they are protected from then on."""
    _, site_dir = site
    listed = set(read_list(PUBLISHED))
    missing = [link for link in site_links(site_dir) if link not in listed]
    assert missing == [], "run `make links` to add them to tests/published_links.txt"


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
    """Every page, with every calculator on it used and live (Python starts on intent),
    requests nothing from another host."""
    base_url, site_dir = site
    origin = urlsplit(base_url).netloc
    live = 0
    for page_dir in site_pages(site_dir):
        page.goto(base_url + page_dir, wait_until="networkidle")
        live += bring_every_calculator_live(page)
        page.wait_for_load_state("networkidle")
    calculators = sum(
        (site_dir / d / "index.html").read_text(encoding="utf-8").count('class="tob-calc"')
        for d in site_pages(site_dir)
    )
    assert live == calculators > 0
    assert any(u.endswith("pyodide.asm.wasm") for u in requests_seen)
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


def test_a_sections_link_is_visible_and_copies_its_address(browser, base_url):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(base_url + "guides/decision/")
    link = page.locator("h2#rag").get_by_role(
        "link", name="Copy a link to this section: Add retrieval when the gap is knowledge"
    )
    expect(link).to_be_visible()  # not only on hover
    link.click()
    expect(page.get_by_text("Link to this section copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == base_url + "guides/decision/#rag"
    # (The address bar is not checked: the theme's navigation.tracking rewrites its #hash to
    # whichever section is in view once the page has scrolled.)
    context.close()


def test_the_page_title_shows_its_link_only_on_focus(page: Page, base_url):
    page.goto(base_url + "guides/decision/")
    link = page.locator("h1#decision").get_by_role("link")
    expect(link).to_have_css("opacity", "0")  # no permanent "#" after the title
    link.focus()  # still reachable from the keyboard, and shown when reached
    expect(link).to_have_css("opacity", "1")
    expect(page.locator("h2#rag").get_by_role("link")).to_have_css("opacity", "1")


CSP_WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__violations.push(`${e.violatedDirective}: ${e.blockedURI || "inline"}`));
"""


def test_every_page_runs_under_the_strict_csp(browser, site):
    """The test server sends the policy of docs/about.md#csp; no page may trip it or log an
    error, and every calculator still goes live under it."""
    base_url, site_dir = site
    context = browser.new_context()
    context.add_init_script(CSP_WATCH)
    page = context.new_page()
    errors: list[str] = []
    page.on(
        "console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None
    )
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    report = {}
    for page_dir in site_pages(site_dir):
        page.goto(base_url + page_dir, wait_until="networkidle")
        bring_every_calculator_live(page)
        violations = page.evaluate("window.__violations")
        if violations:
            report[page_dir] = violations
    context.close()
    assert report == {}
    assert errors == []


def test_a_calculator_far_down_a_guide_starts_python_only_when_used(page: Page, base_url):
    """The decision guide ends with a calculator: a reader who scrolls past it without using it
    downloads none of Python; using it starts it, and what they type meanwhile is computed."""
    fetched: list[str] = []
    page.context.on("request", lambda r: fetched.append(r.url))
    page.goto(base_url + "guides/decision/", wait_until="networkidle")
    calc = page.locator(".tob-calc[data-calculator='which-approach']")
    expect(calc.get_by_role("status").first).to_contain_text("when you use the calculator")
    calc.scroll_into_view_if_needed()
    page.mouse.wheel(0, 400)
    page.wait_for_timeout(1500)  # time in which a view-triggered start would have begun
    assert [u for u in fetched if "/pyodide/" in u or "/assets/calc/worker" in u] == []
    calc.locator("[name='knowledge-changes-often']").check()
    expect(calc.get_by_role("status").first).to_have_text(re.compile("^Live"), timeout=60_000)
    expect(calc.locator("[data-output='recommendation_label']")).to_have_text("RAG (retrieval)")
