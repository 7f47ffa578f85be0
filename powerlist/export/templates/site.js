// Filters the power list as you type: by body, by category and by free text (every word must
// match). Plain DOM, no libraries, no network; works from file://.
(function () {
  "use strict";
  var body = document.getElementById("f-body");
  var cat = document.getElementById("f-cat");
  var q = document.getElementById("f-q");
  var count = document.getElementById("f-count");
  var table = document.getElementById("powers");
  if (!body || !cat || !q || !table) { return; }
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var texts = rows.map(function (r) { return (r.getAttribute("data-q") || "").toLowerCase(); });
  var total = rows.length;

  function apply() {
    var b = body.value, c = cat.value;
    var words = q.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i], ok = (!b || r.getAttribute("data-body") === b) && (!c || r.getAttribute("data-cat") === c);
      for (var k = 0; ok && k < words.length; k++) { ok = texts[i].indexOf(words[k]) !== -1; }
      r.hidden = !ok;
      if (ok) { shown++; }
    }
    count.textContent = shown === total ? "共 " + total + " 项" : "显示 " + shown + " / " + total + " 项";
  }

  var form = document.getElementById("filters");
  if (form) { form.addEventListener("submit", function (ev) { ev.preventDefault(); }); }
  body.addEventListener("change", apply);
  cat.addEventListener("change", apply);
  q.addEventListener("input", apply);
  // Browsers restore form values on "back": filter again so rows match what the form shows.
  window.addEventListener("pageshow", apply);
  apply();
})();
