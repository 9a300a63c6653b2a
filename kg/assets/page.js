// The kg graph page. All note text arrives as JSON and is shown with textContent,
// never innerHTML, so a note cannot inject markup or script into the page.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var SHAPE_CHAR = { dot: "\u25CF", square: "\u25A0", diamond: "\u25C6", star: "\u2605",
    triangle: "\u25B2", triangleDown: "\u25BC", hexagon: "\u2B22", box: "\u25AC" };
  var STATE_NAME = { later: "not yet stated" };
  var ITEM = "ActionItem";
  var stateColour = {};
  data.stateColours.forEach(function (p) { stateColour[p[0]] = p[1]; });

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var shownLabel = {}, shownRel = {}, shownState = {};
  var dates = data.dates;
  var startIdx = data.asOf ? Math.max(0, dates.indexOf(data.asOf)) : dates.length - 1;
  var dateIdx = startIdx;
  var visible = {};
  var currentState = {};

  function curDate() { return dates.length ? dates[dateIdx] : null; }

  function stateOf(n) {
    if (!n.states) return null;
    var day = curDate(), st = n.states[0][1];
    for (var i = 0; i < n.states.length; i++) if (day === null || n.states[i][0] <= day) st = n.states[i][1];
    return st;
  }

  function nodeVisible(n) {
    if (shownLabel[n.group] === false) return false;
    if (n.since && curDate() !== null && n.since > curDate()) return false;
    if (n.group === ITEM && shownState[currentState[n.id]] === false) return false;
    return true;
  }

  function edgeVisible(e) {
    if (shownRel[e.label] === false) return false;
    if (e.since && curDate() !== null && e.since > curDate()) return false;
    return visible[e.from] === true && visible[e.to] === true;
  }

  var nodeView = new vis.DataView(nodes, { filter: nodeVisible });
  var edgeView = new vis.DataView(edges, { filter: edgeVisible });
  var container = document.getElementById("kg-graph");
  var panel = document.getElementById("kg-panel");
  var panelBody = document.getElementById("kg-panel-body");
  var status = document.getElementById("kg-status");
  var box = document.getElementById("kg-search");
  var slider = document.getElementById("kg-date");
  var counters = [];  // [element, function () -> count]

  window.kgReady = false;
  window.kgFocused = null;
  window.kgPanel = null;

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  function fmt(n) { return n.toLocaleString("en-US"); }

  // ------------------------------------------------------------ filters and counts

  function paintStates() {
    var changed = [];
    nodes.forEach(function (n) {
      if (!n.states) return;
      var st = stateOf(n);
      if (currentState[n.id] !== st) {
        if (currentState[n.id] !== undefined) changed.push({ id: n.id, color: stateColour[st] });
        currentState[n.id] = st;
      }
    });
    if (changed.length) nodes.update(changed);
  }

  function refresh() {
    paintStates();
    visible = {};
    nodes.forEach(function (n) { if (nodeVisible(n)) visible[n.id] = true; });
    nodeView.refresh();
    edgeView.refresh();
    counters.forEach(function (c) { c[0].textContent = fmt(c[1]()); });
    document.getElementById("kg-summary").textContent =
      fmt(nodeView.length) + " of " + fmt(data.totals.nodes) + " nodes, " +
      fmt(edgeView.length) + " of " + fmt(data.totals.edges) + " relationships shown";
    var day = curDate();
    document.getElementById("kg-date-text").textContent = day || "";
    var asof = document.getElementById("kg-asof");
    if (asof) asof.textContent = day ? "on " + day : "";
  }

  function countNodes(test) {
    return function () { var k = 0; nodeView.forEach(function (n) { if (test(n)) k++; }); return k; };
  }

  function countEdges(type) {
    return function () { var k = 0; edgeView.forEach(function (e) { if (e.label === type) k++; }); return k; };
  }

  function filterRow(parent, opts) {
    var row = el("label", null, opts.sub ? "sub" : null);
    var cb = el("input");
    cb.type = "checkbox";
    cb.checked = opts.store[opts.key] !== false;
    cb.dataset[opts.kind] = opts.key;
    cb.dataset.initial = cb.checked ? "1" : "";
    cb.addEventListener("change", function () { opts.store[opts.key] = cb.checked; refresh(); });
    row.appendChild(cb);
    if (opts.swatch) row.appendChild(opts.swatch);
    row.appendChild(el("span", opts.text));
    var n = el("span", "", "n");
    n.dataset.count = opts.kind + ":" + opts.key;
    counters.push([n, opts.count]);
    row.appendChild(n);
    parent.appendChild(row);
    return cb;
  }

  function swatch(ch, colour, border) {
    var sw = el("span", ch, "sw");
    sw.style.color = colour;
    if (border) sw.style.textShadow = "0 0 1px " + border + ", 0 0 1px " + border;
    return sw;
  }

  function renderLegend() {
    var legend = document.getElementById("kg-legend");
    legend.appendChild(el("h3", "Labels"));
    data.hidden.forEach(function (l) { shownLabel[l] = false; });
    data.legend.forEach(function (l) {
      filterRow(legend, { kind: "label", key: l.label, store: shownLabel, text: l.label,
        swatch: swatch(SHAPE_CHAR[l.shape] || "\u25CF", l.color),
        count: countNodes(function (n) { return n.group === l.label; }) });
      if (l.label === "Ticket" || l.label === "Incident") {
        var flagged = data.nodes.some(function (n) { return n.group === l.label && n.flagged; });
        if (flagged) {
          var row = el("label", null, "sub hint");
          row.appendChild(swatch("\u26A0", l.color, data.flagBorder));
          row.appendChild(el("span", "concerns or dependencies"));
          var n = el("span", "", "n");
          n.dataset.count = "flagged:" + l.label;
          counters.push([n, countNodes(function (x) { return x.group === l.label && x.flagged; })]);
          row.appendChild(n);
          legend.appendChild(row);
        }
      }
      if (l.label === ITEM) {
        var head = el("div", null, "hint");
        head.style.paddingLeft = "18px";
        head.appendChild(document.createTextNode("status "));
        head.appendChild(el("span", "", null)).id = "kg-asof";
        legend.appendChild(head);
        data.stateColours.forEach(function (p) {
          var used = data.nodes.some(function (n) {
            return n.states && n.states.some(function (s) { return s[1] === p[0]; });
          });
          if (!used) return;
          filterRow(legend, { kind: "state", key: p[0], store: shownState, sub: true,
            text: STATE_NAME[p[0]] || p[0], swatch: swatch("\u25CF", p[1]),
            count: countNodes(function (n) { return n.group === ITEM && currentState[n.id] === p[0]; }) });
        });
      }
    });
    if (data.relTypes.length) {
      legend.appendChild(el("h3", "Relationships"));
      data.relTypes.forEach(function (t) {
        filterRow(legend, { kind: "rel", key: t, store: shownRel, text: t, count: countEdges(t) });
      });
    }
  }

  function renderHeader() {
    if (data.notes.length) {
      var notes = document.getElementById("kg-notes");
      var text = data.notes.join("; ") + ".";
      notes.textContent = text.charAt(0).toUpperCase() + text.slice(1);
      notes.hidden = false;
      var h = notes.getBoundingClientRect().height;
      container.style.top = (45 + h) + "px";
      panel.style.top = (45 + h) + "px";
      document.getElementById("kg-legend").style.top = (56 + h) + "px";
    }
    var list = document.getElementById("kg-names");
    data.nodes.forEach(function (n) {
      var o = document.createElement("option");
      o.value = data.details[n.id] ? data.details[n.id].name : n.id;
      list.appendChild(o);
    });
    if (dates.length > 1) {
      slider.max = String(dates.length - 1);
      slider.value = String(startIdx);
      slider.addEventListener("input", function () { dateIdx = Number(slider.value); refresh(); });
      document.getElementById("kg-time").hidden = false;
    }
  }

  // ------------------------------------------------------------ the side panel

  function evidenceList(rows, more) {
    var ul = el("ul", null, "evidence");
    rows.forEach(function (ev) {
      var li = el("li");
      li.appendChild(el("span", ev[0] + ":" + ev[1], "src"));
      if (ev[3]) { li.appendChild(document.createTextNode(" ")); li.appendChild(el("span", ev[3], "date")); }
      li.appendChild(document.createTextNode(" " + ev[2]));
      ul.appendChild(li);
    });
    if (more) ul.appendChild(el("li", "\u2026 and " + more + " more"));
    return ul;
  }

  function neighbourList(d) {
    var ul = el("ul", null, "near");
    d.near.forEach(function (r) {
      var li = el("li");
      var arrow = r[1] === "in" || r[1] === "from" ? "\u2190 " : "\u2192 ";
      li.appendChild(document.createTextNode(arrow + r[0] + " "));
      if (r[4] && nodes.get(r[2])) {
        var a = el("button", r[3], "link");
        a.type = "button";
        a.dataset.id = r[2];
        a.addEventListener("click", function () { focusNode(r[2]); });
        li.appendChild(a);
      } else {
        li.appendChild(el("span", r[3] + " (not in this view)", "away"));
      }
      ul.appendChild(li);
    });
    if (d.nearMore) ul.appendChild(el("li", "\u2026 and " + d.nearMore + " more"));
    return ul;
  }

  function details(id) {
    var d = data.details[id];
    var root = document.createDocumentFragment();
    if (!d) return root;
    root.appendChild(el("div", d.label, "lab"));
    root.appendChild(el("h4", d.name));
    var n = d.kind === "node" ? nodes.get(id) : null;
    if (n && n.states) {
      var st = currentState[id];
      var p = el("div", "Status on " + curDate() + ": ");
      var chip = el("span", STATE_NAME[st] || st, "state");
      chip.style.background = stateColour[st];
      p.appendChild(chip);
      root.appendChild(p);
    }
    var dl = el("dl");
    if (d.kind === "node") { dl.appendChild(el("dt", "id")); dl.appendChild(el("dd", d.id)); }
    Object.keys(d.props).forEach(function (k) { dl.appendChild(el("dt", k)); dl.appendChild(el("dd", d.props[k])); });
    root.appendChild(dl);
    if (d.history) {
      root.appendChild(el("div", "Statements", "lab"));
      var hl = el("ul");
      d.history.forEach(function (h) { hl.appendChild(el("li", h)); });
      root.appendChild(hl);
    }
    if (d.evidence.length) {
      root.appendChild(el("div", "Evidence (file:line, date, text)", "lab"));
      root.appendChild(evidenceList(d.evidence, d.more));
      var copy = el("button", "Copy evidence", "link");
      copy.type = "button";
      copy.addEventListener("click", function () { copyEvidence(d); });
      root.appendChild(copy);
    }
    if (d.near.length) {
      root.appendChild(el("div", d.kind === "node" ? "Neighbours" : "Ends", "lab"));
      root.appendChild(neighbourList(d));
    }
    return root;
  }

  function copyEvidence(d) {
    var text = d.evidence.map(function (ev) {
      return ev[0] + ":" + ev[1] + (ev[3] ? " " + ev[3] : "") + " " + ev[2];
    }).join("\n");
    var ul = panelBody.querySelector("ul.evidence");
    var range = document.createRange();
    range.selectNodeContents(ul);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    var done = function () { status.textContent = "Evidence copied"; };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, function () {
        status.textContent = "Evidence selected: press Ctrl+C to copy";
      });
    } else {
      status.textContent = "Evidence selected: press Ctrl+C to copy";
    }
  }

  function openPanel(id) {
    panelBody.replaceChildren(details(id));
    panel.hidden = false;
    panel.scrollTop = 0;
    window.kgPanel = id;
  }

  function closePanel() {
    panel.hidden = true;
    panelBody.replaceChildren();
    window.kgPanel = null;
  }

  // ------------------------------------------------------------ search and focus

  function fold(s) {
    return String(s).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  var index = Object.keys(data.details).filter(function (k) { return data.details[k].kind === "node"; })
    .sort().map(function (k) {
      var d = data.details[k];
      var aliases = d.props.aliases ? d.props.aliases.split(", ").map(fold) : [];
      return { id: k, name: fold(d.name), key: fold(d.id), aliases: aliases,
        text: fold([d.props.text || "", d.props.ref || "", d.props.title || ""].join(" ")) };
    });

  function findNodes(text) {
    var q = fold(text);
    if (!q) return [];
    var tests = [
      function (x) { return x.name === q || x.key === q; },
      function (x) { return x.aliases.indexOf(q) >= 0; },
      function (x) { return x.name.indexOf(q) === 0 || x.aliases.some(function (a) { return a.indexOf(q) === 0; }); },
      function (x) { return x.name.indexOf(q) >= 0 || x.key.indexOf(q) >= 0; },
      function (x) { return x.text.indexOf(q) >= 0 || x.aliases.some(function (a) { return a.indexOf(q) >= 0; }); }
    ];
    var out = [], seen = {};
    tests.forEach(function (t) {
      index.forEach(function (x) { if (!seen[x.id] && t(x)) { seen[x.id] = true; out.push(x.id); } });
    });
    return out;
  }

  function reveal(id) {
    var n = nodes.get(id);
    var boxes = [];
    if (shownLabel[n.group] === false) { shownLabel[n.group] = true; boxes.push('input[data-label="' + n.group + '"]'); }
    if (n.since && curDate() !== null && n.since > curDate()) {
      dateIdx = dates.length - 1;
      slider.value = String(dateIdx);
    }
    paintStates();
    var st = currentState[id];
    if (st && shownState[st] === false) { shownState[st] = true; boxes.push('input[data-state="' + st + '"]'); }
    boxes.forEach(function (sel) { var cb = document.querySelector("#kg-legend " + sel); if (cb) cb.checked = true; });
    refresh();
  }

  function focusNode(id) {
    if (!nodeVisible(nodes.get(id))) reveal(id);
    network.selectNodes([id]);
    network.focus(id, { scale: 1.4, animation: false });
    window.kgFocused = id;
    openPanel(id);
  }

  var lastQuery = null, lastHits = [], lastPos = 0;
  function search(text) {
    if (text === lastQuery && lastHits.length > 1) {
      lastPos = (lastPos + 1) % lastHits.length;
    } else {
      lastQuery = text; lastHits = findNodes(text); lastPos = 0;
    }
    var id = lastHits[lastPos] || null;
    if (!id) { status.textContent = "No node matches \u201C" + text + "\u201D in this view"; return null; }
    status.textContent = lastHits.length > 1 ? (lastPos + 1) + " of " + lastHits.length + " matches (Enter: next)" : "";
    focusNode(id);
    return id;
  }

  function reset() {
    Object.keys(shownLabel).forEach(function (k) { delete shownLabel[k]; });
    data.hidden.forEach(function (l) { shownLabel[l] = false; });
    Object.keys(shownRel).forEach(function (k) { delete shownRel[k]; });
    Object.keys(shownState).forEach(function (k) { delete shownState[k]; });
    document.querySelectorAll("#kg-legend input[type=checkbox]").forEach(function (cb) {
      cb.checked = cb.dataset.initial === "1";
    });
    dateIdx = startIdx;
    slider.value = String(startIdx);
    box.value = "";
    status.textContent = "";
    lastQuery = null;
    closePanel();
    network.unselectAll();
    window.kgFocused = null;
    refresh();
    network.fit({ animation: false });
  }

  renderHeader();
  renderLegend();
  paintStates();
  nodes.forEach(function (n) { if (nodeVisible(n)) visible[n.id] = true; });
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, data.options);
  refresh();

  // Physics lays the graph out once, then stops so the picture holds still.
  var settled = false;
  function settle() {
    if (settled) return;
    settled = true;
    network.setOptions({ physics: { enabled: false } });
    network.once("afterDrawing", function () { window.kgReadyMs = performance.now(); window.kgReady = true; });
    network.redraw();
  }
  network.once("stabilizationIterationsDone", settle);
  network.once("stabilized", settle);
  if (nodeView.length === 0) { settled = true; window.kgReadyMs = performance.now(); window.kgReady = true; }

  network.on("click", function (p) {
    if (p.nodes.length) { window.kgFocused = p.nodes[0]; openPanel(p.nodes[0]); }
    else if (p.edges.length) openPanel(p.edges[0]);
  });
  document.getElementById("kg-close").addEventListener("click", closePanel);
  document.getElementById("kg-reset").addEventListener("click", reset);
  box.addEventListener("keydown", function (e) { if (e.key === "Enter") search(box.value); });
  box.addEventListener("change", function () { if (box.value !== lastQuery) search(box.value); });
  document.addEventListener("keydown", function (e) {
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test((e.target && e.target.tagName) || "");
    if (e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      box.focus();
      box.select();
    } else if (e.key === "Escape" && !panel.hidden && e.target !== box) {
      closePanel();
    }
  });

  window.kg = { network: network, nodes: nodes, edges: edges, view: nodeView, edgeView: edgeView,
    search: search, findNodes: findNodes, focusNode: focusNode, openPanel: openPanel,
    closePanel: closePanel, reset: reset, data: data };
  if (data.focus && nodes.get(data.focus)) {
    network.once("afterDrawing", function () { network.selectNodes([data.focus]); window.kgFocused = data.focus; });
  }
})();
