"""Offline after a first visit, never mixing versions.

* Content addressing: every runtime URL names its content. The calculators zip, data JSON,
  worker and snapshot carry a digest in their names (:mod:`.runtime`), Pyodide's files sit under
  its version (``assets/pyodide/<version>/``), and the scripts and stylesheets a page links
  (``calc.js``, ``calc.css``, ...) get ``?v=<digest>`` (:func:`versioned_urls`).
* The service worker (``static/sw.js``), at the site root so its scope is every page: runtime
  files cache first, pages and everything else network first; one cache a version,
  ``tob-sw-<version>``, the version being a digest of the runtime (:func:`service_worker`).
* Its registration (``static/sw-register.js``) acts only on a page with a calculator or the
  training-file check, and is left out under ``mkdocs serve``.
"""

from __future__ import annotations

import hashlib
import json
import re

from mkdocs.structure.files import File

from .runtime import STATIC, runtime_root

REGISTER = "sw-register.js"
_DIGEST_NAME = re.compile(r"-[0-9a-f]{10}\.[a-z]+$")


def _digest(blob: bytes) -> str:
    return hashlib.sha256(blob).hexdigest()[:10]


def register_script(config, assets: str) -> File:
    """``sw-register.js``, told where the site root is relative to it."""
    text = (STATIC / REGISTER).read_text(encoding="utf-8")
    text = text.replace('/*ROOT*/"../../"', json.dumps(runtime_root(assets)))
    return File.generated(config, assets + REGISTER, content=text)


def versioned_urls(files: list[File], assets: str) -> dict[str, str]:
    """Each runtime file under ``assets`` whose name does not carry its digest already, by
    site path, to the same path with ``?v=<digest of its content>``."""
    return {
        f.src_uri: f"{f.src_uri}?v={_digest(f.content_bytes)}"
        for f in files
        if f.src_uri.startswith(assets) and not _DIGEST_NAME.search(f.src_uri)
    }


def service_worker(
    config, files: list[File], versioned: dict[str, str], assets: str, pyodide: str
) -> File:
    """``sw.js`` at the site root, with this build's version and runtime URLs written in.

    The version is a digest of every runtime file's URL and content and of the worker's own
    code: a new runtime is a new cache, an unchanged one keeps the reader's cache.
    """
    template = (STATIC / "sw.js").read_text(encoding="utf-8")
    urls = sorted(versioned.get(f.src_uri, f.src_uri) for f in files)
    version = hashlib.sha256(template.encode())
    for f in sorted(files, key=lambda f: f.src_uri):
        version.update(f"{versioned.get(f.src_uri, f.src_uri)}\0".encode())
        version.update(f.content_bytes)
    calc = versioned[assets + "calc.js"]
    settings = {
        "version": version.hexdigest()[:10],
        "runtime": urls,
        "assets": assets,
        "pyodide": pyodide,
        "calc": calc.rsplit("/", 1)[-1],  # how a page of this build names its calc.js
        "siteName": config.site_name,
    }
    text = template.replace("/*SETTINGS*/{}", json.dumps(settings, sort_keys=True))
    return File.generated(config, "sw.js", content=text)


def version_page_assets(config, versioned: dict[str, str]) -> None:
    """Point the page's ``<script>`` and ``<link>`` tags at the versioned URLs."""
    for script in config.extra_javascript:
        if getattr(script, "path", None) in versioned:
            script.path = versioned[script.path]
    config.extra_css[:] = [versioned.get(path, path) for path in config.extra_css]
