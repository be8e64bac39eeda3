"""The MkDocs plugin, on a tiny site built in tmp_path (the mkdocs-material way of testing)."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from calculators import REGISTRY
from mkdocs_calculators import runtime
from mkdocs_calculators.runtime import calculators_zip, snapshot_key, snapshot_modules

ROOT = Path(__file__).resolve().parents[2]


def make_site(
    tmp_path: Path,
    page: str,
    data_dir: Path | None = None,
    snapshot: bool = False,
    trim_stdlib: bool = False,
) -> Path:
    """A one-page site; no memory snapshot settings and no trimmed stdlib unless asked (the
    trim runs Node for seconds)."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(page, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        f"""
site_name: Tiny
site_url: http://127.0.0.1:8000/
theme: {{name: material, font: false}}
markdown_extensions: [footnotes, attr_list]
plugins:
  - calculators:
      data_dir: {data_dir or ROOT / "data"}
      pyodide_dir: {ROOT / "node_modules" / "pyodide"}
      snapshot: {str(snapshot).lower()}
      trim_stdlib: {str(trim_stdlib).lower()}
""",
        encoding="utf-8",
    )
    return tmp_path / "mkdocs.yml"


def build_site(config_file: Path, strict: bool = True) -> Path:
    cfg = load_config(str(config_file), strict=strict)
    build(cfg)
    return Path(cfg.site_dir)


def test_embeds_a_form_from_declared_inputs_with_prerendered_results(tmp_path):
    site = build_site(make_site(tmp_path, "# T\n\n[[calculator break-even]]\n"))
    html = (site / "index.html").read_text(encoding="utf-8")
    assert 'name="calls-per-day"' in html and 'value="50000"' in html
    # December 2026 defaults, by hand: 1,500 x 50,000 x 30 = 2.25e9 tokens x $0.10 per 1M
    # (GPT-6 Luna) = $225 a month.
    assert 'data-output="monthly_cost_before"' in html and "$225" in html
    assert 'role="alert"' in html and 'aria-live="polite"' in html


def test_scenario_values_on_the_marker_are_prerendered(tmp_path):
    site = build_site(make_site(tmp_path, "[[calculator break-even calls-per-day=5000]]\n"))
    html = (site / "index.html").read_text(encoding="utf-8")
    # By hand: 1,500 x 5,000 x 30 x $0.10/1M = $22.50 before; 200 x 5,000 x 30 x $0.15/1M
    # = $4.50 after; 15,000 / 18 = 833.3, shown whole from 100 months up: "833 months".
    assert 'value="5000"' in html and "833 months" in html


def test_ships_runtime_and_exact_calculator_code(tmp_path):
    site = build_site(make_site(tmp_path, "# T\n"))
    calc = site / "assets" / "calc"
    # Under Pyodide's version (runtime.pyodide_path): a new Pyodide never reuses a URL.
    version = json.loads((ROOT / "node_modules" / "pyodide" / "package.json").read_text())[
        "version"
    ]
    assert (site / "assets" / "pyodide" / version / "pyodide.asm.wasm").is_file()
    (zipped,) = calc.glob("calculators-*.zip")
    with zipfile.ZipFile(zipped) as zf:
        shipped = zf.read("calculators/break_even.py")
        # Deflated: the host may not compress .zip responses.
        assert {i.compress_type for i in zf.infolist()} == {zipfile.ZIP_DEFLATED}
    assert shipped == (ROOT / "calculators" / "break_even.py").read_bytes()
    assert zipped.read_bytes() == calculators_zip()
    assert list(calc.glob("worker-*.mjs")) and list(calc.glob("data-*.json"))


def test_the_snapshot_key_changes_with_the_code_it_would_restore(tmp_path):
    """The reader's browser keeps its memory snapshot under this key: a deploy that changes
    the calculators package, the standard library or Pyodide must never restore the old one."""
    pyodide = tmp_path / "pyodide"
    pyodide.mkdir()
    (pyodide / "package.json").write_text('{"version": "314.0.7"}', encoding="utf-8")
    base = {"zip": "calculators-aaaaaaaaaa.zip", "stdlib": "python_stdlib-bbbbbbbbbb.zip"}
    key = snapshot_key(base, pyodide)
    assert snapshot_key(dict(base), pyodide) == key
    assert snapshot_key({**base, "zip": "calculators-cccccccccc.zip"}, pyodide) != key
    assert snapshot_key({**base, "stdlib": "python_stdlib-dddddddddd.zip"}, pyodide) != key
    (pyodide / "package.json").write_text('{"version": "314.0.8"}', encoding="utf-8")
    assert snapshot_key(base, pyodide) != key


def test_the_built_page_settings_name_the_snapshot_and_every_calculator(tmp_path):
    site = build_site(make_site(tmp_path, "# T\n", snapshot=True))
    glue = (site / "assets" / "calc" / "calc.js").read_text(encoding="utf-8")
    settings = json.loads(re.search(r"const SETTINGS = (\{.*?\});", glue).group(1))
    assert re.fullmatch(r"[0-9a-f]{10}", settings["snapshotKey"])
    assert settings["modules"] == snapshot_modules()
    assert {f"calculators.{m}" for m in REGISTRY.values()} <= set(settings["modules"])
    assert not list((site / "assets" / "calc").glob("snapshot-*"))  # nothing shipped for it
    # What a first start downloads, for the boot timeout on slow links: Pyodide's wasm alone
    # is 3.6 MB gzipped, the whole runtime under 12 MB even at zlib's fastest level.
    assert 3_600_000 < settings["runtimeBytes"] < 12_000_000


def test_ships_the_trimmed_stdlib_and_names_it_in_the_settings(tmp_path, monkeypatch):
    # The trim itself (Node) is tested in test_stdlib.py; here only how the site carries it.
    monkeypatch.setattr(runtime, "trimmed_stdlib", lambda *args: b"PK trimmed")
    site = build_site(make_site(tmp_path, "# T\n", trim_stdlib=True))
    calc = site / "assets" / "calc"
    (trimmed,) = calc.glob("python_stdlib-*.zip")
    assert trimmed.read_bytes() == b"PK trimmed"
    assert f'"stdlib": "{trimmed.name}"' in (calc / "calc.js").read_text(encoding="utf-8")
    # Pyodide's whole stdlib stays, for the fallback and the benchmark's bare page.
    assert list((site / "assets" / "pyodide").glob("*/python_stdlib.zip"))


def test_without_a_trimmed_stdlib_the_settings_name_none(tmp_path, monkeypatch):
    monkeypatch.setattr(runtime, "trimmed_stdlib", lambda *args: None)  # no Node, or it failed
    site = build_site(make_site(tmp_path, "# T\n", trim_stdlib=True))
    calc = site / "assets" / "calc"
    assert not list(calc.glob("python_stdlib-*.zip"))
    assert '"stdlib"' not in (calc / "calc.js").read_text(encoding="utf-8")


def test_service_worker_at_the_root_and_content_addressed_scripts(tmp_path):
    """offline.py: sw.js at the root with a version, its registration on every page (it acts
    only where there is a calculator), and ?v=<digest> on the plugin's scripts and styles."""
    site = build_site(make_site(tmp_path, "# T\n\n[[calculator break-even]]\n"))
    html = (site / "index.html").read_text(encoding="utf-8")
    for name in ("calc.js", "calc.css", "sw-register.js"):
        assert re.search(rf'assets/calc/{re.escape(name)}\?v=[0-9a-f]{{10}}"', html), name
    sw = (site / "sw.js").read_text(encoding="utf-8")
    assert re.search(r'"version": "[0-9a-f]{10}"', sw)
    assert re.search(r'"calc": "calc\.js\?v=[0-9a-f]{10}"', sw)
    (data,) = (site / "assets" / "calc").glob("data-*.json")
    assert f"assets/calc/{data.name}" in sw


def test_offline_false_ships_no_service_worker(tmp_path):
    config = make_site(tmp_path, "# T\n\n[[calculator break-even]]\n")
    config.write_text(config.read_text() + "      offline: false\n")
    site = build_site(config)
    assert not (site / "sw.js").exists()
    assert "sw-register.js" not in (site / "index.html").read_text(encoding="utf-8")


def test_figure_renders_value_and_source_footnote(tmp_path):
    site = build_site(
        make_site(tmp_path, "GPT-4o cost [[fig prices.openai-2024.gpt-4o.input]] per 1M.\n")
    )
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "$2.50</span>" in html
    assert "OpenAI API pricing" in html and "2024-10-01" in html


def test_unknown_calculator_fails_a_strict_build_naming_the_page(tmp_path, caplog):
    config = make_site(tmp_path, "# T\n\n[[calculator no-such-thing]]\n")
    with pytest.raises(Abort):
        build_site(config)
    assert "index.md" in caplog.text and "no-such-thing" in caplog.text


def test_unknown_figure_fails_a_strict_build(tmp_path, caplog):
    with pytest.raises(Abort):
        build_site(make_site(tmp_path, "[[fig prices.nope]]\n"))
    assert "prices.nope" in caplog.text


def test_markers_in_code_blocks_are_left_alone(tmp_path):
    site = build_site(make_site(tmp_path, "```text\n[[calculator no-such-thing]]\n```\n"))
    assert "[[calculator no-such-thing]]" in (site / "index.html").read_text(encoding="utf-8")


def test_broken_data_names_the_key(tmp_path, caplog):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    (data / "broken.yaml").write_text("x: {value: 1, unit: USD, source: s}\n", encoding="utf-8")
    site_dir = tmp_path / "s"
    site_dir.mkdir()
    with pytest.raises(Abort):
        build_site(make_site(site_dir, "# T\n", data_dir=data))
    assert "broken.x: missing 'as_of'" in caplog.text
