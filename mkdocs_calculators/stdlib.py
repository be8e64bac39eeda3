"""A trimmed Python standard library for the browser: only the modules Pyodide's own start-up
and the calculators import, made at build time and deflated inside the zip (see ``ZIP_LEVEL``).

Which modules: Pyodide is booted under Node as the browser worker boots it, imports the
calculators, runs every calculator and the training-file check (``static/stdlib_probe.mjs``),
and reports every module it imported from its stdlib zip; to these are added the standard-library
modules named by any ``import`` in the shipped ``calculators/*.py`` (a scan of the source, so an
import inside a function that the probe did not reach is kept too, with what it imports). The
zip is cached under ``.cache/`` by the digest of everything it depends on.
"""

from __future__ import annotations

import ast
import hashlib
import io
import json
import logging
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger("mkdocs.plugins.calculators")

# Deflated inside the zip, not stored for HTTP to compress: GitHub Pages, the deployment target,
# is not known to gzip .zip responses (mime-db marks application/zip incompressible), and a
# stored trimmed stdlib would then cost 3.38 MB on the wire against 0.88 MB deflated. Where the
# host does gzip it, stored would save only ~60 KB (0.82 MB), so deflate is the safe choice.
ZIP_LEVEL = 9

STATIC = Path(__file__).parent / "static"
PROBE = ("stdlib_probe.mjs", "stdlib_probe.py")


def imported_names(sources: Iterable[bytes]) -> set[str]:
    """Every absolute module name an ``import`` in the sources may load, inside functions
    too: ``from a.b import c`` gives ``a.b`` and ``a.b.c`` (``c`` may be a submodule)."""
    names: set[str] = set()
    for source in sources:
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def stdlib_names(names: Iterable[str]) -> set[str]:
    """The names whose top-level package is in the standard library."""
    return {n for n in names if n.split(".")[0] in sys.stdlib_module_names}


def module_files(names: Iterable[str], entries: Iterable[str]) -> set[str]:
    """The zip entries that hold the modules named and their parent packages; a name with no
    file (a built-in such as ``math``, or a class imported from a module) gives none."""
    have = set(entries)
    files = set()
    for name in names:
        parts = name.split(".")
        for i in range(1, len(parts) + 1):
            stem = "/".join(parts[:i])
            for path in (f"{stem}.py", f"{stem}/__init__.py"):
                if path in have:
                    files.add(path)
    return files


def selection(entries: Iterable[str], files: Iterable[str]) -> set[str]:
    """The entries to keep for these module files: the files, every parent package's
    ``__init__.py`` and directory entry, and the non-Python files in a kept package's folder."""
    entries = list(entries)
    keep = set(files)
    for path in list(keep):
        parts = path.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            folder = "/".join(parts[:i]) + "/"
            keep.update(e for e in (folder, folder + "__init__.py") if e in entries)
    folders = {p.rsplit("/", 1)[0] + "/" for p in keep if "/" in p.rstrip("/")}
    for entry in entries:
        folder, _, name = entry.rpartition("/")
        if name and not name.endswith(".py") and folder + "/" in folders:
            keep.add(entry)
    return keep


def zip_names(blob: bytes) -> list[str]:
    """The entry names of a zip, in its order."""
    with zipfile.ZipFile(io.BytesIO(blob)) as zf:
        return zf.namelist()


def trimmed_zip(stdlib: bytes, keep: set[str]) -> bytes:
    """A deflated zip of the kept entries of ``stdlib``, in its order and with its names and
    dates, so the same selection always gives the same bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(stdlib)) as src, zipfile.ZipFile(buf, "w") as out:
        for info in src.infolist():
            if info.filename in keep:
                copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                copy.external_attr = info.external_attr
                copy.compress_type = zipfile.ZIP_DEFLATED
                out.writestr(copy, src.read(info), compresslevel=ZIP_LEVEL)
    return buf.getvalue()


def probe(
    pyodide_dir: Path, zipped: bytes, data_json: bytes, modules: list[str], stdlib: str = "-"
) -> dict:
    """Run ``static/stdlib_probe.mjs`` (Node) and return its report: ``files`` imported from
    the stdlib zip, ``runs``, ``checks`` and ``failures``. ``stdlib`` is a zip to boot from
    instead of Pyodide's own. Raises ``RuntimeError`` with Node's error output if it fails."""
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("Node.js not found")
    with tempfile.TemporaryDirectory() as tmp:
        zip_path, data_path = Path(tmp) / "calculators.zip", Path(tmp) / "data.json"
        zip_path.write_bytes(zipped)
        data_path.write_bytes(data_json)
        args = [str(pyodide_dir), str(zip_path), str(data_path), stdlib, *modules]
        done = subprocess.run(
            [node, str(STATIC / PROBE[0]), *args],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-1000:])
    return json.loads(done.stdout)


def probe_modules(sources: Iterable[bytes], registry: Iterable[str]) -> list[str]:
    """What the probe imports: the calculators' entry points and every stdlib module their
    source names (so an import inside a function brings what it imports in turn)."""
    entry = ["calculators._api", "calculators.training_file"]
    entry += [f"calculators.{m}" for m in registry]
    return entry + sorted(stdlib_names(imported_names(sources)))


def trim_stdlib(
    zipped: bytes,
    sources: list[bytes],
    modules: list[str],
    data_json: bytes,
    pyodide_dir: Path,
    cache: Path,
) -> Path | None:
    """The trimmed stdlib zip for this calculators zip, data and Pyodide build, made once and
    kept in ``cache``; ``None`` (with a warning) when it cannot be made, and the browser then
    loads Pyodide's full stdlib."""
    stdlib = (pyodide_dir / "python_stdlib.zip").read_bytes()
    lock = (pyodide_dir / "pyodide-lock.json").read_bytes()
    scripts = b"".join((STATIC / name).read_bytes() for name in PROBE)
    key = hashlib.sha256(
        b"\0".join([zipped, data_json, lock, stdlib, scripts, Path(__file__).read_bytes()])
    ).hexdigest()[:10]
    target = cache / f"python_stdlib-{key}.zip"
    if target.is_file():
        return target.resolve()
    try:
        report = probe(pyodide_dir, zipped, data_json, modules)
    except (RuntimeError, OSError, subprocess.TimeoutExpired, ValueError) as exc:
        log.warning(f"calculators: no trimmed stdlib, shipping Pyodide's whole one: {exc}")
        return None
    if report["failures"]:
        log.warning(f"calculators: no trimmed stdlib; the probe failed: {report['failures']}")
        return None
    entries = zip_names(stdlib)
    files = set(report["files"]) | module_files(stdlib_names(imported_names(sources)), entries)
    cache.mkdir(parents=True, exist_ok=True)
    for old in cache.glob("python_stdlib-*.zip"):
        old.unlink()
    target.write_bytes(trimmed_zip(stdlib, selection(entries, files)))
    return target.resolve()
