// Build-time: boot Pyodide under Node, load the calculators package, and save the memory
// snapshot. The browser worker starts from it instead of initialising Python, which is most
// of Pyodide's start-up time. Usage: node make_snapshot.mjs PYODIDE_DIR ZIP OUT MODULE...
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [pyodideDir, zipPath, outPath, ...modules] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const py = await loadPyodide({ indexURL: pyodideDir + path.sep, _makeSnapshot: true });
py.unpackArchive(new Uint8Array(readFileSync(zipPath)), "zip", { extractDir: "/home/pyodide/tob" });
py.runPython("import sys; sys.path.insert(0, '/home/pyodide/tob')");
for (const name of modules) py.pyimport(name);
writeFileSync(outPath, py.makeMemorySnapshot());
