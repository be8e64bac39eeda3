// One module worker per page runs Pyodide for every calculator on it, so the page stays
// responsive while Python boots. It only moves JSON between the page and calculators._api.
let runJson = null;
let dataJson = "";

async function boot({ pyodideUrl, zipUrl, dataUrl }) {
  const { loadPyodide } = await import(pyodideUrl + "pyodide.mjs");
  const fetchOk = async (url, how) => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    return response[how]();
  };
  const [pyodide, zip, data] = await Promise.all([
    loadPyodide({ indexURL: pyodideUrl, packages: [] }),
    fetchOk(zipUrl, "arrayBuffer"),
    fetchOk(dataUrl, "text"),
  ]);
  pyodide.unpackArchive(zip, "zip", { extractDir: "/home/pyodide/tob" });
  pyodide.runPython("import sys; sys.path.insert(0, '/home/pyodide/tob')");
  runJson = pyodide.pyimport("calculators._api").run_json;
  dataJson = data;
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
      out = JSON.parse(runJson(msg.slug, JSON.stringify(msg.inputs), dataJson));
    } catch (err) {
      out = { ok: false, field: "", message: "The calculation failed unexpectedly; please report this page and these values." };
    }
    self.postMessage({ type: "result", id: msg.id, out });
  }
};
