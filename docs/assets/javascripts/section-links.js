// A click on a heading's "#" (named after its section for screen readers) also copies the section's address, ready to paste into an email
// or chat, and says so in mkdocs-material's own snackbar (alert$). Wired on every page view
// (document$), once per link.
document$.subscribe(() => {
  for (const link of document.querySelectorAll(".md-typeset .headerlink:not([data-copy-wired])")) {
    link.dataset.copyWired = "true";
    // Screen readers would otherwise announce the link as "#".
    link.setAttribute("aria-label", `${link.title}: ${link.parentElement.textContent.replace(/#$/, "").trim()}`);
    link.addEventListener("click", async () => {
      const url = new URL(link.getAttribute("href"), window.location.href).href;
      try {
        await navigator.clipboard.writeText(url);
        alert$.next("Link to this section copied");
      } catch (err) {
        // Clipboard refused (e.g. no permission): the address bar still shows the link.
      }
    });
  }
});
