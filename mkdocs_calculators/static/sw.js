// The site's service worker (mkdocs_calculators/offline.py writes SETTINGS and serves it from
// the site root, so its scope is every page). It keeps what a reader has used, as they use it,
// so a calculator used once works with the network off. Nothing is fetched ahead: a reader who
// only reads downloads none of the runtime.
//
// Never mixing versions: every runtime URL is content-addressed (calculators-<digest>.zip,
// data-<digest>.json, worker-<digest>.mjs, calc.js?v=<digest>, assets/pyodide/<version>/), so a
// cached answer for one is right whichever deploy's page asks and whichever version of this
// worker answers. Those are answered cache first. Everything else (pages, the theme's files)
// goes to the network first, so an online reader always gets the current deploy, and falls
// back to the copy kept from their last visit when offline. A page and the runtime it names are
// always one build's: an offline page asks for its own build's runtime or gets nothing.
//
// No skipWaiting: a new version waits until no page controlled by the old one is open, so an
// open page keeps the cache its runtime sits in (even offline); on activate it takes over what
// the current build still uses from the old caches and deletes them. clients.claim() on
// activate: with no skipWaiting, the only pages it can take over are ones no worker controls
// (a first visit), so the runtime that first visit fetches is kept; content addressing makes
// that safe even for a page of an older deploy.
"use strict";

const SETTINGS = /*SETTINGS*/{};
const PREFIX = "tob-sw-"; // only caches named so are ours (tob-snapshots is not)
const CACHE = PREFIX + SETTINGS.version;
const SCOPE = new URL(self.registration.scope);
const at = (path) => new URL(path, SCOPE).href;
const RUNTIME = new Set(SETTINGS.runtime.map(at)); // this build's runtime files, by URL
const PYODIDE = at(SETTINGS.pyodide);
const ASSETS = at(SETTINGS.assets);
const DIGEST_NAME = /-[0-9a-f]{10}\.[a-z]+$/;
const THEME_BUNDLE = /\.[0-9a-f]{8}\.min\.(js|css)$/; // mkdocs-material's hashed bundles

function immutable(url) {
  if (RUNTIME.has(url.href) || url.href.startsWith(PYODIDE)) return true;
  if (url.href.startsWith(ASSETS)) return /^\?v=[0-9a-f]+$/.test(url.search) || DIGEST_NAME.test(url.pathname);
  return !url.search && THEME_BUNDLE.test(url.pathname);
}

// A page is kept under its address without the query: the query only carries a calculator's
// values, which the page's script reads; the HTML is the same.
const pageKey = (url) => {
  const bare = new URL(url);
  bare.search = "";
  bare.hash = "";
  return bare.href;
};

const keep = async (key, response) => {
  if (response.ok && response.type === "basic") {
    const cache = await caches.open(CACHE);
    await cache.put(key, response);
  }
};

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  await keep(request, response.clone()).catch(() => {});
  return response;
}

async function networkFirst(event, key, isPage) {
  const { request } = event;
  try {
    const response = await fetch(request);
    event.waitUntil(keep(key, response.clone()).catch(() => {}));
    return response;
  } catch (err) {
    const cache = await caches.open(CACHE);
    const hit = await cache.match(key);
    if (hit) return hit;
    if (isPage) return offlinePage();
    throw err;
  }
}

const escape = (s) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

// A page never visited, asked for offline: say so, and offer the pages kept on this device.
async function offlinePage() {
  const cache = await caches.open(CACHE);
  const items = [];
  for (const request of await cache.keys()) {
    const url = new URL(request.url);
    if (url.search || !url.pathname.endsWith("/")) continue;
    const html = await (await cache.match(request)).text();
    const title = (html.match(/<title>([^<]*)<\/title>/) || [])[1] || url.pathname;
    items.push(`<li><a href="${escape(url.href)}">${title}</a></li>`);
  }
  const list = items.length
    ? `<p>These pages are saved on this device and work offline:</p><ul>${items.join("")}</ul>`
    : "";
  const body = `<!doctype html><html lang="en"><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Offline - ${escape(SETTINGS.siteName)}</title>
<meta name="color-scheme" content="light dark">
<style>body{font:1rem/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}</style>
<main><h1>You are offline</h1>
<p>This page has not been saved on this device yet: it is kept once you have visited it online.</p>
${list}</main></html>`;
  return new Response(body, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

self.addEventListener("install", () => {
  // Nothing is fetched ahead (see the top of this file); the new version waits (no skipWaiting).
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      for (const name of await caches.keys()) {
        if (!name.startsWith(PREFIX) || name === CACHE) continue;
        const old = await caches.open(name);
        for (const request of await old.keys()) {
          if (await cache.match(request)) continue;
          const response = await old.match(request);
          // Take over this build's runtime files and the pages of this build (they name its
          // calc.js); anything else belonged to the old version only.
          const page = (response.headers.get("Content-Type") || "").startsWith("text/html");
          const current =
            RUNTIME.has(request.url) || (page && (await response.clone().text()).includes(SETTINGS.calc));
          if (current) await cache.put(request, response);
        }
        await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== SCOPE.origin || !url.href.startsWith(SCOPE.href)) return;
  if (url.pathname.includes("/livereload/")) return;
  if (immutable(url)) return event.respondWith(cacheFirst(request));
  const isPage = request.mode === "navigate";
  const html = isPage || (request.headers.get("Accept") || "").includes("text/html");
  event.respondWith(networkFirst(event, html ? pageKey(url) : request, isPage));
});

// A first visit: the page's own files and runtime were fetched before this worker controlled
// it. Once it is live, its script (sw-register.js) asks for them to be kept: each is copied
// from the browser's HTTP cache only (only-if-cached), so nothing is downloaded again and a
// runtime file the page did not use is not fetched at all.
self.addEventListener("message", (event) => {
  const msg = event.data || {};
  if (msg.type !== "tob-keep") return;
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const urls = new Set([...(msg.urls || []), ...RUNTIME]);
      await Promise.all(
        [...urls].map(async (href) => {
          const url = new URL(href, SCOPE);
          if (url.origin !== SCOPE.origin || !url.href.startsWith(SCOPE.href)) return;
          if (await cache.match(url.href)) return;
          try {
            const response = await fetch(url.href, { cache: "only-if-cached", mode: "same-origin" });
            await keep(url.href, response);
          } catch (err) {
            // not in the HTTP cache: the page did not use it
          }
        }),
      );
      if (msg.page) {
        const key = pageKey(msg.page);
        if (!(await cache.match(key))) await keep(key, await fetch(key).catch(() => Response.error()));
      }
      if (event.source) event.source.postMessage({ type: "tob-kept", cache: CACHE });
    })(),
  );
});
