// Thin glue for the training-file check ([[training-file-check]]). It reads the reader's file
// in slices, hands each slice's bytes to the page's one Python worker (window.tobRuntime, from
// calc.js), shows progress, and draws the report Python sends back (calculators/training_file.py
// formats every word and number; this only places text). Nothing the reader gives leaves the
// page: no request is made while a file is checked.
(() => {
  "use strict";
  const CHUNK = 4 << 20; // bytes per message to the worker: progress steps, memory stays flat
  const STATUS = {
    booting: "Starting Python in this page…",
    reading: "Checking {name} in this page; nothing is uploaded.",
    done: "Checked {name} in this page; nothing was uploaded.",
    failed: "The check cannot run in this browser right now ({reason}). The report shown is the example's, computed when this page was built.",
  };
  let seq = 0; // a newer file stops the reading of an older one
  let checked = null; // name of the file Python holds, for re-reports when an input changes

  const $ = (root, sel) => root.querySelector(sel);

  function setStatus(root, state, values) {
    const status = $(root, ".tob-status");
    status.dataset.state = state;
    status.textContent = STATUS[state].replace(/\{(\w+)\}/g, (_, k) => (values || {})[k] || "");
  }

  function options(root) {
    const out = {};
    for (const el of root.querySelectorAll(".tob-form [data-default]")) out[el.name] = el.value;
    return out;
  }

  function clearErrors(root) {
    for (const el of root.querySelectorAll(".tob-error")) el.textContent = "";
    for (const el of root.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  }

  function showError(root, field, message) {
    const input = field && $(root, `.tob-form [name="${CSS.escape(field)}"]`);
    if (input) {
      input.setAttribute("aria-invalid", "true");
      input.closest(".tob-field").querySelector(".tob-error").textContent = message;
    } else {
      $(root, "[data-file-error]").textContent = message;
    }
  }

  const el = (tag, text, attrs) => {
    const node = document.createElement(tag);
    if (text != null) node.textContent = text;
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    return node;
  };

  // The same structure mkdocs_calculators/training_file.py renders at build time.
  function drawReport(root, view) {
    const verdict = el("p", view.verdict, { class: "tob-filecheck__verdict", "data-verdict": "" });
    const list = el("dl", null, { class: "tob-results__list" });
    for (const fact of view.facts) {
      const row = el("div", null, { class: "tob-result", "data-fact": fact.key });
      row.append(el("dt", fact.label), el("dd", fact.value));
      list.append(row);
    }
    const tables = view.tables.map((t) => {
      const box = el("div", null, { class: "tob-filecheck__table", "data-table": t.key });
      const title = el("p", null, { class: "tob-filecheck__title" });
      title.append(el("strong", t.title));
      box.append(title);
      if (!t.rows.length) {
        box.append(el("p", t.empty));
        return box;
      }
      const table = el("table");
      const head = el("tr");
      for (const c of t.columns) head.append(el("th", c, { scope: "col" }));
      const body = el("tbody");
      for (const row of t.rows) {
        const tr = el("tr");
        for (const c of row) tr.append(el("td", c));
        body.append(tr);
      }
      const thead = el("thead");
      thead.append(head);
      table.append(thead, body);
      box.append(table);
      if (t.more) box.append(el("p", t.more, { class: "tob-help" }));
      return box;
    });
    $(root, "[data-report]").replaceChildren(verdict, list, ...tables);
  }

  function showProgress(root, done, total) {
    const bar = $(root, "progress");
    bar.closest(".tob-filecheck__progress").hidden = done >= total;
    bar.value = total ? Math.floor((100 * done) / total) : 100;
    const mb = (n) => (n / 1e6).toLocaleString("en-US", { maximumFractionDigits: 1 });
    $(root, "[data-progress-text]").textContent = `${mb(done)} of ${mb(total)} MB`;
  }

  function answer(root, out, name) {
    clearErrors(root);
    if (!out.ok) return showError(root, out.field, out.message);
    $(root, "[data-report-name]").textContent = name;
    drawReport(root, out.view);
    setStatus(root, "done", { name });
    root.dispatchEvent(new CustomEvent("tob:checked", { detail: { report: out.report } }));
  }

  async function checkFile(root, file, name) {
    const id = (seq += 1);
    const rt = window.tobRuntime;
    setStatus(root, "booting");
    try {
      await rt.boot();
    } catch (err) {
      return setStatus(root, "failed", { reason: err.message });
    }
    if (id !== seq) return;
    setStatus(root, "reading", { name });
    showProgress(root, 0, file.size);
    await rt.send({ type: "file-start" });
    for (let start = 0; start < file.size; start += CHUNK) {
      const buffer = await file.slice(start, start + CHUNK).arrayBuffer();
      if (id !== seq) return; // another file was chosen: stop reading this one
      await rt.send({ type: "file-chunk", bytes: new Uint8Array(buffer) }, [buffer]);
      showProgress(root, Math.min(file.size, start + CHUNK), file.size);
    }
    const out = await rt.send({ type: "file-end", options: options(root) });
    if (id !== seq) return;
    checked = name;
    answer(root, out, name);
  }

  async function recheck(root) {
    if (checked === null) {
      // Still the example: check it now, from this site (the reader's own file is never fetched).
      const href = root.dataset.example;
      const blob = await fetch(href).then((r) => r.blob());
      return checkFile(root, blob, href.split("/").pop());
    }
    const id = (seq += 1);
    const out = await window.tobRuntime.send({ type: "file-report", options: options(root) });
    if (id === seq) answer(root, out, checked);
  }

  function setup(root) {
    if (root.dataset.wired) return;
    root.dataset.wired = "true";
    const input = $(root, 'input[type="file"]');
    input.addEventListener("change", () => {
      if (input.files.length) checkFile(root, input.files[0], input.files[0].name);
    });
    const drop = $(root, "[data-drop]");
    drop.addEventListener("dragover", (event) => {
      event.preventDefault();
      drop.classList.add("tob-filecheck__drop--over");
    });
    drop.addEventListener("dragleave", () => drop.classList.remove("tob-filecheck__drop--over"));
    drop.addEventListener("drop", (event) => {
      event.preventDefault();
      drop.classList.remove("tob-filecheck__drop--over");
      const file = event.dataTransfer.files[0];
      if (file) checkFile(root, file, file.name);
    });
    $(root, "[data-check-paste]").addEventListener("click", () => {
      const text = $(root, "textarea").value;
      checkFile(root, new Blob([text]), "the pasted lines");
    });
    for (const field of root.querySelectorAll(".tob-form [data-default]")) {
      field.addEventListener("change", () => recheck(root));
    }
    $(root, ".tob-form").addEventListener("submit", (event) => event.preventDefault());
  }

  function init() {
    document.querySelectorAll("[data-filecheck]").forEach(setup);
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
