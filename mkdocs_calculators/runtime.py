"""What the browser needs to run the calculators: Pyodide's files, a zip of the ``calculators``
package (the very code pytest tests), the data tree as JSON, the worker, and the glue script
with its settings (among them the key under which the reader's browser keeps its memory
snapshot).
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import zipfile
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

import calculators
from calculators import REGISTRY
from calculators._resolve import yes_no_words

from .stdlib import ZIP_LEVEL, probe_modules, trim_stdlib

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
    return f"{options.pyodide_path}{pyodide_version(pyodide_dir)}/"


def runtime_root(assets: str) -> str:
    """The site root, relative to the folder ``assets``."""
    return "../" * assets.strip("/").count("/") + "../"


def missing_pyodide_files(pyodide_dir: Path) -> list[str]:
    return [f for f in PYODIDE_FILES if not (pyodide_dir / f).is_file()]


def shipped_sources() -> list[Path]:
    """The ``calculators`` modules the browser gets: all but the CLI, which reads files."""
    root = Path(calculators.__file__).parent
    return [path for path in sorted(root.glob("*.py")) if path.name != "__main__.py"]


def calculators_zip() -> bytes:
    """The ``calculators`` package as a zip, byte-for-byte what pytest imports; deflated
    inside the zip, as the host may not compress ``.zip`` (see :data:`.stdlib.ZIP_LEVEL`)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=ZIP_LEVEL) as zf:
        for path in shipped_sources():
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
    if options.trim_stdlib:
        stdlib = trimmed_stdlib(
            zipped, data_json, pyodide_dir, cache_dir.with_name("pyodide-stdlib")
        )
        if stdlib is not None:  # otherwise the worker loads Pyodide's whole stdlib
            names["stdlib"] = f"python_stdlib-{_digest(stdlib)}.zip"
            files.append(File.generated(config, assets + names["stdlib"], content=stdlib))
    settings = {
        **names,
        "pyodide": get_relative_url(pyodide, assets),
        "root": runtime_root(assets),
        "timeoutMs": options.boot_timeout * 1000,
        "yes": yes_no_words()["true"],
    }
    settings["runtimeBytes"] = wire_bytes(
        [pyodide_dir / name for name in PYODIDE_FILES if name != "python_stdlib.zip"]
        if "stdlib" in names
        else [pyodide_dir / name for name in PYODIDE_FILES],
        [zipped, data_json, worker, *([stdlib] if "stdlib" in names else [])],
    )
    if options.snapshot:
        settings["snapshotKey"] = snapshot_key(settings, pyodide_dir)
        settings["modules"] = snapshot_modules()
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


def pyodide_version(pyodide_dir: Path) -> str:
    """Pyodide's npm version; for a copy that is not an npm install, its lock file's digest."""
    package = pyodide_dir / "package.json"
    try:
        return json.loads(package.read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        return _digest((pyodide_dir / "pyodide-lock.json").read_bytes())


def snapshot_key(settings: Mapping[str, Any], pyodide_dir: Path) -> str:
    """Names the snapshot the reader's browser makes (worker.mjs): the Pyodide version and the
    digest names of the calculators package and standard library, so a deploy that changes any
    of them never restores the old one."""
    parts = [pyodide_version(pyodide_dir), settings["zip"], settings.get("stdlib", "full")]
    return _digest("\n".join(parts).encode())


def snapshot_modules() -> list[str]:
    """What the snapshot holds imported: the API, every calculator and the training-file
    check, ready to run."""
    modules = ["calculators._api", *(f"calculators.{m}" for m in REGISTRY.values())]
    return [*modules, "calculators.training_file"]


def trimmed_stdlib(zipped: bytes, data_json: bytes, pyodide_dir: Path, cache: Path) -> bytes | None:
    """The standard library trimmed to what the calculators use (:mod:`.stdlib`), or None."""
    sources = [path.read_bytes() for path in shipped_sources()]
    modules = probe_modules(sources, REGISTRY.values())
    path = trim_stdlib(zipped, sources, modules, data_json, pyodide_dir, cache)
    return None if path is None else path.read_bytes()


def wire_bytes(paths: list[Path], blobs: list[bytes]) -> int:
    """About what a first start downloads: each runtime file as a gzip-ing host sends it, a
    zip as it is (it is deflated inside). zlib's fastest level, an upper bound, keeps the build
    quick; the page only uses it to scale its boot timeout to a slow link."""
    blobs = [*blobs, *(path.read_bytes() for path in paths)]
    return sum(len(b) if b[:2] == b"PK" else len(zlib.compress(b, 1)) for b in blobs)
