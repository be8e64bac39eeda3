// Thin glue between calculator forms and the page's Pyodide worker. No formula lives here:
// it reads the form, posts raw strings to Python, and writes back the text Python formatted.
// Subscribes to mkdocs-material's document$ so it survives instant navigation; the worker (and
// its booted Python) is kept across navigations.
(() => {
  "use strict";
  const SETTINGS = /*SETTINGS*/{};
  const ASSETS = new URL(".", document.currentScript.src);
  const SITE_ROOT = new URL(SETTINGS.root, ASSETS);
  const STATUS = {
    booting: "Loading live recalculation…",
    live: "Live: results update as you change a value.",
    failed: "Live recalculation is unavailable in this browser right now ({reason}). The numbers shown were computed when this page was built, for the values shown.",
  };

  const YES = new Set(SETTINGS.yes || []); // the yes-words of calculators/_inputs.py

  // Per-calculator state, kept here rather than as properties on DOM nodes.
  const state = new WeakMap(); // root -> {seq, urlTimer, chart, sayTimer, said}
  const stateOf = (root) => {
    if (!state.has(root)) state.set(root, { seq: 0, urlTimer: 0, chart: undefined, sayTimer: 0, said: "" });
    return state.get(root);
  };

  let worker = null;
  let runtime = null; // Promise resolved when Python is ready, rejected when it cannot load
  let nextId = 1;
  const pending = new Map(); // request id -> callback

  // The boot timeout catches a runtime that hangs (a wrong .wasm MIME type), not a slow link:
  // where the browser reports its downlink, twice the time the runtime's bytes take on it is
  // added, so a phone on a slow connection is not told "too long" while the files still arrive.
  function bootTimeoutMs() {
    const mbps = navigator.connection && navigator.connection.downlink;
    if (!(mbps > 0) || !SETTINGS.runtimeBytes) return SETTINGS.timeoutMs;
    const transferMs = (SETTINGS.runtimeBytes * 8) / (mbps * 1000);
    return SETTINGS.timeoutMs + 2 * transferMs;
  }

  function bootRuntime() {
    if (runtime) return runtime;
    runtime = new Promise((resolve, reject) => {
      let settled = false;
      const fail = (reason) => {
        if (settled) return;
        settled = true;
        if (worker) worker.terminate();
        worker = null;
        reject(new Error(reason));
      };
      const timer = setTimeout(() => fail("it took too long to start"), bootTimeoutMs());
      try {
        performance.mark("tob-boot");
        worker = new Worker(new URL(SETTINGS.worker, ASSETS), { type: "module" });
      } catch (err) {
        fail("this browser cannot start it");
        return;
      }
      worker.onerror = (event) => {
        event.preventDefault();
        fail("its files could not be loaded");
      };
      worker.onmessage = ({ data: msg }) => {
        if (msg.type === "ready") {
          settled = true;
          performance.mark("tob-live");
          document.documentElement.dataset.tobStart = msg.start; // "snapshot" or "fresh", for tests
          performance.mark(`tob-start-${msg.start}`);
          clearTimeout(timer);
          resolve();
        } else if (msg.type === "failed") {
          clearTimeout(timer);
          fail("its files could not be loaded");
        } else if (msg.type === "result") {
          const callback = pending.get(msg.id);
          pending.delete(msg.id);
          if (callback) callback(msg.out);
        }
      };
      worker.postMessage({
        type: "boot",
        pyodideUrl: new URL(SETTINGS.pyodide, ASSETS).href,
        zipUrl: new URL(SETTINGS.zip, ASSETS).href,
        dataUrl: new URL(SETTINGS.data, ASSETS).href,
        stdlibUrl: SETTINGS.stdlib ? new URL(SETTINGS.stdlib, ASSETS).href : "",
        snapshotUrl: SETTINGS.snapshotKey ? snapshotUrl() : "",
        modules: SETTINGS.modules || [],
      });
    });
    runtime.catch(() => {}); // failures are shown per calculator
    return runtime;
  }

  // Python resolves what it is given (calculators/_resolve.py): source "url" for a link's
  // parameters, "reader" for the form; base is the form when only a preset was just chosen.
  function compute(slug, inputs, source, base) {
    return new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      worker.postMessage({ type: "run", id, slug, inputs, source, base: base || null });
    });
  }

  // ---- one calculator ------------------------------------------------------------------
  function fieldsOf(root) {
    return Array.from(root.querySelectorAll(".tob-form [name]")).filter((el) => el.name !== "preset");
  }

  function readInputs(root) {
    const inputs = {};
    for (const el of fieldsOf(root)) {
      inputs[el.name] = el.type === "checkbox" ? (el.checked ? "true" : "false") : el.value;
    }
    return inputs;
  }

  function writeInput(el, value) {
    if (el.type === "checkbox") el.checked = YES.has(String(value).trim().toLowerCase());
    else if (el.value !== value) el.value = value;
  }

  // The resolved inputs Python sends back fill the form (after a link or a preset).
  function writeInputs(root, inputs) {
    for (const el of fieldsOf(root)) if (inputs && el.name in inputs) writeInput(el, inputs[el.name]);
  }

  function setStatus(root, state, reason) {
    const status = root.querySelector(".tob-status");
    status.dataset.state = state;
    status.textContent = STATUS[state].replace("{reason}", reason || "");
    root.dataset.live = state;
  }

  function clearErrors(root) {
    for (const el of root.querySelectorAll(".tob-error")) el.textContent = "";
    for (const el of root.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  }

  function showError(root, field, message) {
    const input = root.querySelector(`.tob-form [name="${CSS.escape(field)}"]`);
    const slot = input && input.closest(".tob-field").querySelector(".tob-error");
    if (slot) {
      const more = input.closest("details");
      if (more) more.open = true;
      input.setAttribute("aria-invalid", "true");
      slot.textContent = message;
    } else {
      root.querySelector(".tob-form .tob-error").textContent = message;
    }
    root.classList.add("tob-calc--stale");
  }

  // A list output (e.g. which-approach's reasons): each item's text, linked to a page of this
  // site. Built with DOM calls, never from HTML; a link that is not a plain site path is dropped.
  const SITE_PATH = /^[a-z0-9][a-z0-9/_.-]*(#[a-z0-9_-]*)?$/i;
  function listItems(items) {
    return (items || []).map((item) => {
      const li = document.createElement("li");
      if (typeof item.href === "string" && SITE_PATH.test(item.href) && !item.href.includes("..")) {
        const a = document.createElement("a");
        a.href = new URL(item.href, SITE_ROOT).href;
        a.textContent = item.text;
        li.append(a);
      } else {
        li.textContent = item.text;
      }
      return li;
    });
  }

  function showResult(root, out) {
    root.classList.remove("tob-calc--stale");
    for (const output of root.querySelectorAll("[data-output]")) {
      const key = output.dataset.output;
      const text = out.display[key];
      if (output.tagName === "OL") output.replaceChildren(...listItems((out.items || {})[key]));
      else output.textContent = text == null ? "" : text;
      output.closest(".tob-result").hidden = !text;
    }
    const chart = root.querySelector("[data-chart]");
    if (chart && out.chart !== stateOf(root).chart) {
      stateOf(root).chart = out.chart;
      // The chart is SVG and a table drawn by our Python (which escapes every value); it is
      // parsed inertly and any script element is dropped before it enters the page.
      const doc = new DOMParser().parseFromString(out.chart || "", "text/html");
      for (const el of doc.querySelectorAll("script, foreignObject, iframe")) el.remove();
      chart.replaceChildren(...Array.from(doc.body.childNodes, (n) => document.importNode(n, true)));
      chart.hidden = !out.chart;
    }
    const summary = root.querySelector("[data-summary]");
    if (summary) summary.textContent = out.summary;
    const answer = root.querySelector("[data-answer]");
    if (answer) {
      answer.textContent = out.answer || "";
      answer.hidden = !out.answer;
    }
  }

  // The answer is read out once the reader pauses, not on every keystroke: the visible sentence
  // updates at once, the live region only when typing has stopped for a moment and it changed.
  const SETTLE_MS = 1200;
  function announce(root) {
    const run = stateOf(root);
    clearTimeout(run.sayTimer);
    run.sayTimer = setTimeout(() => {
      const answer = root.querySelector("[data-answer]");
      const live = root.querySelector("[data-answer-live]");
      const error = root.querySelector(".tob-error:not(:empty)");
      const text = error ? "" : answer && !answer.hidden ? answer.textContent : "";
      if (!live || !text || text === run.said) return;
      run.said = text;
      live.textContent = text;
    }, SETTLE_MS);
  }

  // Python writes the link's query (only what differs from the defaults, plus v) with every
  // result; until the first one, the query of the values built into the page stands.
  function currentQuery(root) {
    const query = stateOf(root).query;
    return query !== undefined ? query : root.dataset.query || "";
  }

  // The link to share: a named scenario's own page when the values are exactly that scenario
  // (data-named: query -> site path, from the build), else the page with the short query (on
  // a named scenario's page, the calculator's page: data-link-page).
  function scenarioUrl(root) {
    const query = currentQuery(root);
    const named = JSON.parse(root.dataset.named || "{}");
    if (Object.hasOwn(named, query)) return new URL(named[query], SITE_ROOT).href;
    const page = root.dataset.linkPage;
    const url = page ? new URL(page, SITE_ROOT) : new URL(window.location.href);
    url.hash = "";
    url.search = query;
    return url.href;
  }

  // The address bar: this page, bare when it is the link to share (a named scenario's page
  // unedited), else with the query, so a reload shows the same values.
  function addressUrl(root, shared) {
    const here = new URL(window.location.href);
    here.hash = "";
    if (new URL(shared).pathname === here.pathname) return shared;
    here.search = currentQuery(root);
    return here.href;
  }

  function updateLink(root) {
    const link = root.querySelector("[data-scenario-link]");
    const href = scenarioUrl(root);
    if (link) link.href = href;
    const shown = root.querySelector("[data-scenario-url]");
    if (shown) shown.textContent = ` ${href}`;
    if (root.dataset.urlState === "true") {
      // replaceState keeps mkdocs-material's own history state (scroll memory) intact; it is
      // batched because browsers throttle pages that call it on every keystroke.
      const address = addressUrl(root, href);
      clearTimeout(stateOf(root).urlTimer);
      stateOf(root).urlTimer = setTimeout(() => {
        if (document.contains(root)) history.replaceState(history.state, "", address + window.location.hash);
      }, 250);
    }
  }

  // The chosen preset's source and date, beside the control (the full list is under Sources).
  function showPresetSource(root, select) {
    const slot = root.querySelector("[data-preset-source]");
    const option = select.selectedOptions[0];
    if (!slot || !option) return;
    if (slot.dataset.intro === undefined) slot.dataset.intro = slot.textContent;
    if (!option.value) return slot.replaceChildren(slot.dataset.intro);
    const { source, url, asOf } = option.dataset;
    const named = document.createElement(url ? "a" : "span");
    named.textContent = source;
    if (url) named.href = url;
    slot.replaceChildren("Source: ", named, `, as of ${asOf}.`);
  }

  // given: what to resolve (the form, a link's parameters, or a chosen preset over the form).
  async function recompute(root, given, source) {
    const form = readInputs(root);
    const chosen = given || form;
    const run = stateOf(root);
    const id = (run.seq += 1);
    const base = given && source !== "url" ? form : null;
    const out = await compute(root.dataset.calculator, chosen, source || "reader", base);
    if (id !== run.seq) return; // a newer change is on its way
    performance.mark("tob-result");
    if (given) writeInputs(root, out.inputs);
    if (out.query !== undefined) run.query = out.query;
    clearErrors(root);
    if (out.ok) showResult(root, out);
    else showError(root, out.field, out.message);
    if (source !== "url") announce(root);
    updateLink(root);
    root.dispatchEvent(new CustomEvent("tob:computed", { detail: { ok: out.ok } }));
  }

  // A scenario link's parameters, as they are: Python applies aliases, the link version's
  // defaults and presets, and sends the full set back.
  function urlParams(root) {
    if (root.dataset.urlState !== "true") return null;
    const search = new URLSearchParams(window.location.search);
    if (sameQuery(search, new URLSearchParams(root.dataset.query || ""))) return null;
    const params = Object.fromEntries(search);
    return Object.keys(params).length ? params : null;
  }

  // The link asks for exactly the values the page was built with: nothing to compute.
  function sameQuery(a, b) {
    const norm = (q) => Array.from(q).map(([k, v]) => `${k}=${v}`).sort().join("&");
    return norm(a) === norm(b);
  }

  function changedSinceBuild(root) {
    return fieldsOf(root).some((el) =>
      el.type === "checkbox" ? el.checked !== (el.dataset.default === "true") : el.value !== el.dataset.default,
    );
  }

  async function copyText(button, text) {
    const note = button.parentElement.querySelector(".tob-copied");
    try {
      await navigator.clipboard.writeText(text);
      note.textContent = button.dataset.done;
    } catch (err) {
      note.textContent = "Copying was blocked by the browser; select the text below and copy it.";
    }
  }

  function setup(root) {
    if (root.dataset.wired) return;
    root.dataset.wired = "true";
    stateOf(root).said = root.querySelector("[data-answer]")?.textContent || "";
    const fromUrl = urlParams(root);
    if (fromUrl) root.classList.add("tob-calc--stale");
    for (const button of root.querySelectorAll("button[data-copy]")) {
      button.hidden = false;
      button.addEventListener("click", () => {
        const link = scenarioUrl(root);
        const summary = root.querySelector("[data-summary]").textContent;
        copyText(button, button.dataset.copy === "link" ? link : `${summary}\n${link}`);
      });
    }
    const form = root.querySelector(".tob-form");
    form.addEventListener("submit", (event) => event.preventDefault());
    // A scenario link whose values differ from the ones built into the page needs Python to
    // show its numbers, so it starts at once and opens on its answer and chart, unless the
    // link names a section of the page other than its title.
    if (fromUrl) {
      const target = decodeURIComponent(window.location.hash.slice(1));
      const title = document.querySelector("article h1");
      if (!target || (title && title.id === target) || target === root.id) {
        root.scrollIntoView({ block: "start" });
      }
      goLive(root, form, fromUrl);
    } else {
      onIntent(root, () => goLive(root, form, null));
    }
  }

  // Python costs a first visit megabytes, and every result is already in the page, so a reader
  // who only reads downloads none of it: the runtime starts when the reader shows intent on a
  // calculator (focus, pointer or key), or when the browser is idle and the runtime is already
  // cached (then it costs no bytes). Once it is started, every calculator on the page (and on
  // pages reached by instant navigation) goes live, as they share one worker.
  const waiting = new Set(); // start functions of calculators not yet live
  function startAll() {
    const starts = Array.from(waiting);
    waiting.clear();
    starts.forEach((start) => start());
  }

  function onIntent(root, start) {
    if (runtime) return start(); // already started for another calculator: no extra bytes
    waiting.add(start);
    for (const type of ["focusin", "pointerdown", "keydown"]) {
      root.addEventListener(type, startAll, { once: true, passive: true });
    }
    startWhenIdleIfCached();
  }

  let idleChecked = false;
  function startWhenIdleIfCached() {
    if (idleChecked) return;
    idleChecked = true;
    const connection = navigator.connection;
    if ((connection && connection.saveData) || !("caches" in window)) return;
    runtimeCached().then((cached) => {
      if (!cached || runtime) return;
      const idle = window.requestIdleCallback || ((fn) => setTimeout(fn, 1));
      idle(() => startAll(), { timeout: 3000 });
    });
  }

  // Cached: this build's memory snapshot (worker.mjs keeps it in Cache Storage) or its
  // calculators package (kept by the service worker) is there, so starting costs no download.
  async function runtimeCached() {
    try {
      const urls = [new URL(SETTINGS.zip, ASSETS).href];
      if (SETTINGS.snapshotKey) urls.unshift(snapshotUrl());
      for (const url of urls) if (await caches.match(url)) return true;
    } catch (err) {
      // Cache Storage unavailable (e.g. a private window): start only on intent.
    }
    return false;
  }

  const snapshotUrl = () => new URL(`snapshot/${SETTINGS.snapshotKey}`, ASSETS).href;

  function goLive(root, form, fromUrl) {
    setStatus(root, "booting");
    bootRuntime().then(
      () => {
        setStatus(root, "live");
        const preset = form.querySelector('select[name="preset"]');
        form.addEventListener("input", (event) => {
          const name = event.target.name;
          if (event.target === preset) {
            showPresetSource(root, preset);
            // A preset goes over the form as it stands; Python sends back the values to show.
            return recompute(root, preset.value ? { preset: preset.value } : null);
          }
          if (preset && name === root.dataset.presetInput) {
            // Choosing a model (the preset input) applies the preset of the same name.
            const same = Array.from(preset.options).some((o) => o.value && o.value === event.target.value);
            preset.value = same ? event.target.value : "";
            showPresetSource(root, preset);
            return recompute(root, { [name]: event.target.value });
          }
          return recompute(root);
        });
        // A link's parameters, or values typed while Python was starting, are computed now.
        if (fromUrl) recompute(root, fromUrl, "url");
        else if (changedSinceBuild(root)) recompute(root);
      },
      (err) => {
        root.classList.remove("tob-calc--stale");
        setStatus(root, "failed", err.message);
      },
    );
  }

  function init() {
    const calcs = document.querySelectorAll(".tob-calc");
    calcs.forEach(setup);
  }

  // Print the whole form: open "More inputs" so the handout shows every value.
  window.addEventListener("beforeprint", () => {
    for (const more of document.querySelectorAll(".tob-more")) more.open = true;
  });

  // The training-file check (training-file.js) talks to the same worker through this: it
  // starts the one runtime and sends its own messages, so a page never runs two Pythons.
  window.tobRuntime = {
    boot: bootRuntime,
    send(msg, transfer) {
      return new Promise((resolve) => {
        const id = nextId++;
        pending.set(id, resolve);
        worker.postMessage({ ...msg, id }, transfer || []);
      });
    },
  };

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
