// Filters the power list as you type: by body, by category and by free text (every word must
// match). The query and the rows are compared folded: NFKC (full-width letters and digits),
// lower case, and traditional to simplified characters with the table the page carries
// (data-fold: pairs of characters), so 水務 finds 水务. The filter lives in the address
// (#body=…&cat=…&q=…): a reload, a shared link or a bar on the summary page shows the same list.
// Plain DOM, no libraries, no network; works from file://.
(function () {
  "use strict";
  var body = document.getElementById("f-body");
  var cat = document.getElementById("f-cat");
  var q = document.getElementById("f-q");
  var count = document.getElementById("f-count");
  var table = document.getElementById("powers");
  if (!body || !cat || !q || !table) { return; }

  var fold = {};
  var pairs = Array.from(table.getAttribute("data-fold") || "");
  for (var p = 0; p + 1 < pairs.length; p += 2) { fold[pairs[p]] = pairs[p + 1]; }
  function norm(s) {
    s = (s.normalize ? s.normalize("NFKC") : s).toLowerCase();
    return Array.from(s, function (c) { return fold[c] || c; }).join("");
  }

  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var texts = rows.map(function (r) { return norm(r.getAttribute("data-q") || ""); });
  var total = rows.length;

  function choose(select, value) {
    // a value no option has (an old link) shows everything rather than nothing
    select.value = value;
    if (select.value !== value) { select.value = ""; }
  }

  function readAddress() {
    var params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    choose(body, params.get("body") || "");
    choose(cat, params.get("cat") || "");
    q.value = params.get("q") || "";
  }

  function writeAddress() {
    var params = new URLSearchParams();
    if (body.value) { params.set("body", body.value); }
    if (cat.value) { params.set("cat", cat.value); }
    if (q.value.trim()) { params.set("q", q.value); }
    var hash = params.toString();
    var base = window.location.href.split("#")[0];
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", hash ? base + "#" + hash : base);
    }
  }

  function apply() {
    var b = body.value, c = cat.value;
    var words = norm(q.value).split(/\s+/).filter(Boolean);
    var shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i], ok = (!b || r.getAttribute("data-body") === b) && (!c || r.getAttribute("data-cat") === c);
      for (var k = 0; ok && k < words.length; k++) { ok = texts[i].indexOf(words[k]) !== -1; }
      r.hidden = !ok;
      if (ok) { shown++; }
    }
    count.textContent = shown === total ? "共 " + total + " 项" : "显示 " + shown + " / " + total + " 项";
  }

  function changed() { writeAddress(); apply(); }

  var form = document.getElementById("filters");
  if (form) { form.addEventListener("submit", function (ev) { ev.preventDefault(); }); }
  body.addEventListener("change", changed);
  cat.addEventListener("change", changed);
  q.addEventListener("input", changed);
  window.addEventListener("hashchange", function () { readAddress(); apply(); });
  // On "back" the browser restores the page as it was: read the address again so rows, form and
  // address agree.
  window.addEventListener("pageshow", function () { readAddress(); apply(); });
  readAddress();
  apply();
})();
