// The street units' offline entry (issue 16, docs/offline.md). Loaded on the pages of a user who records contacts.
//
// - Registers the service worker of /outreach/ (templates/outreach/sw.js), which keeps the outreach pages.
// - An outing opened with no connection (the kept "new outing" page) is kept on the phone under a key the phone
//   makes; its page is the kept /outreach/outings/offline/#<key>, filled from the phone. Its sites, contacts,
//   groups and end name it by that key (outing_key) and are sent after it. Sites and the end of an outing
//   (data-offline-always) always go through the queue, online or not.
// - For the end time and notes the server's version wins: the answer says which fields it kept (changed on the
//   server since the phone read them); the phone shows her value beside the server's until she dismisses it.
// - With no connection, the contact, group and referral forms marked data-offline-kind are kept on the phone in
//   IndexedDB, encrypted with AES-GCM under her key, which the server gives her signed-in pages and the phone
//   imports non-extractable (its bytes are dropped at once); the person code's facts are
//   turned into the phone's part of the code (person-part.js), which the server finishes.
// - When the connection returns, the waiting records go to /outreach/sync/ in the order they were made, a few at a
//   time, each with its idempotency key: stored (or already stored) ones leave the phone; a refused one stays,
//   with the server's message, until she discards it. Nothing is dropped without her.
(function () {
  "use strict";
  const gettext = window.gettext || ((text) => text);
  const ngettext = window.ngettext || ((one, many, n) => (n === 1 ? one : many));
  const interpolate = window.interpolate || ((text, values) => { let i = 0; return text.replace(/%s/g, () => values[i++]); });
  const script = document.currentScript;
  const config = {
    worker: script.dataset.worker,
    scope: script.dataset.scope,
    sync: script.dataset.sync,
    key: script.dataset.key || "",
    user: script.dataset.user,
    outingUrl: script.dataset.outingUrl || "",
    newOuting: script.dataset.newOuting || "",
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
      const req = indexedDB.open(DB_NAME, 2);
      req.onupgradeneeded = () => {
        const names = req.result.objectStoreNames;
        if (!names.contains("keys")) req.result.createObjectStore("keys");
        if (!names.contains("records")) req.result.createObjectStore("records", { keyPath: "seq", autoIncrement: true });
        // The outings she opened or changed on the phone, by key (or "outing-<id>"): what their pages show.
        if (!names.contains("outings")) req.result.createObjectStore("outings");
      };
      opened = request(req);
    }
    return opened;
  }

  async function store(name, mode) {
    return (await db()).transaction(name, mode).objectStore(name);
  }

  // The keys, kept as CryptoKey objects (no script can read their bytes):
  // - "server": hers, given by the server to her signed-in pages (GET /outreach/offline-key/), imported
  //   non-extractable, its bytes dropped at once. Every new record is sealed under it (a row's k names it).
  // - "queue": the key an older release made in the browser. Rows sealed under it (no k) are sealed again under
  //   the server's key as soon as both are here; then it is deleted.
  // - "refused": set when the server refuses her the key (401, 403: access ended, role removed): nothing new is
  //   sealed, what waits stays readable and is sent when she may again (a sign-in that answers the key).
  const keys = {};
  async function keyOf(name) {
    if (!(name in keys)) keys[name] = (await request((await store("keys", "readonly")).get(name))) || null;
    return keys[name];
  }

  class NoKey extends Error {}
  let keyReady = Promise.resolve();

  // Why nothing new can be kept on the phone now, or "" when it can.
  async function keyProblem() {
    try {
      if (await keyOf("refused")) return gettext("Approdi no longer gives this phone the key to keep new records: sign in again. The records already on it are kept.");
      if (!(await keyOf("server"))) return gettext("This phone has no key yet to keep records encrypted: open Approdi once with a connection. Nothing is kept without it.");
    } catch (error) {
      return gettext("This phone cannot keep records (no storage).");
    }
    return "";
  }

  async function sealingKey() {
    await keyReady;
    const problem = await keyProblem();
    if (problem) throw new NoKey(problem);
    return keyOf("server");
  }

  async function sealWith(cryptoKey, content) {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const data = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, cryptoKey, new TextEncoder().encode(JSON.stringify(content)));
    return { iv, data, k: "server" };
  }

  async function openWith(cryptoKey, row) {
    const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: row.iv }, cryptoKey, row.data);
    return JSON.parse(new TextDecoder().decode(plain));
  }

  async function seal(content) {
    return sealWith(await sealingKey(), content);
  }

  async function open(row) {
    const cryptoKey = await keyOf(row.k === "server" ? "server" : "queue");
    if (!cryptoKey) throw new Error("no key for this record");
    return openWith(cryptoKey, row);
  }

  // The server's key, taken in: what was sealed under another key (the browser's, or a key the server gave
  // before, to her or to whoever signed in on this phone before her) is sealed again under it, then that key goes.
  async function adopt(fresh) {
    const old = await keyOf("server");
    const probe = await keyOf("probe");
    let same = false;
    if (old && probe) same = await openWith(fresh, probe).then(() => true, () => false);
    const from = { server: same ? null : old, queue: await keyOf("queue") };
    if (from.server || from.queue) {
      for (const name of ["records", "outings"]) {
        const kept = await store(name, "readonly");
        const [all, ids] = await Promise.all([request(kept.getAll()), request(kept.getAllKeys())]);
        const sealed = [];
        for (const [i, row] of all.entries()) {
          const under = from[row.k === "server" ? "server" : "queue"];
          if (!under) continue;
          let content;
          try {
            content = await openWith(under, row);
          } catch (error) {
            continue;  // unreadable under the key it names: left as it is
          }
          sealed.push([{ ...row, ...(await sealWith(fresh, content)) }, ids[i]]);
        }
        const write = await store(name, "readwrite");
        for (const [row, id] of sealed) {
          if (name === "records") write.put(row);  // its seq is its key
          else write.put(row, id);
        }
        await new Promise((resolve, reject) => { write.transaction.oncomplete = resolve; write.transaction.onerror = () => reject(write.transaction.error); });
      }
    }
    const check = same ? null : await sealWith(fresh, "probe");
    const write = await store("keys", "readwrite");
    if (!same) {
      write.put(fresh, "server");
      write.put(check, "probe");
    }
    write.delete("queue");
    write.delete("refused");
    await new Promise((resolve, reject) => { write.transaction.oncomplete = resolve; write.transaction.onerror = () => reject(write.transaction.error); });
    if (!same) {
      keys.server = fresh;
      keys.probe = check;
    }
    keys.queue = null;
    keys.refused = null;
  }

  // Asked at every page load with a connection: the key the server gives her (never kept by the service worker).
  async function fetchKey() {
    if (!config.key || !navigator.onLine) return;
    let response;
    try {
      response = await fetch(config.key, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } });
    } catch (error) {
      return;  // no connection after all: the key kept on the phone serves
    }
    if (response.status === 401 || response.status === 403) {
      await request((await store("keys", "readwrite")).put(true, "refused"));
      keys.refused = true;
      return;
    }
    if (!response.ok || response.redirected) return;
    const raw = Uint8Array.from(atob((await response.json()).key), (c) => c.charCodeAt(0));
    const fresh = await crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
    raw.fill(0);
    await adopt(fresh);
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

  async function loadOuting(id) {
    const row = id ? await request((await store("outings", "readonly")).get(id)) : null;
    return row ? open(row) : null;
  }

  async function saveOuting(id, outing) {
    const sealed = await seal(outing);
    await request((await store("outings", "readwrite")).put(sealed, id));
  }

  // The server's version kept against hers: a row she reads, then dismisses (nothing left to send).
  async function changed(row, label, changes) {
    const sealed = { seq: row.seq, state: "changed", ...(await seal({ label, changes, user: config.user })) };
    await request((await store("records", "readwrite")).put(sealed));
  }

  // A row written again in its place (its order kept: an outing stays before what was made in it).
  async function put(seq, state, content) {
    const sealed = { seq, state, ...(await seal(content)) };
    await request((await store("records", "readwrite")).put(sealed));
  }

  async function refuse(row, content, error) {
    await put(row.seq, "refused", { ...content, error });
  }

  // A record refused only because its outing (made on the phone) was: the server has no outing under its key.
  function waitsForOuting(content) {
    return Boolean(content.record.outing_key && content.error && content.error.fields && "outing_key" in content.error.fields);
  }

  // The outings made on the phone that the server refused: what was made in them waits for their correction.
  async function refusedOutings(all) {
    const keys = new Set();
    for (const row of all.filter((r) => r.state === "refused")) {
      const content = await open(row);
      if (content.record.kind === "outing") keys.add(content.record.key);
    }
    return keys;
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

  // One at a time: two pages' worth of status drawn at once would show twice.
  let showing = Promise.resolve();
  function show() {
    showing = showing.then(draw, draw);
    return showing;
  }

  async function draw() {
    const all = await rows();
    const problem = await keyProblem();
    const waiting = all.filter((row) => row.state === "waiting").length;
    const refused = all.filter((row) => row.state === "refused");
    const changes = all.filter((row) => row.state === "changed");
    const parent = statusBox();
    parent.replaceChildren();
    if (navigator.onLine && !waiting && !refused.length && !changes.length && !notice && !problem) {
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
    if (problem) paragraph(alert, problem, "mb-1 fw-bold").dataset.testid = "offline-key-problem";
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
      const contents = new Map();
      for (const row of refused) contents.set(row.seq, await open(row));
      const held = new Set([...contents.values()].filter((c) => c.record.kind === "outing").map((c) => c.record.key));
      for (const row of refused) {
        const content = contents.get(row.seq);
        const li = document.createElement("li");
        li.dataset.testid = "refused-record";
        if (held.has(content.record.outing_key) && waitsForOuting(content)) {
          // Not hers to correct: it is sent again by itself once its outing is.
          paragraph(li, `${content.label} — ${gettext("Its outing was refused: it is sent again by itself once the outing is corrected.")}`);
          ul.append(li);
          continue;
        }
        paragraph(li, `${content.label} — ${refusalText(content.error)}`);
        const edit = document.createElement("button");
        edit.type = "button";
        edit.className = "btn btn-sm btn-outline-primary mb-2 me-2";
        edit.textContent = gettext("Correct and send again");
        const form = formFor(content.record);
        if (form) edit.addEventListener("click", () => correct(form, row, content));
        else if (content.record.kind === "outing" && config.newOuting) {
          // Corrected in the new outing form (kept on the phone), filled with what she wrote.
          edit.addEventListener("click", () => location.assign(`${config.newOuting}#correct=${encodeURIComponent(content.record.key)}`));
        }
        if (form || (content.record.kind === "outing" && config.newOuting)) li.append(edit);
        const discard = document.createElement("button");
        discard.type = "button";
        discard.className = "btn btn-sm btn-outline-danger mb-2";
        discard.textContent = gettext("Discard this record");
        discard.addEventListener("click", () => discardRow(row, content));
        li.append(discard);
        ul.append(li);
      }
      list.append(ul);
      parent.append(list);
    }
    if (changes.length) parent.append(await changedList(changes));
  }

  function refusalText(error) {
    const found = error || {};
    const fields = Object.entries(found.fields || {}).map(([name, messages]) => `${name}: ${[].concat(messages).join(" ")}`);
    return [found.message, ...fields].filter(Boolean).join(" · ");
  }

  // A refused outing goes with what was made in it (nothing of it can reach the server without it): she is told.
  async function discardRow(row, content) {
    const key = content.record.kind === "outing" ? content.record.key : null;
    const others = [];
    if (key) {
      for (const other of await rows()) {
        const record = other.seq === row.seq ? null : (await open(other)).record;  // a "changed" note has none
        if (record && record.outing_key === key) others.push(other.seq);
      }
    }
    const message = others.length
      ? interpolate(ngettext("Discard this outing and the %s record made in it? They were not stored on the server and will be lost.", "Discard this outing and the %s records made in it? They were not stored on the server and will be lost.", others.length), [others.length])
      : gettext("Discard this record? It was not stored on the server and will be lost.");
    if (!window.confirm(message)) return;
    for (const seq of [row.seq, ...others]) await remove(seq);
    if (key) await request((await store("outings", "readwrite")).delete(key));
    show();
  }

  const FIELD_NAMES = { end_time: () => gettext("End"), notes: () => gettext("Notes") };

  async function changedList(changes) {
    const list = document.createElement("div");
    list.className = "alert alert-warning";
    list.dataset.testid = "offline-changed";
    paragraph(list, gettext("Changed on the server while you were offline: the server's version was kept."), "mb-2 fw-bold");
    const ul = document.createElement("ul");
    ul.className = "mb-0";
    for (const row of changes) {
      const content = await open(row);
      const li = document.createElement("li");
      li.dataset.testid = "changed-record";
      paragraph(li, content.label, "mb-1");
      for (const change of content.changes) {
        const name = (FIELD_NAMES[change.name] || (() => change.name))();
        paragraph(li, interpolate(gettext("%s — yours: %s · on the server: %s"), [name, change.mine || "—", change.server || "—"]));
      }
      const dismiss = document.createElement("button");
      dismiss.type = "button";
      dismiss.className = "btn btn-sm btn-outline-secondary mb-2";
      dismiss.textContent = gettext("Understood");
      dismiss.addEventListener("click", async () => {
        await remove(row.seq);
        show();
      });
      li.append(dismiss);
      ul.append(li);
    }
    list.append(ul);
    return list;
  }

  // --- the forms ----------------------------------------------------------------------------------------------

  // A refused contact, group or referral, put back in its form on this page (the same outing's) to be corrected.
  function formFor(record) {
    if (record.kind === "outing") return document.querySelector("form[data-offline-kind=outing]");
    const kind = record.kind === "referral" ? "referral" : Number(record.headcount) > 1 ? "group" : "contact";
    const form = document.querySelector(`form[data-offline-kind=${kind}]`);
    if (!form || !["contact", "referral"].includes(record.kind)) return null;
    const ref = outingOf(form).ref;
    return ref.outing === record.outing && ref.outing_key === record.outing_key ? form : null;
  }

  // The refused outing's record as its form's fields hold it: the area by its id, the sites as lines, the materials.
  function outingValues(form, record) {
    const areas = JSON.parse(form.dataset.offlineAreas || "{}");
    const values = { ...record, start_time: hhmm(record.start_time), end_time: hhmm(record.end_time) };
    values.area = Object.keys(areas).find((pk) => areas[pk] === record.area) || "";
    values.sites = (record.sites || []).map((site) => `${site.name}: ${site.people_seen}`).join("\n");
    for (const [code, quantity] of Object.entries(record.materials || {})) values[`material_${code}`] = quantity;
    return values;
  }

  function correct(form, row, content) {
    const record = content.record.kind === "outing" ? outingValues(form, content.record) : content.record;
    form.reset();
    for (const field of form.elements) {
      if (!field.name || !(field.name in record)) continue;
      const value = record[field.name];
      if (field.type === "checkbox" || field.type === "radio") field.checked = [].concat(value).map(String).includes(field.value) || value === true;
      else if (field.name === "site" && field.tagName === "SELECT") field.value = ([...field.options].find((o) => o.text === value) || { value: "" }).value;
      else field.value = value;
    }
    if (record.person_part) {
      const hidden = document.createElement("input");
      Object.assign(hidden, { type: "hidden", name: "person_part", value: record.person_part });
      hidden.dataset.offlinePart = "";
      form.prepend(hidden);
    }
    // Saved again, it takes the refused record's place (and key: the server stored nothing under it).
    form.dataset.offlineReplaces = String(row.seq);
    form.dataset.offlineKey = record.key;
    formError(form, refusalText(content.error));  // the server's message, beside what it refused
    const details = form.querySelector("details");
    if (details) details.open = true;
    form.scrollIntoView({ block: "start" });
    const first = form.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
  }

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

  // The outing a form's records belong to: one on the server (its id), or one opened on the phone (its key).
  function outingOf(form) {
    if (form.dataset.offlineOuting) return { ref: { outing: Number(form.dataset.offlineOuting) }, id: `outing-${form.dataset.offlineOuting}` };
    if (form.dataset.offlineOutingKey) return { ref: { outing_key: form.dataset.offlineOutingKey }, id: form.dataset.offlineOutingKey };
    return { ref: {}, id: "" };
  }

  const hhmm = (value) => (value || "").slice(0, 5);

  // The new outing form, offline: the record POST /outings would take, and what its page shows.
  function outingRecord(form, data, key) {
    const areas = JSON.parse(form.dataset.offlineAreas || "{}");
    const sites = [];
    for (const line of (data.sites || "").split("\n")) {
      if (!line.trim()) continue;
      const [name, seen] = [line.split(":")[0].trim(), (line.split(":")[1] || "0").trim() || "0"];
      if (!name || !/^\d+$/.test(seen)) throw new Error(gettext("Sites: write 'site: number of people', one per line."));
      sites.push({ name: name.slice(0, 120), people_seen: Number(seen) });
    }
    const materials = {};
    for (const [name, value] of Object.entries(data)) if (name.startsWith("material_") && Number(value) > 0) materials[name.slice(9)] = Number(value);
    const record = {
      kind: "outing", key, team: data.team, date: data.date, shift: data.shift, area: areas[data.area],
      start_time: data.start_time || null, end_time: data.end_time || null, notes: data.notes || "", sites, materials,
    };
    if (data.amend_reason) record.amend_reason = data.amend_reason;
    const chosen = (name) => {
      const field = form.querySelector(`[name=${name}]:checked, select[name=${name}]`);
      if (!field) return "";
      if (field.tagName === "SELECT") return field.options[field.selectedIndex].text;
      const label = form.querySelector(`label[for="${field.id}"]`);
      return label ? label.textContent.trim() : field.value;
    };
    const outing = {
      key: record.key, team: record.team, date: record.date, shift: chosen("shift"), area: chosen("area"),
      start_time: record.start_time, end_time: record.end_time, notes: record.notes, sites: sites.map((site) => site.name),
    };
    return { record, outing };
  }

  async function keepOuting(form, data) {
    const replaces = Number(form.dataset.offlineReplaces || 0);
    let made;
    try {
      made = outingRecord(form, data, replaces ? form.dataset.offlineKey : uuid());
    } catch (error) {
      formError(form, error.message);
      return;
    }
    const label = interpolate(gettext("Outing of %s"), [made.outing.date]);
    if (replaces) await correctOuting(replaces, made, label);
    else {
      await enqueue(made.record, label);
      await saveOuting(made.record.key, made.outing);
    }
    location.assign(`${form.dataset.offlinePage}#${made.record.key}`);
  }

  // A refused outing, corrected: in its place in the queue and under its key (the server stored nothing under a
  // refused key, and what was made in it names it by that key); what was refused only because of it waits again.
  async function correctOuting(seq, made, label) {
    const key = made.record.key;
    const before = await request((await store("records", "readonly")).get(seq));
    const first = new Set((before ? (await open(before)).record.sites || [] : []).map((site) => site.name));
    const kept = (await loadOuting(key)) || {};
    const later = (kept.sites || []).filter((name) => !first.has(name));  // the sites added on its page
    await saveOuting(key, { ...kept, ...made.outing, sites: [...new Set([...made.outing.sites, ...later])] });
    await put(seq, "waiting", { record: made.record, label, user: config.user });
    for (const row of await rows()) {
      if (row.state !== "refused") continue;
      const content = await open(row);
      if (content.record.outing_key === key && waitsForOuting(content)) {
        await put(row.seq, "waiting", { record: content.record, label: content.label, user: content.user });
      }
    }
  }

  // A site saved on the phone: offered at once in the contact and group forms (and again in the forms the server
  // renders anew after an online save, which know only the sites it has).
  const offered = new Set();
  function offerSite(name) {
    offered.add(name);
    for (const form of document.querySelectorAll("[data-offline-kind=contact], [data-offline-kind=group]")) {
      let select = form.querySelector("select[name=site]");
      if (!select) {
        const box = document.createElement("div");
        box.className = "mb-3";
        const label = document.createElement("label");
        label.textContent = gettext("Site");
        label.htmlFor = `${form.dataset.offlineKind}_offline_site`;
        select = document.createElement("select");
        select.name = "site";
        select.id = label.htmlFor;
        select.className = "form-select";
        select.append(new Option("---------", ""));
        box.append(label, select);
        form.prepend(box);
      }
      if (![...select.options].some((option) => option.text === name)) {
        const option = new Option(name, name);
        option.dataset.offlineSite = "";
        select.append(option);
      }
    }
  }

  async function keepSite(form, data, outing) {
    const record = { kind: "site", key: uuid(), ...outing.ref, name: data.name, people_seen: Number(data.people_seen || 0) };
    await enqueue(record, interpolate(gettext("Site %s"), [data.name]));
    const kept = (await loadOuting(outing.id)) || { sites: [] };
    kept.sites = [...new Set([...(kept.sites || []), data.name])];
    await saveOuting(outing.id, kept);
    offerSite(data.name);
    text("[data-testid=offline-outing-sites]", `${gettext("Sites")}: ${kept.sites.join(", ")}`);
    form.reset();
  }

  // The end time (and notes) as she sets them, with what she saw before: the server keeps its own if it changed.
  async function keepEnd(form, outing) {
    const kept = (await loadOuting(outing.id)) || {};
    const record = { kind: "outing_update", key: uuid(), ...outing.ref };
    const end = form.elements.namedItem("end_time");
    const notes = form.elements.namedItem("notes");
    record.end_time = end.value || null;
    record.seen_end_time = ("end_time" in kept ? kept.end_time : form.dataset.seenEndTime) || null;
    kept.end_time = record.end_time;
    if (notes) {
      record.notes = notes.value;
      record.seen_notes = kept.notes || "";
      kept.notes = record.notes;
    }
    await enqueue(record, kept.date ? interpolate(gettext("End of the outing of %s"), [kept.date]) : gettext("End of the outing"));
    await saveOuting(outing.id, kept);
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
    try {
      await sealingKey();
    } catch (error) {
      if (!(error instanceof NoKey)) throw error;
      formError(form, error.message);
      return;
    }
    formError(form, "");
    const outing = outingOf(form);
    if (kind === "outing") return keepOuting(form, data);
    if (kind === "site") await keepSite(form, data, outing);
    else if (kind === "outing_update") await keepEnd(form, outing);
    else {
      const record = { kind: kind === "referral" ? "referral" : "contact", key: form.dataset.offlineKey || uuid(), ...data, ...outing.ref };
      if (record.person_part) delete record.person_code;
      await enqueue(record, describe(kind, record));
      if (form.dataset.offlineReplaces) await remove(Number(form.dataset.offlineReplaces));
      delete form.dataset.offlineReplaces;
      delete form.dataset.offlineKey;
      // As online, the next person is likely met where the last one was: the site stays, nothing else does.
      const site = form.querySelector("select[name=site]");
      const where = site ? site.value : "";
      form.reset();
      if (site) site.value = where;
      for (const hidden of form.querySelectorAll("[data-offline-part]")) hidden.remove();
      for (const note of form.querySelectorAll("[data-offline-part-note]")) note.remove();
    }
    notice = gettext("Saved on this phone.");
    await show();
    statusBox().scrollIntoView({ block: "nearest" });
    if (navigator.onLine) sync();
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

  // A contact at a site the server does not have yet (it waits in the queue, or the page predates it): sent after it.
  function queuedSite(form) {
    const site = form.querySelector("select[name=site]");
    return Boolean(site && site.selectedIndex > 0 && "offlineSite" in site.options[site.selectedIndex].dataset);
  }

  // Before htmx (which listens on the form itself): with no connection, the form is kept here instead of sent.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (navigator.onLine && !("offlineAlways" in form.dataset) && !form.dataset.offlineReplaces && !queuedSite(form)) return;
    if (!navigator.onLine && form.matches("[data-testid=facts-form]")) {
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
      left = (await rows()).filter((row) => row.state !== "changed").length;
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
  let again = false;  // asked while sending ("Send now", a record saved): run once more after
  async function sync() {
    if (!navigator.onLine) return;
    await keyReady;
    if (sending) {
      again = true;
      return;
    }
    sending = true;
    again = false;
    let sent = 0;
    try {
      for (;;) {
        // Hers only: records another user left on this phone wait for that user's session.
        // What was made in an outing the server refused waits for her correction of it.
        const waiting = [];
        const contents = [];
        const all = await rows();
        const held = await refusedOutings(all);
        for (const row of all.filter((r) => r.state === "waiting")) {
          const content = await open(row);
          if (content.user !== config.user || held.has(content.record.outing_key)) continue;
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
            await stored(waiting[i], contents[i], result);
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
    const left = (await rows()).filter((row) => row.state !== "changed");
    if (sent && !left.length) {
      await forgetOutings();
      document.dispatchEvent(new CustomEvent("approdi:synced"));
    }
    if (again) sync();
  }

  // A record the server has: it leaves the phone; an outing's id is remembered (its page on the phone opens the
  // server's); an end the server did not take is shown beside hers.
  async function stored(row, content, result) {
    const record = content.record;
    if (record.kind === "outing") {
      const outing = await loadOuting(record.key);
      if (outing) await saveOuting(record.key, { ...outing, id: result.id });
    }
    const changes = [];
    if (record.kind === "outing_update" && result.outing) {
      for (const name of result.outing.kept) {
        if (!(name in record)) continue;
        const mine = name === "end_time" ? hhmm(record[name]) : record[name] || "";
        const seen = name === "end_time" ? hhmm(record[`seen_${name}`]) : record[`seen_${name}`] || "";
        const server = name === "end_time" ? hhmm(result.outing[name]) : result.outing[name] || "";
        if (mine !== seen && mine !== server) changes.push({ name, mine, server });  // only what she changed
      }
    }
    if (changes.length) await changed(row, content.label, changes);
    else await remove(row.seq);
  }

  // Everything sent: what the phone kept of the outings goes, but an opened outing's id (its page opens the server's)
  // for 12 hours, as long as the phone keeps any page.
  const KEEP_ID = 12 * 60 * 60 * 1000;
  async function forgetOutings() {
    const outings = await store("outings", "readonly");
    const ids = await request(outings.getAllKeys());
    for (const id of ids) {
      const outing = await loadOuting(id);
      if (outing && outing.id && !String(id).startsWith("outing-")) await saveOuting(id, { id: outing.id, stored: outing.stored || Date.now() });
      else await request((await store("outings", "readwrite")).delete(id));
    }
    await pruneOutings();
  }

  // An opened outing's id, once its outing is stored and 12 hours have passed, leaves the phone.
  async function pruneOutings() {
    const ids = await request((await store("outings", "readonly")).getAllKeys());
    for (const id of ids) {
      if (String(id).startsWith("outing-")) continue;
      const outing = await loadOuting(id);
      if (outing && outing.id && !outing.team && Date.now() - (outing.stored || 0) > KEEP_ID) {
        await request((await store("outings", "readwrite")).delete(id));
      }
    }
  }

  // The new outing form opened to correct a refused outing (#correct=<key>): filled with what she wrote.
  async function setUpCorrection() {
    const form = document.querySelector("form[data-offline-kind=outing]");
    const match = /^#correct=(.+)$/.exec(location.hash);
    if (!form || !match) return;
    const key = decodeURIComponent(match[1]);
    for (const row of await rows()) {
      if (row.state !== "refused") continue;
      const content = await open(row);
      if (content.record.kind === "outing" && content.record.key === key) {
        correct(form, row, content);
        return;
      }
    }
  }

  // --- the outing's page on the phone ------------------------------------------------------------------------

  function text(selector, value) {
    const element = document.querySelector(selector);
    if (element) element.textContent = value;
  }

  async function setUpOuting() {
    for (const section of document.querySelectorAll("[data-offline-only]")) section.hidden = false;
    const page = document.querySelector("[data-offline-outing-page]");
    if (page) {
      const key = decodeURIComponent(location.hash.slice(1));
      const outing = key ? await loadOuting(key) : null;
      if (outing && outing.id && navigator.onLine) {
        location.replace(page.dataset.outingUrl.replace("/0/", `/${outing.id}/`));
        return;
      }
      if (!outing || !outing.team) {
        page.querySelector("[data-offline-missing]").hidden = false;
        return;
      }
      for (const form of page.querySelectorAll("form[data-offline-kind]")) form.dataset.offlineOutingKey = key;
      text("[data-testid=offline-outing-title]", `${outing.date} · ${outing.shift} · ${outing.team}`);
      const times = [hhmm(outing.start_time), hhmm(outing.end_time)].filter(Boolean).join("–");
      text("[data-testid=offline-outing-facts]", [outing.area, times].filter(Boolean).join(" · "));
      page.querySelector("[data-offline-forms]").hidden = false;
    }
    const form = document.querySelector("form[data-offline-kind=outing_update]");
    if (!form) return;
    const outing = await loadOuting(outingOf(form).id);
    if (!outing) return;
    for (const name of outing.sites || []) offerSite(name);
    text("[data-testid=offline-outing-sites]", (outing.sites || []).length ? `${gettext("Sites")}: ${outing.sites.join(", ")}` : "");
    if ("end_time" in outing) form.elements.namedItem("end_time").value = hhmm(outing.end_time);
    const notes = form.elements.namedItem("notes");
    if (notes) notes.value = outing.notes || "";
  }

  // --- the service worker ------------------------------------------------------------------------------------

  async function register() {
    if (!("serviceWorker" in navigator) || !config.worker) return;
    try {
      await navigator.serviceWorker.register(config.worker, { scope: config.scope });
      const ready = await navigator.serviceWorker.ready;
      // The key's answer is never offered to the worker (nor would it keep it: the server does not mark it).
      const files = performance.getEntriesByType("resource").map((entry) => entry.name).filter((name) => new URL(name, location.href).pathname !== config.key);
      const pages = location.pathname.startsWith(config.scope) ? [location.pathname] : [];
      if (ready.active && navigator.onLine) ready.active.postMessage({ keep: [...pages, ...config.keep, ...files] });
    } catch (error) {
      // No worker (a private window, an old browser): the pages work online as before.
    }
  }

  window.addEventListener("online", () => {
    notice = "";
    keyReady = fetchKey().catch(() => {}).then(() => show());
    show();
    sync();
  });
  window.addEventListener("offline", () => { notice = ""; show(); });
  // htmx put the server's contact and group forms back (an online save): the sites the app added are offered again.
  document.addEventListener("htmx:afterSettle", () => {
    for (const name of offered) offerSite(name);
  });
  document.addEventListener("DOMContentLoaded", () => {
    keyReady = fetchKey().catch(() => {}).then(() => show());  // no storage (a private window): nothing to keep
    show();
    setUpOuting();
    setUpCorrection();
    pruneOutings().catch(() => {});  // no storage (a private window): nothing kept to prune
    register();
    if (navigator.onLine) sync();
  });
  window.ApprodiOffline = { sync, rows, show };
})();
