(function () {
  "use strict";
  // Everything from the profile is set with textContent, never parsed as HTML.
  var PAGE = 200;
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var controls = data.controls;
  var list = document.getElementById("controls");
  var more = document.getElementById("more");
  var shown = document.getElementById("shown");
  var tagSelect = document.getElementById("f-tag");
  var targetSelect = document.getElementById("f-target");
  var impactSelect = document.getElementById("f-impact");
  var textInput = document.getElementById("f-text");
  var statusButtons = document.querySelectorAll(".status-filter button");
  var state = { status: "", impact: "", tag: "", target: "", q: "" };
  var matches = [];
  var rendered = 0;
  var several = data.targets.length > 1;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function impactName(m) {
    return m >= 0.9 ? "critical" : m >= 0.7 ? "high" : m >= 0.4 ? "medium" : m >= 0.01 ? "low" : "none";
  }

  function haystack(c) {
    if (c._h === undefined) {
      var parts = [c.id, c.t, (c.g || []).join(" ")];
      (c.d || []).forEach(function (d) { parts.push(d[1]); });
      c.r.forEach(function (r) { parts.push(r[1], r[2] || ""); });
      c._h = parts.join("\n").toLowerCase();
    }
    return c._h;
  }

  function selected(c, words) {
    if (state.status) {
      if (state.status === "failed" ? (c.s !== "failed" && c.s !== "error") : c.s !== state.status) return false;
    }
    if (state.impact && c._i !== state.impact) return false;
    if (state.target !== "" && String(c.x) !== state.target) return false;
    if (state.tag && !hasTag(c, state.tag)) return false;
    if (words.length) {
      var h = haystack(c);
      for (var w = 0; w < words.length; w++) if (h.indexOf(words[w]) < 0) return false;
    }
    return true;
  }

  function hasTag(c, tag) {
    var g = c.g || [];
    for (var i = 0; i < g.length; i++) {
      if (g[i] === tag || g[i].lastIndexOf(tag + ":", 0) === 0) return true;
    }
    return false;
  }

  function tally(c) {
    var n = { passed: 0, failed: 0, skipped: 0, error: 0, waived: 0 };
    c.r.forEach(function (r) { n[r[0]] = (n[r[0]] || 0) + 1; });
    var bad = n.failed + n.error;
    if (bad) return bad + " of " + c.r.length + " failed";
    if (n.waived) return n.waived + " of " + c.r.length + " failed, waived";
    return n.passed ? n.passed + " of " + c.r.length + " passed" : n.skipped + " skipped";
  }

  function row(c) {
    var d = el("details", "control st-" + c.s);
    d.setAttribute("data-id", c.id);
    d._c = c;
    var s = el("summary");
    s.appendChild(el("span", "status " + c.s, c.s));
    s.appendChild(el("span", "cid", c.id));
    s.appendChild(el("span", "ctitle", c.t));
    if (c.w) s.appendChild(el("span", "badge waived", "waived"));
    if (several) s.appendChild(el("span", "badge", data.targets[c.x]));
    s.appendChild(el("span", "badge", c._i + " " + c.m));
    s.appendChild(el("span", "tally", tally(c)));
    d.appendChild(s);
    return d;
  }

  function section(parent, title, node) {
    parent.appendChild(el("h3", null, title));
    parent.appendChild(node);
  }

  function body(c) {
    var b = el("div", "body");
    (c.d || []).forEach(function (d) {
      if (d[0]) b.appendChild(el("h3", null, d[0]));
      b.appendChild(el("p", null, d[1]));
    });
    if (c.w) {
      var w = el("p", null, c.w.justification + (c.w.expiration ? " (expires " + c.w.expiration + ")" : "") +
        (c.w.run ? "" : " — not run") + (c.w.message ? "\n" + c.w.message : ""));
      section(b, "Waiver", w);
    }
    var tests = el("ul", "tests");
    c.r.forEach(function (r) {
      var li = el("li");
      li.appendChild(el("span", "status " + r[0], r[0]));
      li.appendChild(document.createTextNode(" " + r[1]));
      if (r[2]) li.appendChild(el("pre", null, r[2]));
      if (r[4]) {
        var trace = el("details");
        trace.appendChild(el("summary", null, "backtrace (" + (r[3] || "error") + ")"));
        trace.appendChild(el("pre", null, r[4]));
        li.appendChild(trace);
      }
      tests.appendChild(li);
    });
    section(b, "Tests", tests);
    if (c.g) {
      var chips = el("div", "chips");
      c.g.forEach(function (t) { chips.appendChild(el("span", "badge", t)); });
      section(b, "Tags", chips);
    }
    if (c.f) {
      var refs = el("ul");
      c.f.forEach(function (ref) {
        var li = el("li");
        if (/^https?:\/\//i.test(ref)) {
          var a = el("a", null, ref);
          a.href = ref;
          a.rel = "noopener noreferrer";
          li.appendChild(a);
        } else {
          li.textContent = ref;
        }
        refs.appendChild(li);
      });
      section(b, "References", refs);
    }
    if (c.c) section(b, "Code", el("pre", null, c.c));
    var where = data.profiles[c.p] + (several ? " on " + data.targets[c.x] : "") + (c.l ? " — " + c.l : "");
    section(b, "Source", el("p", "muted", where));
    return b;
  }

  function renderMore() {
    var fragment = document.createDocumentFragment();
    var end = Math.min(matches.length, rendered + PAGE);
    for (; rendered < end; rendered++) fragment.appendChild(row(controls[matches[rendered]]));
    list.appendChild(fragment);
    var left = matches.length - rendered;
    more.hidden = left <= 0;
    more.textContent = "Show " + Math.min(left, PAGE) + " more (" + left + " not shown)";
    shown.textContent = matches.length === controls.length
      ? "Showing " + rendered + " of " + controls.length + " controls"
      : "Showing " + rendered + " of " + matches.length + " matching controls (" + controls.length + " in all)";
    shown.setAttribute("data-matching", String(matches.length));
  }

  function writeHash() {
    var params = new URLSearchParams();
    Object.keys(state).forEach(function (k) { if (state[k]) params.set(k, state[k]); });
    try { history.replaceState(null, "", "#" + params.toString()); } catch (e) { /* file: URL quirks */ }
  }

  function apply() {
    var words = state.q.toLowerCase().split(/\s+/).filter(Boolean);
    matches = [];
    for (var i = 0; i < controls.length; i++) if (selected(controls[i], words)) matches.push(i);
    list.textContent = "";
    rendered = 0;
    renderMore();
    writeHash();
  }

  function showState() {
    statusButtons.forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-status") === state.status));
    });
    impactSelect.value = state.impact;
    tagSelect.value = state.tag;
    targetSelect.value = state.target;
    textInput.value = state.q;
  }

  function set(changes) {
    Object.keys(changes).forEach(function (k) { state[k] = changes[k]; });
    showState();
    apply();
  }

  // Prepare: impact names, the tag and target choices, the chart's bar widths.
  // The tag choices: every tag name, and each name:value shared by several controls
  // (a value unique to one control is found with the search box instead).
  var tagCounts = {};
  controls.forEach(function (c) {
    c._i = impactName(c.m);
    var names = {};
    (c.g || []).forEach(function (t) {
      var name = t.split(":")[0];
      if (!names[name]) { names[name] = true; if (name !== t) tagCounts[name] = (tagCounts[name] || 0) + 1; }
      tagCounts[t] = (tagCounts[t] || 0) + 1;
    });
  });
  Object.keys(tagCounts)
    .filter(function (t) { return t.indexOf(":") < 0 || tagCounts[t] > 1; })
    .sort(function (a, b) { return tagCounts[b] - tagCounts[a] || (a < b ? -1 : 1); })
    .slice(0, 500)
    .sort()
    .forEach(function (t) {
      var option = el("option", null, t + " (" + tagCounts[t] + ")");
      option.value = t;
      tagSelect.appendChild(option);
    });
  if (several) {
    document.getElementById("f-target-label").hidden = false;
    data.targets.forEach(function (t, i) {
      var option = el("option", null, t);
      option.value = String(i);
      targetSelect.appendChild(option);
    });
  }
  document.querySelectorAll(".seg").forEach(function (s) { s.style.width = s.getAttribute("data-width") + "%"; });

  // The control x target matrix of a fleet run (rows come ordered: failing somewhere first).
  var MARKS = { passed: "\u2714", failed: "\u00d7", error: "!", skipped: "\u21ba", waived: "\u2691", "": "\u2013" };
  var matrix = document.getElementById("matrix");
  var matrixMore = document.getElementById("matrix-more");
  function renderMatrix(limit) {
    var rows = data.matrix || [];
    matrix.textContent = "";
    var head = el("thead");
    var tr = el("tr");
    tr.appendChild(el("th", "cid", "control"));
    data.targets.forEach(function (t) { tr.appendChild(el("th", null, t)); });
    head.appendChild(tr);
    matrix.appendChild(head);
    var tbody = el("tbody");
    rows.slice(0, limit).forEach(function (m) {
      var line = el("tr");
      line.appendChild(el("th", "cid", m[0]));
      m[1].forEach(function (status, x) {
        var cell = el("td", status, MARKS[status]);
        cell.title = m[0] + " on " + data.targets[x] + ": " + (status || "not run");
        cell.setAttribute("data-status", status);
        cell.setAttribute("data-target", String(x));
        line.appendChild(cell);
      });
      tbody.appendChild(line);
    });
    matrix.appendChild(tbody);
    matrix.setAttribute("data-rows", String(Math.min(limit, rows.length)));
    matrixMore.hidden = rows.length <= limit;
    matrixMore.textContent = "Show all " + rows.length + " rows";
  }
  if (matrix && data.matrix) {
    renderMatrix(PAGE);
    matrixMore.addEventListener("click", function () { renderMatrix(data.matrix.length); });
    matrix.addEventListener("click", function (event) {
      var cell = event.target.closest("td");
      if (!cell || !cell.getAttribute("data-status")) return;
      var id = cell.parentNode.firstChild.textContent;
      set({ target: cell.getAttribute("data-target"), q: id, status: "" });
      var found = Array.prototype.filter.call(list.querySelectorAll("details.control"),
        function (d) { return d.getAttribute("data-id") === id; })[0];
      if (found) { found.open = true; found.scrollIntoView({ block: "start" }); }
    });
  }

  // Events: one listener per kind, delegated.
  statusButtons.forEach(function (b) {
    b.addEventListener("click", function () { set({ status: b.getAttribute("data-status") }); });
  });
  impactSelect.addEventListener("change", function () { set({ impact: impactSelect.value }); });
  tagSelect.addEventListener("change", function () { set({ tag: tagSelect.value }); });
  targetSelect.addEventListener("change", function () { set({ target: targetSelect.value }); });
  var timer = null;
  textInput.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { state.q = textInput.value; apply(); }, 150);
  });
  document.querySelector(".chart").addEventListener("click", function (event) {
    var seg = event.target.closest(".seg");
    var bar = event.target.closest(".bar-row");
    if (seg) set({ impact: seg.getAttribute("data-impact"), status: seg.getAttribute("data-status") });
    else if (bar) set({ impact: bar.getAttribute("data-impact"), status: "" });
  });
  list.addEventListener("toggle", function (event) {
    var d = event.target;
    if (d._c && d.open && !d._filled) {
      d._filled = true;
      d.appendChild(body(d._c));
    }
  }, true);
  more.addEventListener("click", renderMore);
  if ("IntersectionObserver" in window) {
    new IntersectionObserver(function (entries) {
      if (entries[0].isIntersecting && !more.hidden) renderMore();
    }, { rootMargin: "600px" }).observe(more);
  }

  var initial = new URLSearchParams(location.hash.slice(1));
  Object.keys(state).forEach(function (k) { state[k] = initial.get(k) || ""; });
  showState();
  apply();
}());
