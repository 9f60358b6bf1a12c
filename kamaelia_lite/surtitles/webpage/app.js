/* Audience page: follows the show over a WebSocket (read-only), in the language the viewer
   picks. No external resources; the server sends the whole current state on every change. */
(function () {
  "use strict";
  var cueEl = document.getElementById("cue");
  var sel = document.getElementById("lang");
  var statusEl = document.getElementById("status");
  var body = document.body;
  var root = document.documentElement;

  function get(key, dflt) {
    try {
      var v = window.localStorage.getItem("surtitles." + key);
      return v === null ? dflt : v;
    } catch (e) { return dflt; }
  }
  function put(key, value) {
    try { window.localStorage.setItem("surtitles." + key, value); } catch (e) { /* private mode */ }
  }

  var params = new URLSearchParams(window.location.search);
  var lang = params.get("lang") || get("lang", "");
  var scale = parseFloat(get("scale", "1")) || 1;
  var last = null;          // the newest state from the server
  var shown = null;         // the text on screen
  var ws = null;
  var retry = 0;
  var timer = null;
  var heard = 0;            // when the server last sent anything
  var SILENT_MS = 35000;    // no message (the server repeats every 10 s): the link is dead

  // -- text size, remembered on the phone
  function applyScale(s) {
    scale = Math.min(3, Math.max(0.5, Math.round(s * 100) / 100));
    root.style.setProperty("--scale", String(scale));
    put("scale", String(scale));
  }
  document.getElementById("bigger").addEventListener("click", function () { applyScale(scale * 1.15); });
  document.getElementById("smaller").addEventListener("click", function () { applyScale(scale / 1.15); });
  applyScale(scale);

  // -- languages
  function nameOf(code) {
    try {
      var n = new Intl.DisplayNames([code], { type: "language" }).of(code);
      return n && n !== code ? n + " (" + code + ")" : code;
    } catch (e) { return code; }
  }
  function fillLanguages(langs) {
    var same = sel.options.length === langs.length;
    for (var i = 0; same && i < langs.length; i++) same = sel.options[i].value === langs[i];
    if (!same) {
      sel.textContent = "";
      langs.forEach(function (code) {
        var o = document.createElement("option");
        o.value = code;
        o.lang = code;
        o.textContent = nameOf(code);
        sel.appendChild(o);
      });
    }
  }
  function current() {
    var langs = (last && last.langs) || [];
    return langs.indexOf(lang) >= 0 ? lang : (langs[0] || lang);
  }
  sel.addEventListener("change", function () {
    lang = sel.value;
    put("lang", lang);
    var q = new URLSearchParams(window.location.search);
    q.set("lang", lang);
    try { window.history.replaceState(null, "", "?" + q.toString()); } catch (e) { /* file: */ }
    tellLanguage();
    render();
  });
  function tellLanguage() {
    if (ws && ws.readyState === 1) ws.send(JSON.stringify({ lang: current() }));
  }

  // -- showing a state
  // A cue's text goes into the page as text nodes only (never parsed as HTML, whatever it
  // holds); italic runs ([[1, "slanted"], [0, "upright"]]) become <i> elements around text.
  function runsOf(code) {
    var all = last.italic;
    var runs = all && typeof all === "object" ? all[code] : null;
    if (!Array.isArray(runs)) return null;
    var out = [];
    for (var i = 0; i < runs.length; i++) {
      var r = runs[i];
      if (Array.isArray(r) && typeof r[1] === "string") out.push([r[0] ? 1 : 0, r[1]]);
    }
    return out;
  }
  function fill(text, runs) {
    cueEl.textContent = "";
    if (!runs) { cueEl.textContent = text; return; }
    runs.forEach(function (r) {
      var node = document.createTextNode(r[1]);
      if (r[0]) {
        var em = document.createElement("i");
        em.appendChild(node);
        node = em;
      }
      cueEl.appendChild(node);
    });
  }
  function render() {
    if (!last) return;
    fillLanguages(last.langs || []);
    var code = current();
    if (sel.value !== code) sel.value = code;
    var texts = last.texts || {};
    var text = last.blackout ? "" : (typeof texts[code] === "string" ? texts[code] : "");
    var runs = last.blackout || !text ? null : runsOf(code);
    var key = runs ? "R" + JSON.stringify(runs) : "T" + text;
    cueEl.lang = code;
    root.lang = code || "en";
    if (key !== shown) {
      shown = key;
      fill(text, runs);                  // the live region announces it
    }
    body.setAttribute("data-seq", String(last.seq));
    body.classList.toggle("blackout", !!last.blackout);
  }

  // -- connection: reconnect with backoff, catch up at once (the server sends the state first)
  function setState(state) {
    body.setAttribute("data-state", state);
    statusEl.textContent = state === "live" ? "live" : state === "connecting" ? "connecting\u2026"
      : "reconnecting\u2026";
  }
  function schedule() {
    if (timer !== null) return;
    var base = Math.min(1000, 150 * Math.pow(2, retry));
    retry += 1;
    timer = window.setTimeout(connect, base * (0.75 + Math.random() * 0.5));
  }
  function connect() {
    if (timer !== null) { window.clearTimeout(timer); timer = null; }
    if (ws) return;
    var url = (window.location.protocol === "https:" ? "wss://" : "ws://") + window.location.host +
      "/live?lang=" + encodeURIComponent(current());
    var sock;
    try { sock = new WebSocket(url); } catch (e) { schedule(); return; }
    ws = sock;
    heard = Date.now();
    sock.onopen = function () { retry = 0; heard = Date.now(); setState("live"); tellLanguage(); };
    sock.onmessage = function (ev) {
      heard = Date.now();
      var msg;
      try { msg = JSON.parse(ev.data); } catch (e) { return; }
      if (msg && typeof msg === "object" && typeof msg.seq === "number") {
        last = msg;
        render();
      }
    };
    sock.onclose = function () {
      if (ws !== sock) return;
      ws = null;
      setState(last ? "reconnecting" : "connecting");
      schedule();
    };
    sock.onerror = function () { try { sock.close(); } catch (e) { /* closing anyway */ } };
  }
  function drop() {
    if (ws) { var s = ws; ws = null; try { s.close(); } catch (e) { /* gone */ } }
    setState(last ? "reconnecting" : "connecting");
    retry = 0;
    connect();
  }
  window.setInterval(function () {
    if (ws && Date.now() - heard > SILENT_MS) drop();
  }, 5000);
  window.addEventListener("online", function () { if (!ws || ws.readyState > 1) drop(); });

  // -- keep the screen on where the browser can (a secure context: https or localhost)
  var lock = null;
  function wake() {
    if (lock || !("wakeLock" in navigator) || document.visibilityState !== "visible") return;
    navigator.wakeLock.request("screen").then(function (l) {
      lock = l;
      l.addEventListener("release", function () { lock = null; });
    }, function () { /* refused (battery saver...): fine */ });
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      wake();
      if (!ws) { retry = 0; connect(); }
    }
  });
  document.addEventListener("click", wake);

  setState("connecting");
  wake();
  connect();
})();
