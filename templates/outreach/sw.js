// Approdi's service worker for the street units' pages (docs/offline.md), served from /outreach/sw.js so that its
// scope is /outreach/ and nothing else: it never sees another role's pages.
//
// What it keeps, in one Cache Storage cache:
// - the outreach pages the server marks as safe offline (answer header X-Approdi-Offline: keep — the outings
//   list, an outing's page, the referral form, the counts), each as she last opened it online;
// - the static files (/static/) and the JavaScript translations those pages load.
// Nothing else: no other page, no API answer, no page of a person's identity (the server never marks them).
// A page answered with a redirect (the session ended) empties the cache; so does signing out (approdi.js), and a
// page kept more than 12 hours is never shown offline.
const CACHE = "approdi-outreach-v1";
const SCOPE = new URL("./", self.location).pathname;  // "/outreach/"
const MAX_AGE = 12 * 60 * 60 * 1000;  // a page kept longer than a shift (12 hours) is not shown: the cache is emptied

function keepable(response) {
  return response && response.ok && !response.redirected && response.type === "basic" &&
    response.headers.get("X-Approdi-Offline") === "keep";
}

function staticFile(url) {
  return url.origin === self.location.origin && (url.pathname.startsWith("/static/") || url.pathname.startsWith("/i18n/js/"));
}

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name !== CACHE && name.startsWith("approdi-outreach")) await caches.delete(name);
    await self.clients.claim();
  })());
});

async function forget() {
  for (const name of await caches.keys()) if (name.startsWith("approdi-outreach")) await caches.delete(name);
}

// The page that registered this worker was not served through it: it asks for itself and its files to be kept.
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.forget) {
    event.waitUntil(forget());
    return;
  }
  if (!Array.isArray(data.keep)) return;
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    for (const address of data.keep) {
      const url = new URL(address, self.location);
      if (url.origin !== self.location.origin) continue;
      try {
        if (staticFile(url)) {
          if (!(await cache.match(url))) await cache.add(url);
        } else if (url.pathname.startsWith(SCOPE) && !url.search) {
          const response = await fetch(url, { credentials: "same-origin", redirect: "follow" });
          if (keepable(response)) await cache.put(url, response);
        }
      } catch (error) {
        // Offline meanwhile: kept the next time.
      }
    }
    if (event.source) event.source.postMessage({ kept: true });
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;  // forms and the queue's batch go to the network, always
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (staticFile(url)) {
    // Static files carry their version in their name (or change with a release): the cache first.
    event.respondWith((async () => {
      const cache = await caches.open(CACHE);
      const kept = await cache.match(request, { ignoreVary: true });
      if (kept) return kept;
      const response = await fetch(request);
      if (response.ok && response.type === "basic") await cache.put(request, response.clone());
      return response;
    })());
    return;
  }
  if (request.mode !== "navigate" || !url.pathname.startsWith(SCOPE)) return;
  // A page: the network first, so she always sees the server's version when there is one; the page kept
  // when she last opened it only when the network fails.
  event.respondWith((async () => {
    try {
      const response = await fetch(request);
      if (response.redirected && new URL(response.url).pathname.startsWith("/accounts/")) await forget();
      else if (keepable(response) && !url.search) {
        const cache = await caches.open(CACHE);
        await cache.put(url.pathname, response.clone());
      }
      return response;
    } catch (error) {
      const kept = await caches.match(url.pathname, { ignoreVary: true });
      const date = kept ? Date.parse(kept.headers.get("Date") || "") : NaN;
      if (kept && !(Date.now() - date > MAX_AGE)) return kept;
      if (kept) await forget();
      throw error;
    }
  })());
});
