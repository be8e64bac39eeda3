"""The stable-redirects plugin, on a tiny site built in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from mkdocs_calculators.redirects import SCRIPT_URI


def site_with(tmp_path: Path, maps: str) -> Path:
    docs = tmp_path / "docs"
    (docs / "calculators").mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    (docs / "calculators" / "break-even.md").write_text("# Payback\n\n## How {#how}\n")
    (tmp_path / "mkdocs.yml").write_text(
        f"""
site_name: Tiny
theme: {{name: material, font: false}}
plugins:
  - stable-redirects:
      redirect_maps: {maps}
""",
        encoding="utf-8",
    )
    cfg = load_config(str(tmp_path / "mkdocs.yml"), strict=True)
    build(cfg)
    return Path(cfg.site_dir)


def test_old_page_sends_readers_on_with_query_and_fragment(tmp_path):
    site = site_with(
        tmp_path,
        "{payback.md: calculators/break-even.md, old/how.md: 'calculators/break-even.md#how'}",
    )
    page = (site / "payback" / "index.html").read_text(encoding="utf-8")
    # An external script (the site's CSP allows no inline script) keeps ?query and #fragment.
    assert (
        '<script src="../assets/javascripts/redirect.js" data-target="../calculators/break-even/">'
        in page
    )
    assert '<meta http-equiv="refresh" content="0; url=../calculators/break-even/">' in page
    assert "<script>" not in page
    nested = (site / "old" / "how" / "index.html").read_text(encoding="utf-8")
    assert 'data-target="../../calculators/break-even/#how"' in nested
    script = (site / SCRIPT_URI).read_text(encoding="utf-8")
    assert "here.search" in script and "here.hash" in script and "location.replace" in script


def test_a_redirect_to_a_missing_page_fails_the_build(tmp_path, caplog):
    with pytest.raises(Abort):
        site_with(tmp_path, "{payback.md: calculators/gone.md}")
    assert "payback.md -> calculators/gone.md: there is no page calculators/gone.md" in caplog.text


def test_a_redirect_may_not_hide_a_real_page(tmp_path, caplog):
    with pytest.raises(Abort):
        site_with(tmp_path, "{index.md: calculators/break-even.md}")
    assert "index.md is still a page" in caplog.text
