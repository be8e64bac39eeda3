"""The ``stable-redirects`` MkDocs plugin: an old or short URL keeps working after a page moves.

Why not mkdocs-redirects: its redirect pages run an inline script, which the site's
Content-Security-Policy forbids (``script-src 'self'``), and the meta-refresh fallback drops the
query string, which is where a calculator scenario lives (``?calls-per-day=5000&v=1``). A
salesperson's link to a moved calculator would open on the defaults. These redirect pages load
a small script from the site that carries the query and the fragment across, and fall back to
a meta refresh without JavaScript.

``redirect_maps`` maps an old page (``payback.md``) to the page it now lives at
(``calculators/break-even.md``, optionally with ``#anchor``). A target that does not exist, or
an old path that is still a real page, fails the build.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url

SCRIPT_URI = "assets/javascripts/redirect.js"
SCRIPT = """// Redirect page of the stable-redirects plugin: go to the page's new address, keeping the
// query (a calculator scenario) and the fragment (a section) of the link that was followed.
(() => {
  const here = new URL(window.location.href);
  const to = new URL(document.currentScript.dataset.target, here);
  if (!to.search) to.search = here.search;
  if (!to.hash) to.hash = here.hash;
  window.location.replace(to.href);
})();
"""


class RedirectsConfig(base.Config):
    enabled = c.Type(bool, default=True)
    """Switch the plugin off."""

    redirect_maps = c.Type(dict, default={})
    """Old Markdown path -> new Markdown path (``#anchor`` allowed), relative to docs/."""


def _page_url(src: str, use_directory_urls: bool) -> str:
    """The site URL a Markdown path would have (``guides/old.md`` -> ``guides/old/``)."""
    stem = src[: -len(".md")] if src.endswith(".md") else src
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/" if use_directory_urls else stem + ".html"


class StableRedirectsPlugin(BasePlugin[RedirectsConfig]):
    def __init__(self) -> None:
        self.targets: dict[str, str] = {}  # old page URL -> new page URL (with #anchor)

    def on_files(self, files: Files, config) -> Files:
        if not self.config.enabled:
            return files
        self.targets = {}
        for old, new in self.config.redirect_maps.items():
            target, _, anchor = str(new).partition("#")
            page = files.get_file_from_path(target)
            if page is None or not page.is_documentation_page():
                raise PluginError(f"stable-redirects: {old} -> {new}: there is no page {target}")
            if files.get_file_from_path(old) is not None:
                raise PluginError(
                    f"stable-redirects: {old} is still a page; remove it or its redirect"
                )
            old_url = _page_url(old, config.use_directory_urls)
            self.targets[old_url] = page.url + (f"#{anchor}" if anchor else "")
        if self.targets:
            files.append(File.generated(config, SCRIPT_URI, content=SCRIPT))
        return files

    def on_post_build(self, config) -> None:
        site = Path(config.site_dir)
        for old_url, new_url in self.targets.items():
            rel = get_relative_url(new_url, old_url) if new_url else "./"
            script = get_relative_url(SCRIPT_URI, old_url)
            out = (
                site / old_url / "index.html"
                if old_url.endswith("/") or not old_url
                else site / old_url
            )
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(redirect_page(rel, script), encoding="utf-8")


def redirect_page(target: str, script: str) -> str:
    t, s = escape(target), escape(script)
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>This page has moved</title>\n"
        f'<link rel="canonical" href="{t}">\n<meta name="robots" content="noindex">\n'
        f'<script src="{s}" data-target="{t}"></script>\n'
        f'<meta http-equiv="refresh" content="0; url={t}">\n</head>\n'
        f'<body><p>This page has moved to <a href="{t}">{t}</a>.</p></body>\n</html>\n'
    )
