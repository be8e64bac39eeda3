// Build time and the unit test: boot Pyodide under Node as the browser worker does, import the
// modules named, run every calculator (defaults, a link, bad values, every scenario) and the
// training-file check, and print JSON: the stdlib files Python imported, the runs made and any
// failures. STDLIB is a stdlib zip to boot from instead of Pyodide's own ("-" for Pyodide's).
// Usage: node stdlib_probe.mjs PYODIDE_DIR ZIP DATA_JSON STDLIB MODULE...
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [pyodideDir, zipPath, dataPath, stdlib, ...modules] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const options = { indexURL: pyodideDir + path.sep, packages: [] };
if (stdlib !== "-") options.stdLibURL = stdlib;
const py = await loadPyodide(options);

// What worker.mjs does at boot.
py.unpackArchive(new Uint8Array(readFileSync(zipPath)), "zip", { extractDir: "/home/pyodide/tob" });
py.runPython("import sys\nif '/home/pyodide/tob' not in sys.path: sys.path.insert(0, '/home/pyodide/tob')");
const dataJson = readFileSync(dataPath, "utf8");
const api = py.pyimport("calculators._api");
api.set_data(dataJson);

const failures = [];
const attempt = (what, fn) => {
  try {
    return fn();
  } catch (err) {
    failures.push(`${what}: ${String(err && err.message ? err.message : err).slice(-800)}`);
    return null;
  }
};
for (const name of modules) attempt(`import ${name}`, () => py.pyimport(name));

// The probe's own helpers live in a namespace of their own, not in sys.modules.
const probe = py.toPy({});
py.runPython(readFileSync(new URL("stdlib_probe.py", import.meta.url), "utf8"), { globals: probe });

// Every run the page can ask for, through run_json as the worker calls it.
const cases = JSON.parse(probe.get("cases")(dataJson));
for (const [slug, raw, source, base] of cases) {
  const out = attempt(`${slug} ${raw}`, () => JSON.parse(api.run_json(slug, raw, source, base)));
  if (out && !out.ok && raw === "{}") failures.push(`${slug} at its defaults: ${out.message}`);
}
// A Python error reaching JavaScript (the worker catches it) has its traceback formatted.
let thrown = false;
try {
  api.run_json("no-such-calculator", "{}");
} catch (err) {
  thrown = String(err.message).includes("KeyError");
}
if (!thrown) failures.push("an unknown calculator did not raise a KeyError into JavaScript");

// The training-file check, fed in chunks of bytes as worker.mjs feeds it.
const tf = py.pyimport("calculators.training_file");
const feed = py.runPython("lambda check, chunk: check.feed(chunk.to_bytes())");
const samples = probe.get("SAMPLES");
const optionSets = JSON.parse(probe.get("training_options")(dataJson));
let checks = 0;
for (let i = 0; i < samples.length; i++) {
  const blob = samples.get(i).toJs();
  for (const opts of optionSets) {
    attempt(`training-file sample ${i} ${JSON.stringify(opts)}`, () => {
      const check = tf.FileCheck();
      for (let at = 0; at < blob.length; at += 100) feed(check, blob.subarray(at, at + 100));
      check.close();
      const out = JSON.parse(tf.page_json(check, JSON.stringify(opts), api._DATA));
      if (!out.ok) failures.push(`training-file sample ${i}: ${out.message}`);
      check.destroy();
      checks += 1;
    });
  }
}

const files = JSON.parse(probe.get("loaded")());
process.stdout.write(JSON.stringify({ files, runs: cases.length, checks, failures }));
