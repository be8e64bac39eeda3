"""The ``calculators`` MkDocs plugin.

* ``on_config``: loads data/ (a broken entry fails the build, naming the file and key), checks
  that Pyodide is installed and that the Markdown extensions it relies on are on.
* ``on_files``: adds the runtime to the site (:mod:`.runtime`) and a page for every named
  scenario (:mod:`.scenario_pages`).
* ``on_page_markdown``: turns the markers of :mod:`.markup` into figures, links and
  placeholders, reporting unknown names as errors that fail a strict build.
* ``on_page_content``: puts each calculator's form and pre-rendered results in place.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import get_relative_url

from calculators import REGISTRY, get
from calculators._api import evaluate, run
from calculators._data import DataError, check_tree, figure, load_tree
from calculators._inputs import InputError
from calculators._lifecycle import label, models_of
from calculators._resolve import default_raw, link_query, scenario_values

from . import freshness, markup, offline
from .config import CalculatorsConfig
from .figures import footnote_label, footnote_text, inline_html
from .render import preset_source_list, render_calculator
from .runtime import missing_pyodide_files, pyodide_path, runtime_files
from .scenario_pages import ScenarioPage, named_links, scenario_pages
from .training_file import PLACEHOLDER as FILE_CHECK_PLACEHOLDER
from .training_file import render_checker

log = logging.getLogger("mkdocs.plugins.calculators")

PLACEHOLDER = "<!-- tob-calculator:{} -->"


class CalculatorsPlugin(BasePlugin[CalculatorsConfig]):
    def __init__(self) -> None:
        self.data: dict[str, Any] = {}
        self.embeds: dict[str, list[markup.Embed]] = {}
        self.scenario_pages: dict[str, ScenarioPage] = {}  # by src_uri
        self.plain_query: dict[str, str] = {}  # each calculator's link query for its defaults
        self.serving = False  # under `mkdocs serve` (no service worker: see offline.py)

    def on_startup(self, *, command, dirty) -> None:
        self.serving = command == "serve"

    # -- configuration --------------------------------------------------------------------
    def on_config(self, config):
        if not self.config.enabled:
            return config
        try:
            self.data = load_tree(self.config.data_dir)
        except DataError as exc:
            raise PluginError(f"calculators: {exc}") from exc
        problems = check_tree(self.data)
        if problems:
            raise PluginError("calculators: problems in data/:\n  " + "\n  ".join(problems))
        for key, as_of, age in freshness.stale_prices(self.data, freshness.today()):
            log.info("calculators: price %s is %d days old (as of %s)", key, age, as_of)
        for slug in REGISTRY:
            try:
                default_raw(get(slug), self.data)
            except DataError as exc:
                raise PluginError(f"calculators: {slug}: {exc}") from exc
        self.plain_query = {slug: run(slug, {}, self.data).get("query", "") for slug in REGISTRY}
        try:
            self.scenario_pages = {p.src_uri: p for p in scenario_pages(self.data)}
        except (ValueError, DataError) as exc:
            raise PluginError(f"calculators: {exc}") from exc
        self.base_dir = base = Path(config.config_file_path).parent
        self.pyodide_dir = (base / self.config.pyodide_dir).resolve()
        missing = missing_pyodide_files(self.pyodide_dir)
        if missing:
            raise PluginError(
                f"calculators: Pyodide not found in {self.pyodide_dir} (missing {', '.join(missing)}). "
                "Run `npm ci` (or `make serve`, which does it)."
            )
        for extension, needs in (("footnotes", "figures"), ("attr_list", "scenario pages")):
            if extension not in config.markdown_extensions:
                raise PluginError(
                    f"calculators: {needs} need the '{extension}' Markdown extension; "
                    f"add `- {extension}` to markdown_extensions in mkdocs.yml."
                )
        assets = self.config.assets_path
        script = ExtraScriptValue(assets + "calc.js")
        script.defer = True
        config.extra_javascript.append(script)
        # The training-file check's glue (it acts only on a page with [[training-file-check]]).
        file_script = ExtraScriptValue(assets + "training-file.js")
        file_script.defer = True
        config.extra_javascript.append(file_script)
        config.extra_css.append(assets + "calc.css")
        # Sortable, downloadable result tables (compare-models): runtime.TABLE_ASSETS.
        tables = ExtraScriptValue(assets + "tables.js")
        tables.defer = True
        config.extra_javascript.append(tables)
        config.extra_css.append(assets + "tables.css")
        if self._offline():
            register = ExtraScriptValue(assets + offline.REGISTER)
            register.defer = True
            config.extra_javascript.append(register)
        return config

    def _offline(self) -> bool:
        return self.config.offline and not self.serving

    # -- runtime files --------------------------------------------------------------------
    def on_files(self, files: Files, config) -> Files:
        if not self.config.enabled:
            return files
        cache = self.base_dir / ".cache" / "pyodide-snapshots"
        runtime = runtime_files(config, self.config, self.data, self.pyodide_dir, cache)
        assets = self.config.assets_path
        if self._offline():
            runtime.append(offline.register_script(config, assets))
        # Every runtime URL names its content (offline.py): calc.js and the like get ?v=.
        versioned = offline.versioned_urls(runtime, assets)
        offline.version_page_assets(config, versioned)
        if self._offline():
            pyodide = pyodide_path(self.config, self.pyodide_dir)
            files.append(offline.service_worker(config, runtime, versioned, assets, pyodide))
        for file in runtime:
            files.append(file)
        # A site without a calculator's own page (a test's tiny site) gets none of its scenarios.
        self.scenario_pages = {
            src_uri: scenario
            for src_uri, scenario in self.scenario_pages.items()
            if files.get_file_from_path(f"calculators/{scenario.slug}.md") is not None
        }
        for src_uri, scenario in self.scenario_pages.items():
            # Not in the nav: each is reached from its calculator and from the links people send.
            files.append(
                File.generated(
                    config,
                    src_uri,
                    content=scenario.markdown(),
                    inclusion=InclusionLevel.NOT_IN_NAV,
                )
            )
        return files

    # -- pages ----------------------------------------------------------------------------
    def _error(self, page, message: str) -> str:
        log.error(f"{page.file.src_uri}: {message}")
        return f'<p class="tob-build-error"><strong>Build error:</strong> {message}</p>'

    def _scenario(self, page, slug: str, name: str) -> tuple[dict[str, str], str] | None:
        """A named scenario's raw values and its link from ``page``; None when it is unknown."""
        if slug not in REGISTRY:
            return None
        try:
            values = scenario_values(get(slug), self.data, name)
        except (InputError, DataError):
            return None
        target = get_relative_url(f"calculators/{slug}.md", page.file.src_uri)
        return values, f"{target}?{link_query(get(slug), values, self.data)}"

    def _scenario_link(self, page, slug: str, name: str, text: str | None) -> str:
        found = self._scenario(page, slug, name)
        if found is None:
            return self._error(page, f"unknown scenario {slug} {name}")
        if text:
            title = text
        else:
            entry = self.data["calculators"][slug]["scenarios"][name]
            title = label(self.data, entry["title"], models_of(entry), freshness.today())
        return f"[{title}]({found[1]})"

    def _result(self, page, slug: str, name: str, key: str) -> str:
        """One output of a named scenario, computed now by the calculator itself, as a link
        that opens the scenario: a guide's worked numbers follow data/ like its figures."""
        found = self._scenario(page, slug, name)
        if found is None:
            return self._error(page, f"unknown scenario {slug} {name}")
        values, url = found
        outcome = run(slug, values, self.data)
        if not outcome["ok"]:
            return self._error(page, f"scenario {slug} {name}: {outcome['message']}")
        if key not in outcome["display"]:
            known = ", ".join(outcome["display"])
            return self._error(page, f"{slug} has no result '{key}' (known: {known})")
        return f"[{outcome['display'][key]}]({url})"

    def _scenario_list(self, page) -> str:
        """Markdown: each calculator with its named scenarios as one-click links (from data/)."""
        lines = []
        for slug in REGISTRY:
            names = self.data["calculators"][slug].get("scenarios", {})
            if not names:
                continue
            target = get_relative_url(f"calculators/{slug}.md", page.file.src_uri)
            lines.append(f"\n**[{get(slug).title}]({target})**\n")
            lines.extend(f"- {self._scenario_link(page, slug, name, None)}" for name in names)
        return "\n".join(lines) + "\n"

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        if not self.config.enabled:
            return markdown
        markers = _PageMarkers(self, page)
        out = markup.expand(markdown, markers)
        self.embeds[page.file.src_uri] = markers.embeds
        if markers.notes:
            out += "\n\n" + "\n".join(f"[^{k}]: {v}" for k, v in markers.notes.items())
        return out

    def on_page_content(self, html: str, page, config, files) -> str:
        embeds = self.embeds.pop(page.file.src_uri, [])
        site_url = (config.site_url or "").rstrip("/") + "/"
        site_root = "../" * page.url.count("/")
        site_base = site_url if config.site_url else site_root
        scenario = self.scenario_pages.get(page.file.src_uri)
        for index, embed in enumerate(embeds):
            calc = get(embed.slug)
            own_page = f"calculators/{embed.slug}.md"
            # A named scenario's page links its edits to the calculator's own page.
            link_page = f"calculators/{embed.slug}/" if scenario else page.url
            page_url = site_base + link_page if config.site_url or scenario else "./"
            # The marker's values go through the one resolver: an unknown scenario, preset or
            # input name is an error naming the page and the name (a strict build fails).
            outcome, inputs = evaluate(embed.slug, embed.values, self.data, source="marker")
            if not outcome["ok"]:
                log.error(f"{page.file.src_uri}: line {embed.line}: {outcome['message']}")
            rendered = render_calculator(
                calc,
                inputs,
                outcome,
                self.data,
                index=index,
                page_url=page_url,
                url_state=self.config.url_state and index == 0,
                # A calculator on its own page (or a named scenario's) prints as a one-page
                # handout (calc.css).
                handout=index == 0 and (scenario is not None or page.file.src_uri == own_page),
                site_root=site_root,
                named=named_links(
                    self.scenario_pages.values(), embed.slug, self.plain_query[embed.slug], scenario
                ),
                site_base=site_base,
                link_page=link_page if scenario else None,
            )
            html = html.replace(PLACEHOLDER.format(index), rendered, 1)
        if FILE_CHECK_PLACEHOLDER in html:
            checker = render_checker(self.data, Path(config.docs_dir), "../" * page.url.count("/"))
            html = html.replace(FILE_CHECK_PLACEHOLDER, checker, 1)
        return html


class _PageMarkers:
    """The plugin's answers to one page's markers (see :class:`.markup.Handlers`)."""

    def __init__(self, plugin: CalculatorsPlugin, page) -> None:
        self.plugin, self.page = plugin, page
        self.embeds: list[markup.Embed] = []
        self.notes: dict[str, str] = {}

    def scenario_list(self) -> str:
        return self.plugin._scenario_list(self.page)

    def preset_sources(self, slug: str, line: int) -> str:
        if slug not in REGISTRY:
            return self.plugin._error(self.page, f"line {line}: unknown calculator '{slug}'")
        return preset_source_list(get(slug), self.plugin.data)

    def calculator(self, slug: str, args: str, line: int) -> str:
        if slug not in REGISTRY:
            known = ", ".join(REGISTRY)
            return self.plugin._error(
                self.page, f"line {line}: unknown calculator '{slug}' (known: {known})"
            )
        try:
            values = markup.parse_args(args)
        except markup.MarkupError as exc:
            return self.plugin._error(self.page, f"line {line}: {exc}")
        self.embeds.append(markup.Embed(slug, values, line))
        return "\n" + PLACEHOLDER.format(len(self.embeds) - 1) + "\n"

    def figure(self, key: str, line: int) -> str:
        try:
            entry = figure(self.plugin.data, key)
        except DataError as exc:
            return self.plugin._error(self.page, f"line {line}: {exc}")
        self.notes[footnote_label(key)] = footnote_text(entry)
        return inline_html(key, entry)

    def scenario(self, slug: str, name: str, text: str | None) -> str:
        return self.plugin._scenario_link(self.page, slug, name, text)

    def result(self, slug: str, name: str, key: str) -> str:
        return self.plugin._result(self.page, slug, name, key)

    def training_file_check(self, line: int) -> str:
        return "\n" + FILE_CHECK_PLACEHOLDER + "\n"
