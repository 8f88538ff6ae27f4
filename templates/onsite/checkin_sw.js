{% autoescape off %}/* The check-in page's service worker (convene.onsite.views.checkin_worker).
   Its scope is the folder it is served from, …/check-in/: the page and nothing else of
   the site. It keeps the page's shell (network first, so a reload online is always the
   server's page) and its static files (cache first: their names change with their
   content), so that a reload with no network still opens the page. The roster and the
   sync answers are never cached here: the page keeps what it needs itself. */
"use strict";
const CONFIG = {{ config }};

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CONFIG.cache)
      .then((cache) => cache.addAll([CONFIG.page, ...CONFIG.assets]))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((names) => Promise.all(
      names.filter((name) => name.startsWith("convene-checkin-") && name !== CONFIG.cache)
        .map((name) => caches.delete(name))
    )).then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === CONFIG.page) {
    event.respondWith(
      fetch(request).then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CONFIG.cache).then((cache) => cache.put(CONFIG.page, copy));
        }
        return response;
      }).catch(() => caches.match(CONFIG.page).then((cached) => cached || Response.error()))
    );
    return;
  }
  if (CONFIG.assets.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname).then((cached) => cached || fetch(request)));
  }
});
{% endautoescape %}
