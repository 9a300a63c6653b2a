// The kg graph page. All note text arrives as JSON and is shown with textContent,
// never innerHTML, so a note cannot inject markup or script into the page.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var SHAPE_CHAR = { dot: "\u25CF", square: "\u25A0", diamond: "\u25C6", star: "\u2605",
    triangle: "\u25B2", triangleDown: "\u25BC", hexagon: "\u2B22" };
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var shown = {};
  data.legend.forEach(function (l) { shown[l.label] = true; });
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return shown[n.group] !== false; } });
  var container = document.getElementById("kg-graph");
  var tip = document.getElementById("kg-tip");
  var status = document.getElementById("kg-status");

  window.kgReady = false;
  window.kgFocused = null;

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  function renderHeader() {
    document.getElementById("kg-summary").textContent = data.summary;
    if (data.notes.length) {
      var box = document.getElementById("kg-notes");
      var text = data.notes.join("; ") + ".";
      box.textContent = text.charAt(0).toUpperCase() + text.slice(1);
      box.hidden = false;
      var h = box.getBoundingClientRect().height;
      container.style.top = (45 + h) + "px";
      document.getElementById("kg-legend").style.top = (56 + h) + "px";
    }
    var list = document.getElementById("kg-names");
    data.nodes.forEach(function (n) {
      var d = data.details[n.id];
      var o = document.createElement("option");
      o.value = d ? d.name : n.id;
      list.appendChild(o);
    });
  }

  function renderLegend() {
    var box = document.getElementById("kg-legend");
    box.appendChild(el("strong", "Labels"));
    data.legend.forEach(function (l) {
      var row = el("label");
      var cb = el("input");
      cb.type = "checkbox";
      cb.checked = true;
      cb.dataset.label = l.label;
      cb.addEventListener("change", function () { shown[l.label] = cb.checked; nodeView.refresh(); });
      var sw = el("span", SHAPE_CHAR[l.shape] || "\u25CF", "sw");
      sw.style.color = l.color;
      row.appendChild(cb);
      row.appendChild(sw);
      row.appendChild(el("span", l.label + " (" + l.count + ")"));
      box.appendChild(row);
    });
  }

  function details(id) {
    var d = data.details[id];
    var root = document.createDocumentFragment();
    if (!d) return root;
    root.appendChild(el("div", d.label, "lab"));
    root.appendChild(el("h4", d.name));
    var dl = el("dl");
    var props = Object.keys(d.props);
    if (d.kind === "node") { dl.appendChild(el("dt", "id")); dl.appendChild(el("dd", d.id)); }
    props.forEach(function (k) { dl.appendChild(el("dt", k)); dl.appendChild(el("dd", d.props[k])); });
    root.appendChild(dl);
    if (d.evidence.length) {
      root.appendChild(el("div", "Evidence", "lab"));
      var ul = el("ul");
      d.evidence.forEach(function (ev) {
        var li = el("li");
        li.appendChild(el("span", ev[0] + ":" + ev[1], "src"));
        li.appendChild(document.createTextNode(" " + ev[2]));
        ul.appendChild(li);
      });
      if (d.more) ul.appendChild(el("li", "\u2026 and " + d.more + " more"));
      root.appendChild(ul);
    }
    return root;
  }

  function showTip(id, x, y) {
    tip.replaceChildren(details(id));
    tip.dataset.id = id;
    tip.hidden = false;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    tip.style.left = Math.max(4, Math.min(x + 14, window.innerWidth - w - 4)) + "px";
    tip.style.top = Math.max(4, Math.min(y + 14, window.innerHeight - h - 4)) + "px";
  }

  function hideTip() { tip.hidden = true; tip.dataset.id = ""; }

  function pagePoint(params) {
    var r = container.getBoundingClientRect();
    return { x: r.left + params.pointer.DOM.x, y: r.top + params.pointer.DOM.y };
  }

  function fold(s) {
    return String(s).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  function findNode(text) {
    var q = fold(text);
    if (!q) return null;
    var ids = Object.keys(data.details).filter(function (k) { return data.details[k].kind === "node"; });
    var tests = [
      function (d) { return fold(d.name) === q || fold(d.id) === q; },
      function (d) { return fold(d.props.aliases || "").split(", ").indexOf(q) >= 0; },
      function (d) { return fold(d.name).indexOf(q) === 0; },
      function (d) { return fold(d.name).indexOf(q) >= 0 || fold(d.id).indexOf(q) >= 0; }
    ];
    for (var t = 0; t < tests.length; t++) {
      for (var i = 0; i < ids.length; i++) if (tests[t](data.details[ids[i]])) return ids[i];
    }
    return null;
  }

  function focusNode(id) {
    var group = nodes.get(id).group;
    if (shown[group] === false) {
      shown[group] = true;
      var cb = document.querySelector('#kg-legend input[data-label="' + group + '"]');
      if (cb) cb.checked = true;
      nodeView.refresh();
    }
    network.selectNodes([id]);
    network.focus(id, { scale: 1.4, animation: false });
    window.kgFocused = id;
    var p = network.canvasToDOM(network.getPositions([id])[id]);
    var r = container.getBoundingClientRect();
    showTip(id, r.left + p.x, r.top + p.y);
  }

  function search(text) {
    var id = findNode(text);
    status.textContent = id ? "" : "No node matches \u201C" + text + "\u201D";
    if (id) focusNode(id);
    return id;
  }

  renderHeader();
  renderLegend();
  var network = new vis.Network(container, { nodes: nodeView, edges: edges }, data.options);

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
  if (data.nodes.length === 0) { settled = true; window.kgReadyMs = performance.now(); window.kgReady = true; }

  network.on("hoverNode", function (p) { var q = pagePoint(p); showTip(p.node, q.x, q.y); });
  network.on("hoverEdge", function (p) { var q = pagePoint(p); showTip(p.edge, q.x, q.y); });
  network.on("blurNode", hideTip);
  network.on("blurEdge", hideTip);
  network.on("dragStart", hideTip);
  network.on("click", function (p) {
    if (p.nodes.length) { window.kgFocused = p.nodes[0]; var q = pagePoint(p); showTip(p.nodes[0], q.x, q.y); }
  });

  var box = document.getElementById("kg-search");
  box.addEventListener("keydown", function (e) { if (e.key === "Enter") search(box.value); });
  box.addEventListener("change", function () { search(box.value); });

  window.kg = { network: network, nodes: nodes, edges: edges, view: nodeView, search: search,
    focusNode: focusNode, data: data };
  if (data.focus && nodes.get(data.focus)) {
    network.once("afterDrawing", function () { network.selectNodes([data.focus]); window.kgFocused = data.focus; });
  }
})();
