// Loaded before Bootstrap Italia's bundle. The bundle includes Video.js, which otherwise writes <style>
// elements into every page; the Content-Security-Policy refuses them (and Approdi plays no video).
window.VIDEOJS_NO_DYNAMIC_STYLE = true;

// Behaviour declared in the markup with data- attributes: the Content-Security-Policy refuses inline
// handlers (onclick=…), so one listener per event, on the document, also serves what htmx swaps in.
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-submit-on-change]");
  if (field && field.form) field.form.submit();
  // A list offered with chips (core.forms.offer_chips): the chip of its value shows pressed.
  if (event.target.id) {
    for (const chip of document.querySelectorAll(`[data-chip-for="${CSS.escape(event.target.id)}"]`)) {
      chip.setAttribute("aria-pressed", String(chip.dataset.chipValue === event.target.value));
    }
  }
});

document.addEventListener("click", (event) => {
  // A chip sets its list to its answer in one tap; tapped again, it takes the answer back.
  const chip = event.target.closest("[data-chip-for]");
  if (chip) {
    const list = document.getElementById(chip.dataset.chipFor);
    if (list) {
      list.value = chip.getAttribute("aria-pressed") === "true" ? "" : chip.dataset.chipValue;
      list.dispatchEvent(new Event("change", { bubbles: true }));
    }
    return;
  }
  const filler = event.target.closest("[data-fill-target]");
  if (filler) {
    const target = document.querySelector(filler.dataset.fillTarget);
    if (target) {
      target.value = filler.dataset.fillValue;
      // What else the facts told (data-fill-gender="woman" fills the form's [name=gender]): nothing to type twice.
      for (const [key, value] of Object.entries(filler.dataset)) {
        if (!value || !key.startsWith("fill") || key === "fillTarget" || key === "fillValue") continue;
        const name = key.slice(4).replace(/^./, (c) => c.toLowerCase());
        const field = target.form && target.form.elements.namedItem(name);
        // A list, or a row of radio buttons (a RadioNodeList: its value checks the one that has it).
        if (field && "value" in field) {
          field.value = value;
          if (field.id) field.dispatchEvent(new Event("change", { bubbles: true }));
        }
      }
      // The field she goes on with in the middle of the screen, the form's save bar below it (a focus alone
      // would leave the field at the screen's bottom edge, and the form's bar with it, off screen).
      target.focus({ preventScroll: true });
      target.scrollIntoView({ block: "center", behavior: "instant" });
    }
    return;
  }
  if (event.target.closest("[data-print]")) window.print();
});

// On a phone a table's rows become cards (approdi.css, .table-cards): each cell shows its column's name
// (data-label, from the header), so what names a row and what acts on it stay in view without sideways scrolling.
// Explicit roles keep the table a table for screen readers once its parts are laid out as blocks.
function cardTables(root) {
  for (const table of root.querySelectorAll("main table")) {
    const head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    const names = head ? [...head.cells].flatMap((cell) => Array(cell.colSpan).fill(cell.innerText.trim())) : [];
    table.setAttribute("role", "table");
    for (const group of table.querySelectorAll(":scope > thead, :scope > tbody, :scope > tfoot")) {
      group.setAttribute("role", "rowgroup");
    }
    for (const row of table.rows) {
      row.setAttribute("role", "row");
      let column = 0;
      for (const cell of row.cells) {
        if (cell.tagName === "TH") cell.setAttribute("role", cell.closest("thead") ? "columnheader" : "rowheader");
        else cell.setAttribute("role", "cell");
        if (!cell.closest("thead") && names[column] && !cell.dataset.label) cell.dataset.label = names[column];
        column += cell.colSpan;
      }
    }
    table.classList.add("table-cards");
  }
}

// A page may hold several scrolling table regions: each is named after its table's caption or the heading above
// it, so the landmarks a screen reader lists can be told apart (axe: landmark-unique).
function nameRegions(root) {
  const regions = [...root.querySelectorAll("main [role=region]")];
  const named = (region) => region.getAttribute("aria-label") || "";
  for (const region of regions) {
    if (regions.filter((other) => named(other) === named(region)).length < 2) continue;
    const table = region.querySelector("table");
    let title = table && table.caption ? table.caption.innerText.trim() : "";
    for (let node = region; !title && node && node.tagName !== "MAIN"; node = node.parentElement) {
      for (let before = node.previousElementSibling; before && !title; before = before.previousElementSibling) {
        const heading = before.matches("h1, h2, h3, h4, h5, h6") ? before : before.querySelector("h1, h2, h3, h4, h5, h6");
        if (heading) title = heading.innerText.trim();
      }
    }
    if (title) region.setAttribute("aria-label", title);
  }
  const seen = new Map();
  for (const region of regions) {  // two tables under one heading: numbered
    const count = (seen.get(named(region)) || 0) + 1;
    seen.set(named(region), count);
    if (count > 1) region.setAttribute("aria-label", `${named(region)} (${count})`);
  }
}

function arrange(root) {
  cardTables(root);
  nameRegions(root);
}
document.addEventListener("DOMContentLoaded", () => arrange(document));
document.addEventListener("htmx:afterSettle", (event) => {
  arrange(document);
  // What htmx focuses in the part it swapped in (autofocus: "Use this code" once the code is computed) is on screen:
  // a thumb does not hunt for it below the fold.
  const focused = event.detail.elt && event.detail.elt.querySelector("[autofocus]");
  if (focused) focused.scrollIntoView({ block: "nearest", behavior: "instant" });
});

// Signed out (the sign-in page, the public site): the outreach app's kept pages leave the phone, and its service
// worker with them (docs/offline.md). The records waiting to be sent stay, encrypted, until she signs in again.
document.addEventListener("DOMContentLoaded", () => {
  if (document.body.hasAttribute("data-signed-in") || !window.caches || !("serviceWorker" in navigator)) return;
  caches.keys().then((names) => Promise.all(names.filter((n) => n.startsWith("approdi-outreach")).map((n) => caches.delete(n))));
  navigator.serviceWorker.getRegistrations().then((registrations) => {
    for (const registration of registrations) registration.unregister();
  });
});
