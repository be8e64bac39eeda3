// One module worker per page runs Pyodide for every calculator on it, so the page stays
// responsive while Python boots. It only moves JSON between the page and calculators._api.
let runJson = null;
let py = null; // the booted Pyodide, for the training-file check below

const fetchOk = async (url, how) => {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response[how]();
};

// The memory snapshot skips Python's own start-up and the calculators' imports, most of a
// warm start. It is made here, in the reader's browser, on the first visit (not shipped: that
// cost every first visit ~6.5 MB), and kept in Cache Storage under a URL that names the Pyodide
// version, the calculators package and the standard library, so a deploy never restores old
// code. Pyodide also refuses a snapshot of another build. Anything wrong: start the usual way.
const SNAPSHOTS = "tob-snapshots";

async function cachedSnapshot(url) {
  try {
    const hit = await (await caches.open(SNAPSHOTS)).match(url);
    return hit ? new Uint8Array(await hit.arrayBuffer()) : null;
  } catch (err) {
    return null; // no Cache Storage here (e.g. some private windows)
  }
}

async function keepSnapshot(url, bytes) {
  try {
    const cache = await caches.open(SNAPSHOTS);
    for (const old of await cache.keys()) if (old.url !== url) await cache.delete(old);
    await cache.put(url, new Response(bytes, { headers: { "Content-Type": "application/octet-stream" } }));
  } catch (err) {
    console.warn("Pyodide snapshot not kept:", err);
  }
}

async function forgetSnapshot(url) {
  try {
    await (await caches.open(SNAPSHOTS)).delete(url);
  } catch (err) {
    // nothing to forget
  }
}

const TOB_DIR = "/home/pyodide/tob";
const ON_PATH = `import sys\nif '${TOB_DIR}' not in sys.path: sys.path.insert(0, '${TOB_DIR}')`;
// A restored snapshot holds the random state of the browser that made it.
const RESEED = "import sys\nif 'random' in sys.modules: sys.modules['random'].seed()";

// zip: a promise of the calculators package. Returns [pyodide, how it started]: "snapshot"
// (restored), or "fresh" (and a snapshot was made for the next visit).
async function start(loadPyodide, msg, zip) {
  const options = { indexURL: msg.pyodideUrl, packages: [] };
  if (msg.stdlibUrl) options.stdLibURL = msg.stdlibUrl;
  const unpack = async (py) => {
    py.unpackArchive(await zip, "zip", { extractDir: TOB_DIR });
    py.runPython(ON_PATH);
  };
  const snapshot = msg.snapshotUrl ? await cachedSnapshot(msg.snapshotUrl) : null;
  if (snapshot) {
    let restored = null;
    try {
      restored = await loadPyodide({ ...options, _loadSnapshot: snapshot });
      restored.runPython(RESEED);
    } catch (err) {
      console.warn("Pyodide snapshot unusable, starting without it:", err);
      await forgetSnapshot(msg.snapshotUrl);
    }
    if (restored) {
      await unpack(restored); // the files are not in the snapshot, only the imported modules
      return [restored, "snapshot"];
    }
  }
  const py = await loadPyodide({ ...options, _makeSnapshot: Boolean(msg.snapshotUrl) });
  await unpack(py);
  // Imported before the snapshot is taken, so that a later visit restores them ready to run.
  py.runPython(msg.modules.map((name) => `import ${name}`).join("\n"));
  if (msg.snapshotUrl) {
    try {
      const bytes = py.makeMemorySnapshot();
      keepSnapshot(msg.snapshotUrl, bytes); // not awaited: the reader's result comes first
    } catch (err) {
      console.warn("Pyodide snapshot not made:", err);
    }
  }
  return [py, "fresh"];
}

async function boot(msg) {
  // The package and data download while Pyodide loads; each is awaited where it is needed.
  const zip = fetchOk(msg.zipUrl, "arrayBuffer");
  const data = fetchOk(msg.dataUrl, "text");
  zip.catch(() => {});
  data.catch(() => {});
  const { loadPyodide } = await import(msg.pyodideUrl + "pyodide.mjs");
  const [pyodide, how] = await start(loadPyodide, msg, zip);
  const api = pyodide.pyimport("calculators._api");
  api.set_data(await data); // once: every run after this reads the same tree
  runJson = api.run_json;
  py = pyodide;
  return how;
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
      const how = await boot(msg);
      self.postMessage({ type: "ready", start: how });
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
