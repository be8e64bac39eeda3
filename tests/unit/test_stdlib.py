"""The trimmed standard library (mkdocs_calculators/stdlib.py): it holds every module the
calculators import, and Pyodide boots from it and computes everything the browser computes."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from calculators import REGISTRY
from mkdocs_calculators import stdlib
from mkdocs_calculators.runtime import calculators_zip, shipped_sources, trimmed_stdlib

ROOT = Path(__file__).resolve().parents[2]
PYODIDE = ROOT / "node_modules" / "pyodide"
needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")


@pytest.fixture(scope="session")
def data_json(data) -> bytes:
    # As the plugin serialises it (runtime.runtime_files), so the cache key is the build's.
    return json.dumps(data, sort_keys=True, separators=(",", ":")).encode()


@pytest.fixture(scope="session")
def trimmed(data_json) -> bytes:
    """The zip the build ships, made once a session (and reused from the build's cache)."""
    if shutil.which("node") is None:
        pytest.skip("needs Node.js")
    blob = trimmed_stdlib(calculators_zip(), data_json, PYODIDE, ROOT / ".cache" / "pyodide-stdlib")
    assert blob is not None, "the trimmed stdlib could not be made (see the warning logged)"
    return blob


def names_in(blob: bytes) -> set[str]:
    return set(stdlib.zip_names(blob))


class TestImportedNames:
    def test_reads_imports_inside_functions_and_from_imports(self):
        source = b"import json\nfrom collections.abc import Mapping\ndef f():\n    import csv\n"
        names = stdlib.imported_names([source])
        assert {"json", "collections.abc", "collections.abc.Mapping", "csv"} <= names

    def test_relative_imports_are_the_package_own(self):
        assert stdlib.imported_names([b"from . import get\nfrom ._api import run\n"]) == set()

    def test_keeps_only_the_standard_library(self):
        assert stdlib.stdlib_names({"json", "yaml", "genai_prices.data", "urllib.parse"}) == {
            "json",
            "urllib.parse",
        }


class TestSelection:
    ENTRIES = ("a/", "a/__init__.py", "a/b.py", "a/data.txt", "a/c/", "a/c/__init__.py", "d.py")

    def test_a_submodule_brings_its_package(self):
        files = stdlib.module_files(["a.b", "math", "a.b.Thing"], self.ENTRIES)
        assert files == {"a/__init__.py", "a/b.py"}  # math is built in; Thing is a class

    def test_keeps_folders_and_the_package_data_but_not_other_packages(self):
        keep = stdlib.selection(self.ENTRIES, {"a/b.py"})
        assert keep == {"a/", "a/__init__.py", "a/b.py", "a/data.txt"}

    def test_the_zip_is_deflated_in_the_source_order(self):
        src = io.BytesIO()
        with zipfile.ZipFile(src, "w", zipfile.ZIP_DEFLATED) as zf:
            for name in ("z.py", "a.py", "m.py"):
                zf.writestr(name, f"# {name}\n" * 50)
        blob = stdlib.trimmed_zip(src.getvalue(), {"z.py", "m.py"})
        with zipfile.ZipFile(io.BytesIO(blob)) as zf:
            assert zf.namelist() == ["z.py", "m.py"]
            assert {i.compress_type for i in zf.infolist()} == {zipfile.ZIP_DEFLATED}
            assert zf.read("m.py") == b"# m.py\n" * 50
        assert stdlib.trimmed_zip(src.getvalue(), {"z.py", "m.py"}) == blob  # reproducible


def test_without_node_there_is_no_trimmed_stdlib_and_a_warning(
    tmp_path, monkeypatch, caplog, data_json
):
    monkeypatch.setattr(stdlib.shutil, "which", lambda name: None)
    assert trimmed_stdlib(calculators_zip(), data_json, PYODIDE, tmp_path) is None
    assert "Node.js not found" in caplog.text


@needs_node
def test_every_stdlib_module_the_calculators_import_is_in_the_trimmed_zip(trimmed):
    # The static half: an import the probe's runs never reached is still in the zip.
    full = stdlib.zip_names((PYODIDE / "python_stdlib.zip").read_bytes())
    names = stdlib.stdlib_names(stdlib.imported_names(p.read_bytes() for p in shipped_sources()))
    needed = stdlib.module_files(names, full)
    assert needed, "the scan found no stdlib module files at all"
    assert sorted(needed - names_in(trimmed)) == []


@needs_node
def test_pyodide_boots_from_the_trimmed_zip_and_computes_everything(trimmed, data_json, tmp_path):
    """Boots with ``stdLibURL`` set to the trimmed zip, imports every calculator module, runs
    every calculator (defaults, a link, bad values, every scenario) and the training-file
    check: any ImportError would be a failure here."""
    path = tmp_path / "python_stdlib.zip"
    path.write_bytes(trimmed)
    sources = [p.read_bytes() for p in shipped_sources()]
    modules = stdlib.probe_modules(sources, REGISTRY.values())
    # tomllib is left out of the trim: its import must fail, and be the only failure.
    modules.append("tomllib")
    report = stdlib.probe(PYODIDE, calculators_zip(), data_json, modules, stdlib=str(path))
    assert len(report["failures"]) == 1, report["failures"]
    assert "No module named 'tomllib'" in report["failures"][0]
    # Every calculator at least at its defaults and from a link; every sample and host checked.
    assert report["runs"] >= 2 * len(REGISTRY) and report["checks"] >= 2
    assert set(report["files"]) <= names_in(trimmed)
