// One module worker per page runs Pyodide for every calculator on it, so the page stays
// responsive while Python boots. It only moves JSON between the page and calculators._api.
let runJson = null;
let py = null; // the booted Pyodide, for the training-file check below

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
  py = pyodide;
}

// The training-file check (training-file.js) runs in this same worker and Python rather than a
// second Pyodide, which would cost the reader another download and start-up. The file arrives
// as chunks of bytes (file-chunk), each fed to calculators.training_file.FileCheck as it comes,
// so a large file never becomes one string; file-end and file-report answer with the report.
let fileApi = null;
let fileCheck = null;
function onFile(msg) {
  if (!fileApi) {
    fileApi = {
      tf: py.pyimport("calculators.training_file"),
      data: py.pyimport("calculators._api")._DATA,
      feed: py.runPython("lambda check, chunk: check.feed(chunk.to_bytes())"),
    };
  }
  if (msg.type === "file-start") {
    if (fileCheck) fileCheck.destroy();
    fileCheck = fileApi.tf.FileCheck();
    return { ok: true };
  }
  if (msg.type === "file-chunk") {
    fileApi.feed(fileCheck, msg.bytes);
    return { ok: true };
  }
  if (msg.type === "file-end") fileCheck.close();
  return JSON.parse(fileApi.tf.page_json(fileCheck, JSON.stringify(msg.options || {}), fileApi.data));
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
  } else if (msg.type.startsWith("file-")) {
    let out;
    try {
      out = onFile(msg);
    } catch (err) {
      out = { ok: false, field: "", message: "The check failed unexpectedly; please report this page and the kind of file." };
    }
    self.postMessage({ type: "result", id: msg.id, out });
  }
};
