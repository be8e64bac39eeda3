"""The ``calculators`` MkDocs plugin.

* ``on_config``: loads data/ (a broken entry fails the build, naming the file and key), checks
  that Pyodide is installed and that the Markdown extensions it relies on are on.
* ``on_files``: adds the runtime to the site: Pyodide's files, a zip of the ``calculators``
  package (the very code pytest tests), the data tree as JSON, the glue script and worker.
* ``on_page_markdown``: turns the markers of :mod:`.markup` into figures, links and
  placeholders, reporting unknown names as errors that fail a strict build.
* ``on_page_content``: puts each calculator's form and pre-rendered results in place.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url

import calculators
from calculators import REGISTRY, get
from calculators._api import default_raw, presets, run, scenario_values
from calculators._data import DataError, check_tree, figure, load_tree

from . import freshness, markup
from .config import CalculatorsConfig
from .figures import footnote_label, footnote_text, inline_html
from .render import URL_VERSION, render_calculator

log = logging.getLogger("mkdocs.plugins.calculators")

PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
STATIC = Path(__file__).parent / "static"
PLACEHOLDER = "<!-- tob-calculator:{} -->"


def _digest(blob: bytes) -> str:
    return hashlib.sha256(blob).hexdigest()[:10]


def calculators_zip() -> bytes:
    """The ``calculators`` package as a zip, byte-for-byte what pytest imports."""
    root = Path(calculators.__file__).parent
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(root.glob("*.py")):
            if path.name == "__main__.py":  # the CLI reads files; the browser never runs it
                continue
            info = zipfile.ZipInfo(f"calculators/{path.name}", date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, path.read_bytes())
    return buf.getvalue()


class CalculatorsPlugin(BasePlugin[CalculatorsConfig]):
    def __init__(self) -> None:
        self.data: dict[str, Any] = {}
        self.embeds: dict[str, list[markup.Embed]] = {}
        self.runtime: dict[str, str] = {}

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
        self.base_dir = base = Path(config.config_file_path).parent
        self.pyodide_dir = (base / self.config.pyodide_dir).resolve()
        missing = [f for f in PYODIDE_FILES if not (self.pyodide_dir / f).is_file()]
        if missing:
            raise PluginError(
                f"calculators: Pyodide not found in {self.pyodide_dir} (missing {', '.join(missing)}). "
                "Run `npm ci` (or `make serve`, which does it)."
            )
        if "footnotes" not in config.markdown_extensions:
            raise PluginError(
                "calculators: figures need the 'footnotes' Markdown extension; "
                "add `- footnotes` to markdown_extensions in mkdocs.yml."
            )
        assets = self.config.assets_path
        script = ExtraScriptValue(assets + "calc.js")
        script.defer = True
        config.extra_javascript.append(script)
        config.extra_css.append(assets + "calc.css")
        return config

    # -- runtime files --------------------------------------------------------------------
    def _generated(self, config, uri: str, content: bytes | str) -> File:
        return File.generated(config, uri, content=content)

    def on_files(self, files: Files, config) -> Files:
        if not self.config.enabled:
            return files
        assets, pyodide = self.config.assets_path, self.config.pyodide_path
        for name in PYODIDE_FILES:
            files.append(
                File.generated(config, pyodide + name, abs_src_path=str(self.pyodide_dir / name))
            )
        zipped = calculators_zip()
        data_json = json.dumps(self.data, sort_keys=True, separators=(",", ":")).encode()
        worker = (STATIC / "worker.mjs").read_bytes()
        self.runtime = {
            "zip": f"calculators-{_digest(zipped)}.zip",
            "data": f"data-{_digest(data_json)}.json",
            "worker": f"worker-{_digest(worker)}.mjs",
        }
        files.append(self._generated(config, assets + self.runtime["zip"], zipped))
        files.append(self._generated(config, assets + self.runtime["data"], data_json))
        files.append(self._generated(config, assets + self.runtime["worker"], worker))
        snapshot = self._snapshot(zipped) if self.config.snapshot else None
        if snapshot is not None:
            self.runtime["snapshot"] = snapshot.name
            files.append(File.generated(config, assets + snapshot.name, abs_src_path=str(snapshot)))
        settings = {
            **self.runtime,
            "pyodide": get_relative_url(pyodide, assets),
            "root": "../" * assets.strip("/").count("/") + "../",
            "timeoutMs": self.config.boot_timeout * 1000,
        }
        glue = (
            (STATIC / "calc.js")
            .read_text(encoding="utf-8")
            .replace("/*SETTINGS*/{}", json.dumps(settings, sort_keys=True))
        )
        files.append(self._generated(config, assets + "calc.js", glue))
        files.append(
            self._generated(config, assets + "calc.css", (STATIC / "calc.css").read_bytes())
        )
        return files

    def _snapshot(self, zipped: bytes) -> Path | None:
        """The memory snapshot for this calculators zip and Pyodide build, made once (Node)."""
        lock = (self.pyodide_dir / "pyodide-lock.json").read_bytes()
        wasm_size = (self.pyodide_dir / "pyodide.asm.wasm").stat().st_size
        key = _digest(
            zipped + lock + str(wasm_size).encode() + (STATIC / "make_snapshot.mjs").read_bytes()
        )
        cache = self.base_dir / ".cache" / "pyodide-snapshots"
        target = cache / f"snapshot-{key}.bin"
        if target.is_file():
            return target.resolve()
        node = shutil.which("node")
        if node is None:
            log.warning("calculators: Node.js not found, so no Pyodide snapshot (slower start-up)")
            return None
        cache.mkdir(parents=True, exist_ok=True)
        for old in cache.glob("snapshot-*.bin"):
            old.unlink()
        with tempfile.TemporaryDirectory() as tmp:
            zip_path = Path(tmp) / "calculators.zip"
            zip_path.write_bytes(zipped)
            modules = ["calculators._api", *(f"calculators.{m}" for m in REGISTRY.values())]
            done = subprocess.run(
                [
                    node,
                    str(STATIC / "make_snapshot.mjs"),
                    str(self.pyodide_dir),
                    str(zip_path),
                    str(target),
                    *modules,
                ],
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
        if done.returncode != 0 or not target.is_file():
            log.warning(
                f"calculators: Pyodide snapshot failed, shipping none: {done.stderr[-500:]}"
            )
            return None
        return target.resolve()

    # -- pages ----------------------------------------------------------------------------
    def _error(self, page, message: str) -> str:
        log.error(f"{page.file.src_uri}: {message}")
        return f'<p class="tob-build-error"><strong>Build error:</strong> {message}</p>'

    def _scenario(self, page, slug: str, name: str) -> tuple[dict[str, str], str] | None:
        """A named scenario's raw values and its link from ``page``; None when it is unknown."""
        try:
            values = scenario_values(get(slug), self.data, name)
        except (KeyError, DataError):
            return None
        target = get_relative_url(f"calculators/{slug}.md", page.file.src_uri)
        return values, f"{target}?{urlencode({**values, 'v': URL_VERSION})}"

    def _scenario_link(self, page, slug: str, name: str, text: str | None) -> str:
        found = self._scenario(page, slug, name)
        if found is None:
            return self._error(page, f"unknown scenario {slug} {name}")
        title = text or self.data["calculators"][slug]["scenarios"][name]["title"]
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
        embeds: list[markup.Embed] = []
        notes: dict[str, str] = {}
        out = []
        for is_code, n, line in markup.split_code(markdown):
            if is_code:
                out.append(line)
                continue
            if markup.SCENARIO_LIST.match(line):
                out.append(self._scenario_list(page))
                continue
            m = markup.CALC_LINE.match(line)
            if m:
                slug = m.group("slug")
                if slug not in REGISTRY:
                    out.append(
                        self._error(
                            page,
                            f"line {n}: unknown calculator '{slug}' (known: {', '.join(REGISTRY)})",
                        )
                    )
                    continue
                try:
                    values = markup.parse_args(m.group("args"))
                except markup.MarkupError as exc:
                    out.append(self._error(page, f"line {n}: {exc}"))
                    continue
                embeds.append(markup.Embed(slug, values, n))
                out.append("\n" + PLACEHOLDER.format(len(embeds) - 1) + "\n")
                continue

            def fig(m: Any) -> str:
                key = m.group("key")
                try:
                    entry = figure(self.data, key)
                except DataError as exc:
                    return self._error(page, f"line {n}: {exc}")  # noqa: B023
                notes[footnote_label(key)] = footnote_text(entry)
                return inline_html(key, entry)

            line = markup.FIG.sub(fig, line)
            line = markup.SCENARIO.sub(
                lambda m: self._scenario_link(page, m["slug"], m["name"], m["text"]), line
            )
            line = markup.RESULT.sub(
                lambda m: self._result(page, m["slug"], m["name"], m["key"]), line
            )
            out.append(line)
        self.embeds[page.file.src_uri] = embeds
        if notes:
            out.append("")
            out.extend(f"[^{label}]: {text}" for label, text in notes.items())
        return "\n".join(out)

    def on_page_content(self, html: str, page, config, files) -> str:
        embeds = self.embeds.pop(page.file.src_uri, [])
        site_url = (config.site_url or "").rstrip("/") + "/"
        page_url = site_url + page.url if config.site_url else "./"
        for index, embed in enumerate(embeds):
            calc = get(embed.slug)
            given = dict(embed.values)
            if "scenario" in given:
                given = {**scenario_values(calc, self.data, given.pop("scenario")), **given}
            if "preset" in given:
                preset = presets(calc, self.data)[given.pop("preset")]["values"]
                given = {**preset, **given}
            values = {**default_raw(calc, self.data), **given}
            outcome = run(embed.slug, values, self.data)
            if not outcome["ok"]:
                log.error(f"{page.file.src_uri}: line {embed.line}: {outcome['message']}")
            rendered = render_calculator(
                calc,
                values,
                outcome,
                self.data,
                index=index,
                page_url=page_url,
                url_state=self.config.url_state and index == 0,
                # A calculator on its own page prints as a one-page handout (calc.css).
                handout=index == 0 and page.file.src_uri == f"calculators/{embed.slug}.md",
                site_root="../" * page.url.count("/"),
            )
            html = html.replace(PLACEHOLDER.format(index), rendered, 1)
        return html
