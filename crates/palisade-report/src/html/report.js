// palisade HTML report: filter, search and regroup the findings. Allowed by its hash in
// the page's Content-Security-Policy; it never evaluates text from the report and only
// moves existing elements or sets text and attributes.
(function () {
  "use strict";
  var root = document.documentElement;
  var form = document.getElementById("controls");
  var holder = document.getElementById("groups");
  var shown = document.getElementById("shown");
  if (!form || !holder) { return; }
  var rows = Array.prototype.slice.call(holder.querySelectorAll("details.f"));
  var total = rows.length;
  var texts = null;
  var keys = { sev: "sev", cat: "cat", rec: "rec", rule: "rule", file: "file" };
  form.hidden = false;

  function state() {
    var sev = {};
    Array.prototype.forEach.call(form.querySelectorAll("input[name=sev]"), function (b) { sev[b.value] = b.checked; });
    return { sev: sev, cat: form.cat.value, rec: form.rec.value, q: form.q.value.trim().toLowerCase(),
             group: form.group.value, rule: form.dataset.rule || "", file: form.dataset.file || "" };
  }

  function text(i) {
    if (!texts) { texts = rows.map(function (r) { return r.textContent.toLowerCase(); }); }
    return texts[i];
  }

  function groupKey(row, by) {
    return row.dataset[keys[by] || "sev"] || "";
  }

  function regroup(by) {
    var sorted = rows.map(function (r, i) { return i; });
    sorted.sort(function (a, b) {
      var ra = rows[a], rb = rows[b];
      if (by !== "sev") {
        var ka = groupKey(ra, by), kb = groupKey(rb, by);
        if (ka !== kb) { return ka < kb ? -1 : 1; }
      }
      var d = ra.dataset.rank - rb.dataset.rank;
      return d !== 0 ? d : ra.dataset.i - rb.dataset.i;
    });
    var frag = document.createDocumentFragment();
    var section = null, current = null;
    sorted.forEach(function (i) {
      var row = rows[i], key = groupKey(row, by);
      if (section === null || key !== current) {
        current = key;
        section = document.createElement("section");
        section.className = "group";
        section.dataset.group = key;
        var h = document.createElement("h3");
        h.textContent = key === "" ? "(none)" : key;
        var n = document.createElement("span");
        n.className = "n";
        h.appendChild(document.createTextNode(" "));
        h.appendChild(n);
        section.appendChild(h);
        frag.appendChild(section);
      }
      section.appendChild(row);
    });
    holder.textContent = "";
    holder.appendChild(frag);
    holder.dataset.groupedBy = by;
  }

  function apply() {
    var s = state();
    if (holder.dataset.groupedBy !== s.group) { regroup(s.group); }
    var visible = 0;
    rows.forEach(function (row, i) {
      var d = row.dataset;
      var ok = s.sev[d.sev] !== false && (!s.cat || d.cat === s.cat) && (!s.rec || d.rec === s.rec) &&
        (!s.rule || d.rule === s.rule) && (!s.file || d.file === s.file || d.file.indexOf(s.file) === 0) &&
        (!s.q || text(i).indexOf(s.q) !== -1);
      if (row.hidden === ok) { row.hidden = !ok; }
      if (ok) { visible += 1; }
    });
    Array.prototype.forEach.call(holder.querySelectorAll("section.group"), function (g) {
      var n = g.querySelectorAll("details.f:not([hidden])").length;
      g.hidden = n === 0;
      var badge = g.querySelector("h3 .n");
      if (badge) { badge.textContent = String(n); }
    });
    shown.textContent = visible + " of " + total + " shown" +
      (s.rule ? " (rule " + s.rule + ")" : "") + (s.file ? " (file " + s.file + ")" : "");
    root.dataset.visible = String(visible);
  }

  // `#sev=high,critical&cat=A03&rec=mysql&rule=ID&file=PATH&q=TEXT&group=rule`: a link
  // (or a chart's bar) that opens the report filtered.
  function fromHash() {
    var h = window.location.hash.replace(/^#/, "");
    if (h.indexOf("=") === -1) { return false; }
    form.reset();
    delete form.dataset.rule;
    delete form.dataset.file;
    h.split("&").forEach(function (part) {
      var eq = part.indexOf("=");
      if (eq < 0) { return; }
      var k = part.slice(0, eq), v;
      try { v = decodeURIComponent(part.slice(eq + 1)); } catch (e) { return; }
      if (k === "sev") {
        var want = v.split(",");
        Array.prototype.forEach.call(form.querySelectorAll("input[name=sev]"), function (b) { b.checked = want.indexOf(b.value) !== -1; });
      } else if (k === "cat" || k === "rec" || k === "group") {
        form[k].value = v;
      } else if (k === "q") {
        form.q.value = v;
      } else if (k === "rule" || k === "file") {
        form.dataset[k] = v;
      }
    });
    return true;
  }

  // A finding's "why it matters" link opens the rule's documentation in place.
  holder.addEventListener("click", function (e) {
    var a = e.target.closest ? e.target.closest("p.doclink a") : null;
    if (!a) { return; }
    var doc = document.getElementById(a.getAttribute("href").slice(1));
    if (!doc) { return; }
    e.preventDefault();
    var p = a.parentNode;
    var copy = doc.cloneNode(true);
    copy.removeAttribute("id");
    copy.className = "rule-doc";
    p.parentNode.replaceChild(copy, p);
  });

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.elements.clear.addEventListener("click", function () {
    form.reset();
    delete form.dataset.rule;
    delete form.dataset.file;
    apply();
  });
  window.addEventListener("hashchange", function () {
    if (fromHash()) {
      apply();
      var f = document.getElementById("findings");
      if (f && f.scrollIntoView) { f.scrollIntoView(); }
    }
  });
  if (fromHash()) { apply(); }
  root.dataset.ready = String(Math.round(performance.now()));
  if (window.requestAnimationFrame) {
    window.requestAnimationFrame(function () {
      setTimeout(function () { root.dataset.painted = String(Math.round(performance.now())); }, 0);
    });
  }
}());
