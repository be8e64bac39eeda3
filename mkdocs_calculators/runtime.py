"""What the browser needs to run the calculators: Pyodide's files, a zip of the ``calculators``
package (the very code pytest tests), the data tree as JSON, the worker, the glue script with
its settings, and (when Node is there) a Pyodide memory snapshot made once at build time.
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


def pyodide_path(options, pyodide_dir: Path) -> str:
    """Site path of the Pyodide files: the plugin's ``pyodide_path`` and Pyodide's version, so
    a new Pyodide never shares a URL with the old one (the service worker, sw.js, relies on
    it)."""
    package = pyodide_dir / "package.json"
    try:
        version = json.loads(package.read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):  # not an npm install: name it by its lock file
        version = _digest((pyodide_dir / "pyodide-lock.json").read_bytes())
    return f"{options.pyodide_path}{version}/"


def runtime_root(assets: str) -> str:
    """The site root, relative to the folder ``assets``."""
    return "../" * assets.strip("/").count("/") + "../"


def missing_pyodide_files(pyodide_dir: Path) -> list[str]:
    return [f for f in PYODIDE_FILES if not (pyodide_dir / f).is_file()]


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


def runtime_files(
    config, options, data: Mapping[str, Any], pyodide_dir: Path, cache_dir: Path
) -> list[File]:
    """Every runtime file for the site; ``options`` is the plugin's config."""
    assets, pyodide = options.assets_path, pyodide_path(options, pyodide_dir)
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
    snapshot = make_snapshot(zipped, pyodide_dir, cache_dir) if options.snapshot else None
    if snapshot is not None:
        names["snapshot"] = snapshot.name
        files.append(File.generated(config, assets + snapshot.name, abs_src_path=str(snapshot)))
    settings = {
        **names,
        "pyodide": get_relative_url(pyodide, assets),
        "root": runtime_root(assets),
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
