// One module worker per page runs Pyodide for every calculator on it, so the page stays
// responsive while Python boots. It only moves JSON between the page and calculators._api.
let runJson = null;

const fetchOk = async (url, how) => {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response[how]();
};

// A memory snapshot made at build time (make_snapshot.mjs) skips Python's own start-up; when
// there is none, or it cannot be used, Pyodide starts the ordinary way.
async function start(loadPyodide, pyodideUrl, snapshotUrl) {
  if (snapshotUrl) {
    try {
      const snapshot = fetchOk(snapshotUrl, "arrayBuffer").then((b) => new Uint8Array(b));
      return await loadPyodide({ indexURL: pyodideUrl, packages: [], _loadSnapshot: snapshot });
    } catch (err) {
      console.warn("Pyodide snapshot unusable, starting without it:", err);
    }
  }
  return loadPyodide({ indexURL: pyodideUrl, packages: [] });
}

async function boot({ pyodideUrl, zipUrl, dataUrl, snapshotUrl }) {
  const { loadPyodide } = await import(pyodideUrl + "pyodide.mjs");
  const [pyodide, zip, data] = await Promise.all([
    start(loadPyodide, pyodideUrl, snapshotUrl),
    fetchOk(zipUrl, "arrayBuffer"),
    fetchOk(dataUrl, "text"),
  ]);
  pyodide.unpackArchive(zip, "zip", { extractDir: "/home/pyodide/tob" });
  pyodide.runPython("import sys\nif '/home/pyodide/tob' not in sys.path: sys.path.insert(0, '/home/pyodide/tob')");
  const api = pyodide.pyimport("calculators._api");
  api.set_data(data); // once: every run after this reads the same tree
  runJson = api.run_json;
}

self.onmessage = async ({ data: msg }) => {
  if (msg.type === "boot") {
    try {
      await boot(msg);
      self.postMessage({ type: "ready" });
    } catch (err) {
      self.postMessage({ type: "failed", message: String(err && err.message ? err.message : err) });
    }
  } else if (msg.type === "run") {
    let out;
    try {
      const base = msg.base ? JSON.stringify(msg.base) : "";
      out = JSON.parse(runJson(msg.slug, JSON.stringify(msg.inputs), msg.source || "reader", base));
    } catch (err) {
      out = { ok: false, field: "", message: "The calculation failed unexpectedly; please report this page and these values." };
    }
    self.postMessage({ type: "result", id: msg.id, out });
  }
};
