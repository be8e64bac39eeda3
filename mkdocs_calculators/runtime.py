"""What the browser needs to run the calculators: Pyodide's files, a zip of the ``calculators``
package (the very code pytest tests), the data tree as JSON, the worker, the glue script with
its settings, and (when Node is there) a Pyodide memory snapshot and a trimmed standard library
(:mod:`.stdlib`), each made once at build time.
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
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

import calculators
from calculators import REGISTRY
from calculators._resolve import yes_no_words

from .stdlib import probe_modules, trim_stdlib

log = logging.getLogger("mkdocs.plugins.calculators")

PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
STATIC = Path(__file__).parent / "static"
# Sortable result tables with CSV and Markdown downloads (compare-models), served as they are.
TABLE_ASSETS = ("tables.js", "tables.css")


def _digest(blob: bytes) -> str:
    return hashlib.sha256(blob).hexdigest()[:10]


def missing_pyodide_files(pyodide_dir: Path) -> list[str]:
    return [f for f in PYODIDE_FILES if not (pyodide_dir / f).is_file()]


def shipped_sources() -> list[Path]:
    """The ``calculators`` modules the browser gets: all but the CLI, which reads files."""
    root = Path(calculators.__file__).parent
    return [path for path in sorted(root.glob("*.py")) if path.name != "__main__.py"]


def calculators_zip() -> bytes:
    """The ``calculators`` package as a zip, byte-for-byte what pytest imports. Stored, not
    deflated: a server that gzips ``.zip`` responses then sends fewer bytes than zip's own
    per-file deflate (one stream, not one per file); one that does not sends it whole."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for path in shipped_sources():
            info = zipfile.ZipInfo(f"calculators/{path.name}", date_time=(2020, 1, 1, 0, 0, 0))
            zf.writestr(info, path.read_bytes())
    return buf.getvalue()


def runtime_files(
    config, options, data: Mapping[str, Any], pyodide_dir: Path, cache_dir: Path
) -> list[File]:
    """Every runtime file for the site; ``options`` is the plugin's config."""
    assets, pyodide = options.assets_path, options.pyodide_path
    files = [
        File.generated(config, pyodide + name, abs_src_path=str(pyodide_dir / name))
        for name in PYODIDE_FILES
    ]
    zipped = calculators_zip()
    data_json = json.dumps(data, sort_keys=True, separators=(",", ":")).encode()
    worker = (STATIC / "worker.mjs").read_bytes()
    names = {
        "zip": f"calculators-{_digest(zipped)}.zip",
        "data": f"data-{_digest(data_json)}.json",
        "worker": f"worker-{_digest(worker)}.mjs",
    }
    for key, blob in (("zip", zipped), ("data", data_json), ("worker", worker)):
        files.append(File.generated(config, assets + names[key], content=blob))
    if options.trim_stdlib:
        stdlib = trimmed_stdlib(
            zipped, data_json, pyodide_dir, cache_dir.with_name("pyodide-stdlib")
        )
        if stdlib is not None:  # otherwise the worker loads Pyodide's whole stdlib
            names["stdlib"] = f"python_stdlib-{_digest(stdlib)}.zip"
            files.append(File.generated(config, assets + names["stdlib"], content=stdlib))
    snapshot = make_snapshot(zipped, pyodide_dir, cache_dir) if options.snapshot else None
    if snapshot is not None:
        names["snapshot"] = snapshot.name
        files.append(File.generated(config, assets + snapshot.name, abs_src_path=str(snapshot)))
    settings = {
        **names,
        "pyodide": get_relative_url(pyodide, assets),
        "root": "../" * assets.strip("/").count("/") + "../",
        "timeoutMs": options.boot_timeout * 1000,
        "yes": yes_no_words()["true"],
    }
    glue = (
        (STATIC / "calc.js")
        .read_text(encoding="utf-8")
        .replace("/*SETTINGS*/{}", json.dumps(settings, sort_keys=True))
    )
    files.append(File.generated(config, assets + "calc.js", content=glue))
    files.append(
        File.generated(config, assets + "calc.css", content=(STATIC / "calc.css").read_bytes())
    )
    files.append(
        File.generated(
            config, assets + "training-file.js", content=(STATIC / "training-file.js").read_bytes()
        )
    )
    for name in TABLE_ASSETS:
        files.append(File.generated(config, assets + name, content=(STATIC / name).read_bytes()))
    return files


def trimmed_stdlib(zipped: bytes, data_json: bytes, pyodide_dir: Path, cache: Path) -> bytes | None:
    """The standard library trimmed to what the calculators use (:mod:`.stdlib`), or None."""
    sources = [path.read_bytes() for path in shipped_sources()]
    modules = probe_modules(sources, REGISTRY.values())
    path = trim_stdlib(zipped, sources, modules, data_json, pyodide_dir, cache)
    return None if path is None else path.read_bytes()


def make_snapshot(zipped: bytes, pyodide_dir: Path, cache: Path) -> Path | None:
    """The memory snapshot for this calculators zip and Pyodide build, made once (Node)."""
    lock = (pyodide_dir / "pyodide-lock.json").read_bytes()
    wasm_size = (pyodide_dir / "pyodide.asm.wasm").stat().st_size
    key = _digest(
        zipped + lock + str(wasm_size).encode() + (STATIC / "make_snapshot.mjs").read_bytes()
    )
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
        script = str(STATIC / "make_snapshot.mjs")
        done = subprocess.run(
            [node, script, str(pyodide_dir), str(zip_path), str(target), *modules],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    if done.returncode != 0 or not target.is_file():
        log.warning(f"calculators: Pyodide snapshot failed, shipping none: {done.stderr[-500:]}")
        return None
    return target.resolve()
