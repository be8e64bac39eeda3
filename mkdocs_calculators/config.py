"""Options of the ``calculators`` plugin (``plugins: - calculators: {...}`` in mkdocs.yml)."""

from mkdocs.config import base
from mkdocs.config import config_options as c


class CalculatorsConfig(base.Config):
    enabled = c.Type(bool, default=True)
    """Switch the plugin off (markers then stay as text)."""

    data_dir = c.Dir(exists=True, default="data")
    """Folder of YAML figures, presets and scenarios, relative to mkdocs.yml."""

    pyodide_dir = c.Type(str, default="node_modules/pyodide")
    """Where the npm ``pyodide`` package is installed (relative to mkdocs.yml); its runtime
    files are copied into the site so nothing is fetched from another host."""

    pyodide_path = c.Type(str, default="assets/pyodide/")
    """Site path the Pyodide files are served from, in a folder named by Pyodide's version
    (``assets/pyodide/314.0.7/``), so that each of their URLs names one content."""

    assets_path = c.Type(str, default="assets/calc/")
    """Site path of the glue script, worker, stylesheet, calculators zip and data JSON."""

    boot_timeout = c.Type(int, default=45)
    """Seconds to wait for the browser runtime before saying live recalculation is unavailable
    (a wrong MIME type for .wasm makes Pyodide hang instead of failing)."""

    url_state = c.Type(bool, default=True)
    """Keep the first calculator's inputs in the page URL so a scenario can be linked."""

    snapshot = c.Type(bool, default=True)
    """Let the reader's browser make a Pyodide memory snapshot on its first start and keep it in
    Cache Storage: later visits start Python from it in a fraction of the usual time. Nothing
    is shipped for it (a snapshot made at build time cost every first visit ~6.5 MB)."""

    trim_stdlib = c.Type(bool, default=True)
    """Ship a Python standard library trimmed to the modules the calculators import (needs
    Node; 0.88 MB against 2.5 MB). Cached under ``.cache/`` by content; without Node the
    worker loads Pyodide's whole standard library."""
    offline = c.Type(bool, default=True)
    """Serve a service worker (``sw.js`` at the site root) that keeps what a reader has used, so
    a calculator used once works offline; registered only by pages with a calculator, and not
    under ``mkdocs serve``. See :mod:`mkdocs_calculators.offline`."""
