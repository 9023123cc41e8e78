/* prinkipo static search: works from file:// and any static host, fetches nothing from outside.
   The index is plain script files (search/docs.js and one search/t/HEX.js per two-letter prefix),
   loaded by <script> tags, because browsers refuse fetch() and ES modules on file:// pages. */
(function () {
  "use strict";
  var shards = {}, waiting = {};
  window.prinkipoShard = function (key, data) {
    shards[key] = data;
    (waiting[key] || []).forEach(function (f) { f(); });
    delete waiting[key];
  };
  function hex(s) {
    return Array.from(new TextEncoder().encode(s))
      .map(function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }
  function load(key) {
    return new Promise(function (resolve) {
      if (Object.prototype.hasOwnProperty.call(shards, key)) { resolve(shards[key]); return; }
      var first = !waiting[key];
      (waiting[key] = waiting[key] || []).push(function () { resolve(shards[key]); });
      if (!first) { return; }
      var s = document.createElement("script");
      s.src = "search/t/" + hex(key) + ".js";
      s.onerror = function () { window.prinkipoShard(key, {}); };
      document.head.appendChild(s);
    });
  }
  function tokens(q) {
    var folded = q.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
    return (folded.match(/[\p{L}\p{N}]+/gu) || []).filter(function (t) { return t.length > 1; });
  }
  function postings(shard, term, prefix) {
    var out = new Map();
    Object.keys(shard).forEach(function (t) {
      if (t === term || (prefix && t.startsWith(term))) {
        var p = shard[t];
        for (var i = 0; i < p.length; i += 2) { out.set(p[i], (out.get(p[i]) || 0) + p[i + 1]); }
      }
    });
    return out;
  }
  function search(q) {
    var terms = tokens(q);
    if (!terms.length) { return Promise.resolve(null); }
    return Promise.all(terms.map(function (t) { return load(Array.from(t).slice(0, 2).join("")); }))
      .then(function (loaded) {
        var scores = null;
        terms.forEach(function (t, i) {
          var p = postings(loaded[i], t, i === terms.length - 1);
          if (scores === null) { scores = p; return; }
          var next = new Map();
          scores.forEach(function (v, d) { if (p.has(d)) { next.set(d, v + p.get(d)); } });
          scores = next;
        });
        return Array.from(scores.entries()).sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
      });
  }
  function show(q) {
    var list = document.getElementById("results"), status = document.getElementById("status");
    list.textContent = "";
    search(q).then(function (hits) {
      if (hits === null) { status.textContent = "Type a word of two letters or more."; return; }
      status.textContent = hits.length + " document" + (hits.length === 1 ? "" : "s") + " found" +
        (hits.length > 100 ? "; the first 100 are shown." : ".");
      hits.slice(0, 100).forEach(function (h) {
        var d = window.PRINKIPO_DOCS[h[0]];
        var li = document.createElement("li"), a = document.createElement("a");
        a.href = "documents/" + d.id + ".html";
        a.textContent = d.t;
        li.appendChild(a);
        var meta = document.createElement("span");
        meta.className = "muted";
        meta.textContent = " " + [d.a, d.d].filter(Boolean).join(" · ");
        li.appendChild(meta);
        list.appendChild(li);
      });
    });
  }
  var form = document.getElementById("search-form"), input = document.getElementById("q");
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
    show(input.value);
  });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; show(initial); }
})();
