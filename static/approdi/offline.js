// The street units' offline entry (issue 16, docs/offline.md). Loaded on the pages of a user who records contacts.
//
// - Registers the service worker of /outreach/ (templates/outreach/sw.js), which keeps the outreach pages.
// - With no connection, the contact, group and referral forms marked data-offline-kind are kept on the phone in
//   IndexedDB, encrypted with AES-GCM under a key the browser made non-extractable; the person code's facts are
//   turned into the phone's part of the code (person-part.js), which the server finishes.
// - When the connection returns, the waiting records go to /outreach/sync/ in the order they were made, a few at a
//   time, each with its idempotency key: stored (or already stored) ones leave the phone; a refused one stays,
//   with the server's message, until she discards it. Nothing is dropped without her.
(function () {
  "use strict";
  const gettext = window.gettext || ((text) => text);
  const ngettext = window.ngettext || ((one, many, n) => (n === 1 ? one : many));
  const interpolate = window.interpolate || ((text, values) => text.replace(/%s/, values[0]));
  const script = document.currentScript;
  const config = {
    worker: script.dataset.worker,
    scope: script.dataset.scope,
    sync: script.dataset.sync,
    user: script.dataset.user,
    keep: (script.dataset.keep || "").split(" ").filter(Boolean),
  };
  const BATCH = 5;  // records per request: a connection lost mid-sync loses at most one answer's worth
  const DB_NAME = "approdi-offline";

  // --- the encrypted queue ----------------------------------------------------------------------------------

  function request(req) {
    return new Promise((resolve, reject) => {
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }

  let opened = null;
  function db() {
    if (!opened) {
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => {
        req.result.createObjectStore("keys");
        req.result.createObjectStore("records", { keyPath: "seq", autoIncrement: true });
      };
      opened = request(req);
    }
    return opened;
  }

  async function store(name, mode) {
    return (await db()).transaction(name, mode).objectStore(name);
  }

  // The key: made by the browser, non-extractable (no script can read its bytes), kept as a CryptoKey object.
  let cryptoKey = null;
  async function key() {
    if (cryptoKey) return cryptoKey;
    cryptoKey = await request((await store("keys", "readonly")).get("queue"));
    if (!cryptoKey) {
      cryptoKey = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
      await request((await store("keys", "readwrite")).put(cryptoKey, "queue"));
    }
    return cryptoKey;
  }

  async function seal(content) {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const data = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await key(), new TextEncoder().encode(JSON.stringify(content)));
    return { iv, data };
  }

  async function open(row) {
    const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: row.iv }, await key(), row.data);
    return JSON.parse(new TextDecoder().decode(plain));
  }

  // A row holds its order (seq), its state ("waiting" or "refused") and, encrypted, the record, what names it to
  // her, and the server's refusal.
  // (Sealed before the transaction opens: an IndexedDB transaction ends at the first await that is not its own.)
  async function enqueue(record, label) {
    const row = { state: "waiting", ...(await seal({ record, label, user: config.user })) };
    await request((await store("records", "readwrite")).add(row));
  }

  async function rows() {
    return request((await store("records", "readonly")).getAll());
  }

  async function remove(seq) {
    await request((await store("records", "readwrite")).delete(seq));
  }

  async function refuse(row, content, error) {
    const sealed = { seq: row.seq, state: "refused", ...(await seal({ ...content, error })) };
    await request((await store("records", "readwrite")).put(sealed));
  }

  // --- the status shown at the top of the page ---------------------------------------------------------------

  let box = null;
  let notice = "";
  function statusBox() {
    if (!box) {
      const main = document.querySelector("main") || document.body;
      box = document.createElement("section");
      box.className = "offline-status mb-3";
      box.dataset.testid = "offline-status";
      box.setAttribute("aria-label", gettext("Records on this phone"));
      main.prepend(box);
    }
    return box;
  }

  function paragraph(parent, text, className) {
    const p = document.createElement("p");
    p.className = className || "mb-1";
    p.textContent = text;
    parent.append(p);
    return p;
  }

  async function show() {
    const all = await rows();
    const waiting = all.filter((row) => row.state === "waiting").length;
    const refused = all.filter((row) => row.state === "refused");
    const parent = statusBox();
    parent.replaceChildren();
    if (navigator.onLine && !waiting && !refused.length && !notice) {
      parent.hidden = true;
      return;
    }
    parent.hidden = false;
    const alert = document.createElement("div");
    alert.className = `alert ${navigator.onLine ? "alert-info" : "alert-warning"} mb-2`;
    alert.setAttribute("role", "status");
    alert.dataset.testid = "offline-summary";
    if (!navigator.onLine) {
      paragraph(alert, gettext("You are offline. What you save is kept on this phone, encrypted, and sent when the connection returns."), "mb-1 fw-bold");
    }
    if (waiting) {
      paragraph(alert, interpolate(ngettext("%s record waits to be sent.", "%s records wait to be sent.", waiting), [waiting]));
    } else if (navigator.onLine && !refused.length) {
      paragraph(alert, gettext("Every record on this phone has been sent."));
    }
    if (notice) paragraph(alert, notice);
    if (navigator.onLine && waiting) {
      const send = document.createElement("button");
      send.type = "button";
      send.className = "btn btn-sm btn-primary";
      send.textContent = gettext("Send now");
      send.addEventListener("click", () => sync());
      alert.append(send);
    }
    parent.append(alert);
    if (refused.length) {
      const list = document.createElement("div");
      list.className = "alert alert-danger";
      list.dataset.testid = "offline-refused";
      paragraph(list, interpolate(ngettext("%s record was refused by the server: it stays on this phone until you discard it.", "%s records were refused by the server: they stay on this phone until you discard them.", refused.length), [refused.length]), "mb-2 fw-bold");
      const ul = document.createElement("ul");
      ul.className = "mb-0";
      for (const row of refused) {
        const content = await open(row);
        const li = document.createElement("li");
        li.dataset.testid = "refused-record";
        const error = content.error || {};
        const fields = Object.entries(error.fields || {}).map(([name, messages]) => `${name}: ${[].concat(messages).join(" ")}`);
        paragraph(li, `${content.label} — ${[error.message, ...fields].filter(Boolean).join(" · ")}`);
        const discard = document.createElement("button");
        discard.type = "button";
        discard.className = "btn btn-sm btn-outline-danger mb-2";
        discard.textContent = gettext("Discard this record");
        discard.addEventListener("click", async () => {
          if (!window.confirm(gettext("Discard this record? It was not stored on the server and will be lost."))) return;
          await remove(row.seq);
          show();
        });
        li.append(discard);
        ul.append(li);
      }
      list.append(ul);
      parent.append(list);
    }
  }

  // --- the forms ----------------------------------------------------------------------------------------------

  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  const SKIPPED = new Set(["csrfmiddlewaretoken"]);

  // The form's answers as the sync endpoint takes them: a list's several answers as a list, a ticked box as
  // true, a site by its name, nothing for an empty answer.
  function answers(form) {
    const data = {};
    for (const field of form.elements) {
      if (!field.name || SKIPPED.has(field.name) || field.disabled) continue;
      if ((field.type === "checkbox" || field.type === "radio") && !field.checked) continue;
      let value = field.value;
      if (field.name === "site" && field.tagName === "SELECT") value = field.selectedIndex > 0 ? field.options[field.selectedIndex].text : "";
      if (field.type === "checkbox" && form.querySelectorAll(`[name="${CSS.escape(field.name)}"]`).length > 1) {
        (data[field.name] = data[field.name] || []).push(value);
        continue;
      }
      if (field.type === "checkbox") value = true;
      if (value === "" || value === undefined) continue;
      data[field.name] = value;
    }
    return data;
  }

  function describe(kind, data) {
    if (kind === "referral") return gettext("Referral");
    if (data.headcount && Number(data.headcount) > 1) return interpolate(gettext("Group of %s people"), [data.headcount]);
    return data.person_part || data.person_code ? gettext("Contact with a person code") : gettext("Anonymous contact");
  }

  function formError(form, text) {
    let p = form.querySelector("[data-offline-error]");
    if (!p) {
      p = document.createElement("p");
      p.className = "alert alert-danger mt-2";
      p.setAttribute("role", "alert");
      p.dataset.offlineError = "";
      form.prepend(p);
    }
    p.textContent = text;
    p.hidden = !text;
  }

  async function keep(form) {
    const kind = form.dataset.offlineKind;
    const data = answers(form);
    // The checks the server would make first: a form it will refuse is better fixed now, in the van.
    for (const field of form.querySelectorAll("[required]")) {
      if (!field.value) {
        formError(form, interpolate(gettext("Fill in: %s."), [(form.querySelector(`label[for="${field.id}"]`) || field).textContent.trim()]));
        field.focus();
        return;
      }
    }
    formError(form, "");
    const record = { kind: kind === "referral" ? "referral" : "contact", key: uuid(), ...data };
    if (form.dataset.offlineOuting) record.outing = Number(form.dataset.offlineOuting);
    if (record.person_part) delete record.person_code;
    await enqueue(record, describe(kind, record));
    form.reset();
    for (const hidden of form.querySelectorAll("[data-offline-part]")) hidden.remove();
    for (const note of form.querySelectorAll("[data-offline-part-note]")) note.remove();
    notice = gettext("Saved on this phone.");
    await show();
    statusBox().scrollIntoView({ block: "nearest" });
  }

  // The code calculator, offline: the phone's part of the code, put in the contact form; the server finishes it.
  function computePart(form) {
    const facts = answers(form);
    const nationality = form.querySelector("[name=nationality]");
    const countries = new Set([...(nationality ? nationality.options : [])].map((o) => o.value).filter(Boolean));
    const genders = new Set([...form.querySelectorAll("[name=gender]")].flatMap((f) => (f.options ? [...f.options].map((o) => o.value) : [f.value])).filter(Boolean));
    let part;
    try {
      part = window.ApprodiPersonPart.phonePart(facts, { countries, genders });
    } catch (error) {
      formError(form, error.message);
      return;
    }
    formError(form, "");
    const contact = document.querySelector("[data-offline-kind=contact]");
    if (!contact) return;
    let hidden = contact.querySelector("[data-offline-part]");
    if (!hidden) {
      hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = "person_part";
      hidden.dataset.offlinePart = "";
      contact.prepend(hidden);
    }
    hidden.value = part;
    const code = contact.querySelector("[name=person_code]");
    if (code) {
      code.value = "";
      let note = contact.querySelector("[data-offline-part-note]");
      if (!note) {
        note = document.createElement("p");
        note.className = "alert alert-info py-1";
        note.setAttribute("role", "status");
        note.dataset.offlinePartNote = "";
        note.dataset.testid = "offline-code";
        code.closest(".form-group, .mb-3, div").after(note);
      }
      note.textContent = gettext("Person code: computed from the facts; the server completes it when the record is sent.");
    }
    for (const name of ["gender", "nationality"]) {
      const field = contact.elements.namedItem(name);
      if (field && facts[name]) field.value = facts[name];
    }
    const first = contact.querySelector("input:not([type=hidden]), select");
    if (first) first.focus();
  }

  // Before htmx (which listens on the form itself): with no connection, the form is kept here instead of sent.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (navigator.onLine) return;
    if (form.matches("[data-testid=facts-form]")) {
      event.preventDefault();
      event.stopImmediatePropagation();
      computePart(form);
      return;
    }
    if (!form.dataset.offlineKind) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    keep(form);
  }, true);

  // Signing out with records still waiting: they stay on the phone, encrypted, until she signs in again.
  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!form.matches("[data-sign-out]") || form.dataset.confirmed) return;
    event.preventDefault();
    let left = 0;
    try {
      left = (await rows()).length;
    } catch (error) {
      // No storage to read (a private window): nothing waits here.
    }
    const message = interpolate(ngettext("%s record on this phone has not been stored on the server. It stays here, encrypted, until you sign in again and send it. Sign out anyway?", "%s records on this phone have not been stored on the server. They stay here, encrypted, until you sign in again and send them. Sign out anyway?", left), [left]);
    if (left && !window.confirm(message)) return;
    form.dataset.confirmed = "true";
    form.submit();
  });

  // --- sending -------------------------------------------------------------------------------------------------

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  let sending = false;
  async function sync() {
    if (sending || !navigator.onLine) return;
    sending = true;
    let sent = 0;
    try {
      for (;;) {
        // Hers only: records another user left on this phone wait for that user's session.
        const waiting = [];
        const contents = [];
        for (const row of (await rows()).filter((r) => r.state === "waiting")) {
          const content = await open(row);
          if (content.user !== config.user) continue;
          waiting.push(row);
          contents.push(content);
          if (waiting.length === BATCH) break;
        }
        if (!waiting.length) break;
        let response;
        try {
          response = await fetch(config.sync, {
            method: "POST",
            credentials: "same-origin",
            headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
            body: JSON.stringify({ records: contents.map((content) => content.record) }),
          });
        } catch (error) {
          notice = gettext("The connection dropped while sending: the records not yet stored wait here and are sent again.");
          break;
        }
        if (response.status === 401 || response.status === 403) {
          notice = gettext("Your session has ended: sign in again to send the records. They stay on this phone meanwhile.");
          break;
        }
        if (!response.ok) {
          let body = {};
          try { body = await response.json(); } catch (error) { /* not JSON: a proxy's page */ }
          notice = interpolate(gettext("The server did not take the records (%s): they wait here."), [(body.error && body.error.message) || response.status]);
          break;
        }
        const answer = await response.json();
        const byKey = new Map(answer.results.map((result) => [result.key, result]));
        for (let i = 0; i < waiting.length; i += 1) {
          const result = byKey.get(contents[i].record.key);
          if (!result) continue;  // not answered: sent again next time, under the same key
          if (result.status === "refused") await refuse(waiting[i], contents[i], result.error);
          else {
            await remove(waiting[i].seq);
            sent += 1;
          }
        }
        notice = "";
      }
    } finally {
      sending = false;
    }
    if (sent) notice = [interpolate(ngettext("%s record sent.", "%s records sent.", sent), [sent]), notice].filter(Boolean).join(" ");
    await show();
    if (sent && !(await rows()).length) document.dispatchEvent(new CustomEvent("approdi:synced"));
  }

  // --- the service worker ------------------------------------------------------------------------------------

  async function register() {
    if (!("serviceWorker" in navigator) || !config.worker) return;
    try {
      await navigator.serviceWorker.register(config.worker, { scope: config.scope });
      const ready = await navigator.serviceWorker.ready;
      const files = performance.getEntriesByType("resource").map((entry) => entry.name);
      const pages = location.pathname.startsWith(config.scope) ? [location.pathname] : [];
      if (ready.active && navigator.onLine) ready.active.postMessage({ keep: [...pages, ...config.keep, ...files] });
    } catch (error) {
      // No worker (a private window, an old browser): the pages work online as before.
    }
  }

  window.addEventListener("online", () => { notice = ""; show(); sync(); });
  window.addEventListener("offline", () => { notice = ""; show(); });
  document.addEventListener("DOMContentLoaded", () => {
    show();
    register();
    if (navigator.onLine) sync();
  });
  window.ApprodiOffline = { sync, rows, show };
})();
