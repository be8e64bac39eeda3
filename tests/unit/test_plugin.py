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

from mkdocs_calculators.runtime import calculators_zip

ROOT = Path(__file__).resolve().parents[2]


def make_site(
    tmp_path: Path, page: str, data_dir: Path | None = None, snapshot: bool = False
) -> Path:
    """A one-page site; no memory snapshot unless asked (making one runs Node for seconds)."""
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
    assert shipped == (ROOT / "calculators" / "break_even.py").read_bytes()
    assert zipped.read_bytes() == calculators_zip()
    assert list(calc.glob("worker-*.mjs")) and list(calc.glob("data-*.json"))


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
