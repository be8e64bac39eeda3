// Sortable result tables and their CSV / Markdown downloads (compare-models). Thin glue: the
// table and every text in it are drawn by Python; this script only reorders the rows a reader
// sorts by, and writes the rows as they stand into a file made in the page (nothing fetched).
(() => {
  "use strict";
  const sortOf = new WeakMap(); // calculator root -> {key, dir} the reader chose

  function value(cell, numeric) {
    if (!numeric) return cell.textContent.trim().toLowerCase();
    return cell.dataset.sort === undefined ? null : Number(cell.dataset.sort);
  }

  // Rows without a number ("not listed") go last in both directions; ties keep the
  // cheapest-first order Python drew.
  function sortTable(table, key, dir) {
    const heads = Array.from(table.tHead.rows[0].cells);
    const col = heads.findIndex((th) => th.dataset.key === key);
    if (col < 0) return;
    const numeric = heads[col].dataset.type === "number";
    const body = table.tBodies[0];
    const rows = Array.from(body.rows).map((tr, i) => [tr, value(tr.cells[col], numeric), i]);
    const sign = dir === "descending" ? -1 : 1;
    rows.sort(([, a, i], [, b, j]) => {
      if (a === null || b === null) return a === b ? i - j : a === null ? 1 : -1;
      if (a < b) return -sign;
      if (a > b) return sign;
      return i - j;
    });
    body.append(...rows.map(([tr]) => tr));
    for (const th of heads) {
      if (th === heads[col]) th.setAttribute("aria-sort", dir);
      else th.removeAttribute("aria-sort");
    }
  }

  function cellsOf(table, raw) {
    const heads = Array.from(table.tHead.rows[0].cells);
    const lines = [heads.map((th) => th.textContent.trim())];
    for (const tr of table.tBodies[0].rows) {
      lines.push(
        Array.from(tr.cells, (cell, i) =>
          raw && heads[i].dataset.type === "number" && cell.dataset.sort !== undefined
            ? cell.dataset.sort
            : cell.textContent.trim(),
        ),
      );
    }
    return lines;
  }

  // CSV (RFC 4180): plain numbers in the money and price columns, for a spreadsheet.
  function csv(table) {
    const quote = (s) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
    return cellsOf(table, true).map((r) => r.map(quote).join(",")).join("\r\n") + "\r\n";
  }

  // Markdown: the text the table shows, pipes escaped.
  function markdown(table) {
    const [head, ...rows] = cellsOf(table, false);
    const line = (r) => `| ${r.map((s) => s.replace(/\|/g, "\\|")).join(" | ")} |`;
    return [line(head), `|${" --- |".repeat(head.length)}`, ...rows.map(line)].join("\n") + "\n";
  }

  function download(name, type, text) {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  // Python redraws the table on every result; wire the new one and keep the reader's order.
  function wire(root) {
    const table = root.querySelector("table[data-sortable]");
    if (!table || table.dataset.wired) return;
    table.dataset.wired = "true";
    for (const th of table.tHead.rows[0].cells) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "tob-sort";
      button.append(...th.childNodes);
      th.append(button);
      button.addEventListener("click", () => {
        const dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
        sortOf.set(root, { key: th.dataset.key, dir });
        sortTable(table, th.dataset.key, dir);
      });
    }
    const chosen = sortOf.get(root);
    if (chosen) sortTable(table, chosen.key, chosen.dir);
    const tools = root.querySelector("[data-table-tools]");
    if (!tools) return;
    tools.hidden = false;
    const slug = root.dataset.calculator || "table";
    for (const button of tools.querySelectorAll("[data-export]")) {
      button.addEventListener("click", () => {
        const md = button.dataset.export === "md";
        download(`${slug}.${md ? "md" : "csv"}`, md ? "text/markdown" : "text/csv", md ? markdown(table) : csv(table));
      });
    }
  }

  function init() {
    for (const root of document.querySelectorAll(".tob-calc")) {
      if (!root.querySelector("table[data-sortable]")) continue;
      wire(root);
      if (!root.dataset.tablesWired) {
        root.dataset.tablesWired = "true";
        root.addEventListener("tob:computed", () => wire(root));
      }
    }
  }

  // Every page, those mkdocs-material's instant navigation swaps in too; without the theme's
  // stream, once: a deferred script runs when the page has been parsed.
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(init);
  else init();
})();
