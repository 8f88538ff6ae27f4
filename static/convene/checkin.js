/* The check-in page at the door (templates/onsite/checkin.html, convene.onsite.views.checkin).

   Works with the network and without: the meeting's roster (name, delegation, reference,
   SHA-256 of the QR code) and the queue of check-ins not yet sent are kept in the page's
   localStorage, per meeting and device; every check-in gets an id made here and is sent
   to the sync endpoint, at once when online, later otherwise, and stays queued until
   the server's answer for it came back (the server accepts an id once: resending is
   harmless). Every word shown comes from the server (#checkin-words), none is written
   here. */
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("checkin-config").textContent);
  const words = JSON.parse(document.getElementById("checkin-words").textContent);
  const csrfToken = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  // The shape of a Convene QR code (convene.onsite.services.CONFIRMATION_TOKEN_SHAPE).
  const CODE_SHAPE = /^\d+\.[A-Za-z0-9]+\.\d+:[A-Za-z0-9_-]+$/;
  const BATCH = 200;
  const ROSTER_EVERY_MS = 60000;
  const RETRY_EVERY_MS = 15000;
  const SEND_TIMEOUT_MS = 8000;

  // --- Storage: one key per meeting and device -------------------------------------
  const prefix = "convene.checkin." + config.meeting + "." + config.device + ".";
  function load(key, fallback) {
    try {
      const text = window.localStorage.getItem(prefix + key);
      return text === null ? fallback : JSON.parse(text);
    } catch (error) {
      return fallback;
    }
  }
  function save(key, value) {
    try {
      window.localStorage.setItem(prefix + key, JSON.stringify(value));
    } catch (error) {
      /* Storage full or refused: the page still works until it is reloaded. */
    }
  }
  try {
    window.localStorage.setItem("convene.checkin." + config.meeting + ".device", String(config.device));
  } catch (error) { /* as above */ }

  let roster = load("roster", null); // {entries: [...], updatedAt: ms}
  let queue = load("queue", []); // [{id, code | reference, scanned_at}]
  let seen = load("seen", {}); // reference or code hash -> {day, message}
  let byHash = new Map();
  let byReference = new Map();

  // --- Small helpers ------------------------------------------------------------------
  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, (whole, name) => (name in values ? String(values[name]) : whole));
  }
  function folded(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function pad(number, width) {
    return String(Math.abs(Math.trunc(number))).padStart(width || 2, "0");
  }
  function isoNow() {
    // The device's clock, with its offset: the server takes the venue's day from it.
    const d = new Date();
    const offset = -d.getTimezoneOffset();
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) +
      "T" + pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds()) +
      "." + pad(d.getMilliseconds(), 3) + (offset >= 0 ? "+" : "-") +
      pad(offset / 60) + ":" + pad(offset % 60);
  }
  const dayFormat = new Intl.DateTimeFormat("en-CA", {
    timeZone: config.timeZone, year: "numeric", month: "2-digit", day: "2-digit",
  });
  const timeFormat = new Intl.DateTimeFormat("en-GB", {
    timeZone: config.timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  });
  function venueDay(date) { return dayFormat.format(date); }
  function venueTime(date) { return timeFormat.format(date); }
  function newId() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") return window.crypto.randomUUID();
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  // SHA-256 in hex: WebCrypto where the page is a secure context, else a small fallback
  // (a phone on the venue's plain-HTTP network has no crypto.subtle).
  async function sha256Hex(text) {
    const data = new TextEncoder().encode(text);
    if (window.crypto && window.crypto.subtle) {
      const digest = await window.crypto.subtle.digest("SHA-256", data);
      return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
    }
    return sha256Fallback(data);
  }
  function sha256Fallback(data) {
    const K = [];
    const H = [];
    let n = 2;
    for (let found = 0; found < 64; n++) {
      let prime = true;
      for (let f = 2; f * f <= n; f++) if (n % f === 0) { prime = false; break; }
      if (!prime) continue;
      if (found < 8) H[found] = (Math.pow(n, 1 / 2) * 4294967296) | 0;
      K[found++] = (Math.pow(n, 1 / 3) * 4294967296) | 0;
    }
    const length = data.length;
    const padded = new Uint8Array(((length + 9 + 63) >> 6) << 6);
    padded.set(data);
    padded[length] = 0x80;
    const view = new DataView(padded.buffer);
    view.setUint32(padded.length - 4, length * 8);
    view.setUint32(padded.length - 8, Math.floor(length / 536870912));
    const w = new Int32Array(64);
    for (let block = 0; block < padded.length; block += 64) {
      for (let i = 0; i < 16; i++) w[i] = view.getInt32(block + i * 4);
      for (let i = 16; i < 64; i++) {
        const a = w[i - 15], b = w[i - 2];
        const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
        const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
        w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
      }
      let [a, b, c, d, e, f, g, h] = H;
      for (let i = 0; i < 64; i++) {
        const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
        const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
        const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
        const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      [a, b, c, d, e, f, g, h].forEach((value, i) => { H[i] = (H[i] + value) | 0; });
    }
    return H.map((value) => (value >>> 0).toString(16).padStart(8, "0")).join("");
  }

  // --- What the page shows -------------------------------------------------------------
  const networkLine = document.getElementById("checkin-network");
  const waitingLine = document.getElementById("checkin-waiting");
  const rosterLine = document.getElementById("checkin-roster");
  const answerBox = document.getElementById("checkin-answer");
  const answerMessage = document.getElementById("checkin-answer-message");
  const answerDetail = document.getElementById("checkin-answer-detail");
  const searchBox = document.getElementById("checkin-search");
  const results = document.getElementById("checkin-results");
  const resultsSummary = document.getElementById("checkin-results-summary");

  function showNetwork() {
    const online = navigator.onLine;
    networkLine.textContent = online ? words.online : words.offline;
    networkLine.classList.toggle("is-offline", !online);
  }
  function showWaiting() {
    const count = queue.length;
    waitingLine.textContent = fill(words.waiting[Math.min(count, 2)], { count: count });
    waitingLine.dataset.count = String(count);
    waitingLine.classList.toggle("has-waiting", count > 0);
  }
  function showRoster() {
    if (!roster) {
      rosterLine.textContent = words.no_roster;
      return;
    }
    rosterLine.textContent = fill(words.roster, {
      count: roster.entries.length, time: venueTime(new Date(roster.updatedAt)),
    });
  }

  let audio = null;
  function signal(tone) {
    // A short beep and a buzz where the device allows: one high for welcome, two low
    // for a refusal, one middle for "already in" or "will be checked".
    const welcome = tone === "welcome";
    const refused = tone === "refused";
    if (navigator.vibrate) navigator.vibrate(welcome ? 120 : refused ? [250, 100, 250] : [120, 80, 120]);
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      const beeps = refused ? [0, 0.25] : [0];
      beeps.forEach((start) => {
        const oscillator = audio.createOscillator();
        const gain = audio.createGain();
        oscillator.frequency.value = welcome ? 880 : refused ? 220 : 440;
        gain.gain.value = 0.2;
        oscillator.connect(gain).connect(audio.destination);
        oscillator.start(audio.currentTime + start);
        oscillator.stop(audio.currentTime + start + 0.18);
      });
    } catch (error) { /* No sound on this device. */ }
  }

  function showAnswer(answer) {
    answerBox.hidden = false;
    answerBox.className = "checkin-answer checkin-answer--" + answer.tone;
    answerBox.dataset.outcome = answer.outcome;
    answerMessage.textContent = answer.message;
    answerDetail.textContent = answer.detail || "";
    answerDetail.hidden = !answer.detail;
    signal(answer.tone);
  }

  function toneOf(outcome) {
    if (outcome === "welcome") return "welcome";
    if (outcome === "already_in") return "already";
    return "refused";
  }

  // --- The roster ----------------------------------------------------------------------
  function indexRoster() {
    byHash = new Map();
    byReference = new Map();
    if (!roster) return;
    roster.entries.forEach((entry) => {
      entry.folded = folded(entry.name + " " + entry.delegation + " " + entry.reference);
      byHash.set(entry.token_hash, entry);
      byReference.set(entry.reference, entry);
    });
  }
  async function refreshRoster() {
    if (!navigator.onLine) return;
    try {
      const response = await fetch(config.rosterUrl, { credentials: "same-origin", cache: "no-store" });
      if (response.status === 403) return refused(response);
      if (!response.ok) return;
      const body = await response.json();
      roster = { entries: body.roster, updatedAt: Date.now() };
      save("roster", { entries: body.roster, updatedAt: roster.updatedAt });
      indexRoster();
      showRoster();
      search();
    } catch (error) { /* Offline: the roster held stays. */ }
  }
  async function refused(response) {
    // A revoked device: the server's page says so in full.
    let body = {};
    try { body = await response.json(); } catch (error) { /* not JSON */ }
    if (body.error === "revoked" || body.error === "no_device" || body.error === "other_device") {
      window.location.reload();
    }
  }

  // --- Search --------------------------------------------------------------------------
  function search() {
    const terms = folded(searchBox.value).split(/\s+/).filter(Boolean);
    results.replaceChildren();
    if (!terms.length) {
      resultsSummary.textContent = "";
      return;
    }
    const entries = roster ? roster.entries.filter((entry) => terms.every((term) => entry.folded.includes(term))) : [];
    resultsSummary.textContent = roster ? (entries.length ? "" : words.no_match) : words.no_roster;
    entries.slice(0, 25).forEach((entry) => {
      const item = document.createElement("li");
      item.className = "checkin-result";
      const who = document.createElement("div");
      who.className = "checkin-result-who";
      const name = document.createElement("strong");
      name.textContent = entry.name;
      const detail = document.createElement("span");
      detail.textContent = entry.delegation + " · " + entry.reference;
      who.append(name, detail);
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button checkin-result-button";
      button.textContent = words.check_in;
      button.setAttribute("aria-label", fill(words.check_in_person, { name: entry.name }));
      button.addEventListener("click", () => {
        searchBox.value = "";
        search();
        checkIn({ reference: entry.reference }, entry);
      });
      item.append(who, button);
      results.append(item);
    });
  }

  // --- Check-in: answered here, queued, sent ------------------------------------------
  function localAnswer(entry, key) {
    // What the page answers from what it holds, without the server.
    const today = venueDay(new Date());
    if (!entry) {
      return { outcome: "pending", tone: "already", message: words.not_on_list };
    }
    const before = seen[key];
    if (before && before.day === today) {
      return { outcome: "already_in", tone: "already", message: before.message, detail: entry.delegation };
    }
    seen[key] = {
      day: today,
      message: fill(words.already_in, { name: entry.name, time: venueTime(new Date()), device: config.deviceName }),
    };
    save("seen", seen);
    return {
      outcome: "welcome", tone: "welcome",
      message: fill(words.welcome, { name: entry.name, delegation: entry.delegation }),
    };
  }
  function serverAnswer(payload) {
    const answer = { outcome: payload.outcome, tone: toneOf(payload.outcome), message: payload.message };
    if (payload.registration && payload.outcome === "already_in") answer.detail = payload.registration.delegation;
    return answer;
  }
  function remember(payload) {
    // The server's answer, kept so that an offline tap later says "already in".
    if (!payload.registration || !payload.checked_in_at) return;
    const at = new Date(payload.checked_in_at);
    seen[payload.registration.reference] = {
      day: venueDay(at),
      message: payload.outcome === "already_in" ? payload.message : fill(words.already_in, {
        name: payload.registration.name, time: venueTime(at), device: config.deviceName,
      }),
    };
    save("seen", seen);
  }

  async function checkIn(what, entry) {
    const item = { id: newId(), scanned_at: isoNow() };
    let key;
    if (what.code !== undefined) {
      const code = what.code.trim();
      if (!CODE_SHAPE.test(code)) {
        showAnswer({ outcome: "garbage", tone: "refused", message: words.garbage });
        return;
      }
      item.code = code;
      const hash = await sha256Hex(code);
      entry = byHash.get(hash);
      key = entry ? entry.reference : hash;
    } else {
      item.reference = what.reference;
      key = what.reference;
    }
    queue.push(item);
    save("queue", queue);
    showWaiting();
    const offline = localAnswer(entry, key);
    if (navigator.onLine) {
      try {
        const answers = await sendQueued();
        if (answers.has(item.id)) {
          showAnswer(serverAnswer(answers.get(item.id)));
          return;
        }
      } catch (error) { /* Falls back to the answer from the device below. */ }
    }
    showAnswer(offline);
  }

  // One batch at a time, in order; each call sends whatever is queued then.
  let sending = Promise.resolve();
  function sendQueued() {
    const run = sending.then(sendBatches, sendBatches);
    sending = run.catch(() => undefined);
    return run;
  }
  async function sendBatches() {
    const answers = new Map();
    while (queue.length) {
      const batch = queue.slice(0, BATCH);
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), SEND_TIMEOUT_MS);
      let response;
      try {
        response = await fetch(config.syncUrl, {
          method: "POST",
          credentials: "same-origin",
          cache: "no-store",
          signal: controller.signal,
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken },
          // What stays on the device once this batch is in: what the Secretariat sees waiting.
          body: JSON.stringify({ device: config.device, queued: queue.length - batch.length, checkins: batch }),
        });
      } finally {
        clearTimeout(timer);
      }
      if (response.status === 403) {
        refused(response.clone());
      }
      if (!response.ok) throw new Error("sync " + response.status);
      const body = await response.json();
      const done = new Set();
      body.results.forEach((payload) => {
        answers.set(payload.id, payload);
        done.add(payload.id);
        remember(payload);
      });
      // Only what came back leaves the queue; taps made meanwhile stay.
      const before = queue.length;
      queue = queue.filter((item) => !done.has(item.id));
      save("queue", queue);
      showWaiting();
      if (queue.length >= before) break;
    }
    failures = 0;
    return answers;
  }

  let failures = 0;
  let retryTimer = null;
  function sendLater() {
    // Backoff after a failure: 2 s, 4 s, 8 s… up to a minute.
    if (retryTimer !== null || !queue.length) return;
    const delay = Math.min(60000, 2000 * Math.pow(2, failures));
    retryTimer = setTimeout(() => {
      retryTimer = null;
      sendNow();
    }, delay);
  }
  function sendNow() {
    if (!queue.length || !navigator.onLine) return;
    sendQueued().catch(() => {
      failures += 1;
      sendLater();
    });
  }

  // --- Scanning ------------------------------------------------------------------------
  const scanButton = document.getElementById("checkin-scan");
  const camera = document.getElementById("checkin-camera");
  const cameraHint = document.getElementById("checkin-camera-hint");
  const video = document.getElementById("checkin-video");
  const canvas = document.getElementById("checkin-canvas");
  let stream = null;
  let detector = null;
  let lastText = "";
  let lastAt = 0;

  async function makeDetector() {
    if ("BarcodeDetector" in window) {
      try {
        const formats = await window.BarcodeDetector.getSupportedFormats();
        if (formats.includes("qr_code")) {
          const native = new window.BarcodeDetector({ formats: ["qr_code"] });
          return async (source) => {
            const codes = await native.detect(source);
            return codes.length ? codes[0].rawValue : null;
          };
        }
      } catch (error) { /* Falls back to jsQR below. */ }
    }
    const context = canvas.getContext("2d", { willReadFrequently: true });
    return async (source) => {
      const scale = Math.min(1, 640 / source.videoWidth);
      const width = Math.round(source.videoWidth * scale);
      const height = Math.round(source.videoHeight * scale);
      if (!width || !height) return null;
      canvas.width = width;
      canvas.height = height;
      context.drawImage(source, 0, 0, width, height);
      const image = context.getImageData(0, 0, width, height);
      const code = window.jsQR(image.data, width, height, { inversionAttempts: "dontInvert" });
      return code ? code.data : null;
    };
  }

  async function startScanning() {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch (error) {
      stream = null;
      showAnswer({ outcome: "camera", tone: "refused", message: words.camera_refused });
      return;
    }
    detector = detector || await makeDetector();
    video.srcObject = stream;
    camera.hidden = false;
    cameraHint.textContent = words.scan_hint;
    scanButton.textContent = words.stop;
    scanButton.setAttribute("aria-pressed", "true");
    await video.play().catch(() => undefined);
    scanFrame();
  }
  function stopScanning() {
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    video.srcObject = null;
    camera.hidden = true;
    scanButton.textContent = words.scan;
    scanButton.setAttribute("aria-pressed", "false");
  }
  async function scanFrame() {
    if (!stream) return;
    let text = null;
    if (video.readyState >= 2) {
      try { text = await detector(video); } catch (error) { text = null; }
    }
    const now = Date.now();
    if (text && !(text === lastText && now - lastAt < 4000)) {
      lastText = text;
      lastAt = now;
      // A scanned code is handled exactly as a tap; the camera stays open for the next.
      checkIn({ code: text });
    }
    setTimeout(scanFrame, 150);
  }
  scanButton.addEventListener("click", () => {
    if (stream) stopScanning(); else startScanning();
  });

  // --- Start ---------------------------------------------------------------------------
  document.getElementById("checkin-search-form").addEventListener("submit", (event) => event.preventDefault());
  searchBox.addEventListener("input", search);
  window.addEventListener("online", () => { showNetwork(); failures = 0; sendNow(); refreshRoster(); });
  window.addEventListener("offline", showNetwork);
  // Another tab of the same device queued or sent: follow it.
  window.addEventListener("storage", (event) => {
    if (event.key === prefix + "queue") { queue = load("queue", []); showWaiting(); }
  });
  setInterval(refreshRoster, ROSTER_EVERY_MS);
  setInterval(sendNow, RETRY_EVERY_MS);

  indexRoster();
  showNetwork();
  showWaiting();
  showRoster();
  refreshRoster();
  sendNow();
  if ("serviceWorker" in navigator) {
    // Marks the page once the worker controls it (a reload offline then opens it).
    const controlled = () => {
      if (navigator.serviceWorker.controller) document.documentElement.dataset.checkinWorker = "on";
    };
    navigator.serviceWorker.addEventListener("controllerchange", controlled);
    controlled();
    navigator.serviceWorker.register(config.workerUrl).catch(() => undefined);
  }
  document.documentElement.dataset.checkinReady = "true";
})();
