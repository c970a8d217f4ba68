// palisade HTML report: filter, search, regroup and page through the findings. Allowed by
// its hash in the page's Content-Security-Policy. It reads the findings from the page's
// JSON data block and builds rows with createElement and textContent only: text from the
// report is never parsed as HTML or evaluated.
//
// Data block: { severities: [names, most severe first], rules: [[id, title, owasp code,
// owasp label, recommendation, cwe, anchor, documented]], files: [path], inline: rows
// written as HTML, findings: [[severity rank, confidence, rule index, file index,
// location, message, snippet, [[related place, message]], fix or null, fingerprint,
// where the suppression goes, suppression]] } in the report's order.
(function () {
  "use strict";
  var PAGE = 500;
  var root = document.documentElement;
  var form = document.getElementById("controls");
  var holder = document.getElementById("groups");
  var shown = document.getElementById("shown");
  var block = document.getElementById("palisade-data");
  if (!form || !holder || !block) { return; }
  var data = JSON.parse(block.textContent);
  var F = data.findings, R = data.rules, FILES = data.files, SEV = data.severities;
  var texts = null;
  var limit = PAGE;
  form.hidden = false;

  function key(i, by) {
    var f = F[i];
    switch (by) {
      case "cat": return R[f[2]][2];
      case "rec": return R[f[2]][4];
      case "rule": return R[f[2]][0];
      case "file": return FILES[f[3]];
      default: return SEV[f[0]];
    }
  }

  function label(i, by) {
    return by === "cat" ? R[F[i][2]][3] : key(i, by);
  }

  function text(i) {
    if (!texts) {
      texts = F.map(function (f) {
        var r = R[f[2]];
        return [r[0], r[1], FILES[f[3]], f[4], f[5], f[6]].join("\n").toLowerCase();
      });
    }
    return texts[i];
  }

  function el(tag, cls, txt) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (txt !== undefined) { e.textContent = txt; }
    return e;
  }

  function summaryText(msg) {
    var line = msg.split("\n")[0];
    return line.length > 200 || line.length < msg.replace(/\s+$/, "").length ? line.slice(0, 200) + "\u2026" : line;
  }

  function row(i) {
    var f = F[i], r = R[f[2]], sev = SEV[f[0]];
    var d = el("details", "f " + sev);
    d.id = "f" + i;
    d.dataset.i = String(i);
    d.dataset.sev = sev;
    d.dataset.rank = String(f[0]);
    d.dataset.cat = r[2];
    d.dataset.rec = r[4];
    d.dataset.rule = r[0];
    d.dataset.file = FILES[f[3]];
    var s = el("summary");
    s.appendChild(el("span", "sev " + sev, sev));
    s.appendChild(document.createTextNode(" "));
    s.appendChild(el("code", "rule", r[0]));
    s.appendChild(document.createTextNode(" "));
    s.appendChild(el("span", "loc", f[4]));
    s.appendChild(document.createTextNode(" "));
    s.appendChild(el("span", "msg", summaryText(f[5])));
    d.appendChild(s);
    return d;
  }

  // A row's details, built when it is first opened.
  function body(i) {
    var f = F[i], r = R[f[2]];
    var b = el("div", "body");
    var p = el("p");
    p.appendChild(el("b", null, r[1]));
    p.appendChild(document.createTextNode(": " + f[5]));
    b.appendChild(p);
    if (f[6] !== "") {
      var pre = el("pre", "snippet");
      pre.appendChild(el("code", null, f[6]));
      b.appendChild(pre);
    }
    var meta = el("p", "meta", r[3] + (r[5] ? " \u00b7 " + r[5] : "") + " \u00b7 policy: " + r[4] +
      " \u00b7 confidence " + f[1] + " \u00b7 fingerprint ");
    meta.appendChild(el("code", null, f[9]));
    b.appendChild(meta);
    if (f[7].length) {
      var ul = el("ul", "related");
      f[7].forEach(function (rel) {
        var li = el("li", null, "related: ");
        li.appendChild(el("span", "loc", rel[0]));
        li.appendChild(document.createTextNode(" " + rel[1]));
        ul.appendChild(li);
      });
      b.appendChild(ul);
    }
    if (f[8] !== null) { b.appendChild(el("p", "fix", "Suggested fix: " + f[8])); }
    if (r[7]) {
      var dl = el("p", "doclink");
      var a = el("a", null, "Why it matters and how to fix it");
      a.setAttribute("href", "#" + r[6]);
      dl.appendChild(a);
      b.appendChild(dl);
    }
    b.appendChild(el("p", null, "To accept it, add " + f[10] + ":"));
    var sp = el("pre", "suppress");
    sp.appendChild(el("code", null, f[11]));
    b.appendChild(sp);
    return b;
  }

  function state() {
    var sev = {};
    Array.prototype.forEach.call(form.querySelectorAll("input[name=sev]"), function (b) { sev[b.value] = b.checked; });
    return { sev: sev, cat: form.cat.value, rec: form.rec.value, q: form.q.value.trim().toLowerCase(),
             group: form.group.value, rule: form.dataset.rule || "", file: form.dataset.file || "" };
  }

  function apply() {
    var s = state();
    var picked = [];
    for (var i = 0; i < F.length; i++) {
      var f = F[i], r = R[f[2]], file = FILES[f[3]];
      if (s.sev[SEV[f[0]]] === false) { continue; }
      if (s.cat && r[2] !== s.cat) { continue; }
      if (s.rec && r[4] !== s.rec) { continue; }
      if (s.rule && r[0] !== s.rule) { continue; }
      if (s.file && file !== s.file && file.indexOf(s.file) !== 0) { continue; }
      if (s.q && text(i).indexOf(s.q) === -1) { continue; }
      picked.push(i);
    }
    var by = s.group;
    picked.sort(function (a, b) {
      if (by !== "sev") {
        var ka = key(a, by), kb = key(b, by);
        if (ka !== kb) { return ka < kb ? -1 : 1; }
      }
      return F[a][0] - F[b][0] || a - b;
    });
    var sizes = {};
    picked.forEach(function (i) { var k = key(i, by); sizes[k] = (sizes[k] || 0) + 1; });
    var frag = document.createDocumentFragment();
    var section = null, current = null;
    picked.slice(0, limit).forEach(function (i) {
      var k = key(i, by);
      if (section === null || k !== current) {
        current = k;
        section = el("section", "group");
        section.dataset.group = k;
        var h = el("h3", null, (label(i, by) || "(none)") + " ");
        h.appendChild(el("span", "n", String(sizes[k])));
        section.appendChild(h);
        frag.appendChild(section);
      }
      section.appendChild(row(i));
    });
    if (picked.length > limit) {
      var more = el("button", "more", "Show " + Math.min(PAGE, picked.length - limit) + " more");
      more.type = "button";
      more.id = "more";
      frag.appendChild(more);
    }
    if (picked.length === 0) { frag.appendChild(el("p", null, "No finding matches.")); }
    holder.textContent = "";
    holder.appendChild(frag);
    holder.dataset.groupedBy = by;
    var note = document.getElementById("truncated");
    if (note) { note.hidden = true; }
    shown.textContent = picked.length + " of " + F.length + " shown" +
      (picked.length > limit ? " (first " + limit + " listed)" : "") +
      (s.rule ? " (rule " + s.rule + ")" : "") + (s.file ? " (file " + s.file + ")" : "");
    root.dataset.visible = String(picked.length);
  }

  function reset() {
    form.reset();
    delete form.dataset.rule;
    delete form.dataset.file;
    limit = PAGE;
  }

  // `#sev=high,critical&cat=A03&rec=mysql&rule=ID&file=PATH&q=TEXT&group=rule`: a link
  // (or a chart's bar) that opens the report filtered.
  function fromHash() {
    var h = window.location.hash.replace(/^#/, "");
    if (h.indexOf("=") === -1) { return false; }
    reset();
    h.split("&").forEach(function (part) {
      var eq = part.indexOf("=");
      if (eq < 0) { return; }
      var k = part.slice(0, eq), v;
      try { v = decodeURIComponent(part.slice(eq + 1)); } catch (e) { return; }
      if (k === "sev") {
        var want = v.split(",");
        Array.prototype.forEach.call(form.querySelectorAll("input[name=sev]"), function (b) { b.checked = want.indexOf(b.value) !== -1; });
      } else if (k === "cat" || k === "rec" || k === "group" || k === "q") {
        form.elements[k].value = v;
      } else if (k === "rule" || k === "file") {
        form.dataset[k] = v;
      }
    });
    return true;
  }

  // Details are built when a row is first opened; "why it matters" opens the rule's
  // documentation in place; "show more" lists the next page.
  holder.addEventListener("toggle", function (e) {
    var d = e.target;
    if (d.open && d.matches && d.matches("details.f") && !d.querySelector(".body")) {
      d.appendChild(body(Number(d.dataset.i)));
    }
  }, true);
  holder.addEventListener("click", function (e) {
    var t = e.target;
    if (t.id === "more") {
      limit += PAGE;
      apply();
      return;
    }
    var a = t.closest ? t.closest("p.doclink a") : null;
    if (!a) { return; }
    var doc = document.getElementById(a.getAttribute("href").slice(1));
    if (!doc) { return; }
    e.preventDefault();
    var copy = doc.cloneNode(true);
    copy.removeAttribute("id");
    copy.className = "rule-doc";
    a.parentNode.parentNode.replaceChild(copy, a.parentNode);
  });

  form.addEventListener("input", function () { limit = PAGE; apply(); });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.elements.clear.addEventListener("click", function () { reset(); apply(); });
  window.addEventListener("hashchange", function () {
    if (fromHash()) {
      apply();
      var f = document.getElementById("findings");
      if (f && f.scrollIntoView) { f.scrollIntoView(); }
    }
  });
  if (fromHash() || F.length > data.inline) { apply(); }
  root.dataset.ready = String(Math.round(performance.now()));
  if (window.requestAnimationFrame) {
    window.requestAnimationFrame(function () {
      setTimeout(function () { root.dataset.painted = String(Math.round(performance.now())); }, 0);
    });
  }
}());
