// Registers the site's service worker (sw.js, at the site root) on a page with a calculator or
// the training-file check, so the calculators work offline after a first visit. Registering
// costs one small request; the worker fetches nothing ahead (see sw.js). On a first visit the
// page's runtime was fetched before the worker controlled the page: once the page is live, the
// worker is asked to keep those files (it copies them from the browser's cache).
(() => {
  "use strict";
  if (!("serviceWorker" in navigator)) return;
  const SW = new URL(/*ROOT*/"../../" + "sw.js", document.currentScript.src);
  const firstVisit = !navigator.serviceWorker.controller;
  let registered = false;
  let kept = false;

  const keep = () => {
    if (kept) return;
    kept = true;
    const urls = performance
      .getEntriesByType("resource")
      .map((entry) => entry.name)
      .filter((url) => new URL(url).origin === location.origin);
    navigator.serviceWorker.ready.then((registration) =>
      registration.active.postMessage({ type: "tob-keep", page: location.href, urls }),
    );
  };

  const isLive = () => document.querySelector('.tob-calc[data-live="live"], [data-filecheck] [data-state="done"]');

  function init() {
    if (!document.querySelector(".tob-calc, [data-filecheck]")) return;
    if (!registered) {
      registered = true;
      navigator.serviceWorker.register(SW).catch(() => {}); // no worker: the page works as before
      if (firstVisit) {
        new MutationObserver((_, observer) => {
          if (!isLive()) return;
          observer.disconnect();
          keep();
        }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ["data-live", "data-state"] });
      }
    }
    if (firstVisit && isLive()) keep();
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
