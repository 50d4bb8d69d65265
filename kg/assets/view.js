(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  var META = DATA.meta;
  var WIKIDATA = "https://www.wikidata.org/wiki/";
  var QID = /^Q[1-9][0-9]*$/;
  var MAX_TIP_SOURCES = 3;
  var DATES = META.dates || [];
  // a node label drawn smaller than this (screen px) is left out; the rest are placed
  // biggest node first and left out where they would overlap one already placed
  var LABEL_MIN_PX = 11, EDGE_LABEL_MIN_PX = 9, DECLUTTER_MAX = 1000, EDGE_FONT = DATA.options.edges.font;
  var FONT_MIN = 14, FONT_MAX = 24;  // canvas size of a label: the most central entities' biggest
  var EDGE_SHOWN_FONT = Object.assign({strokeWidth: 2, strokeColor: "#ffffff"}, EDGE_FONT);
  var EDGE_HIDDEN_FONT = {color: "rgba(0,0,0,0)", strokeColor: "rgba(0,0,0,0)", strokeWidth: 0};
  var HIDDEN_FONT = {color: "rgba(0,0,0,0)", strokeColor: "rgba(0,0,0,0)", strokeWidth: 0};
  var SHOWN_FONT = {color: DATA.options.nodes.font.color || "#343434", strokeColor: DATA.options.nodes.font.strokeColor,
                    strokeWidth: DATA.options.nodes.font.strokeWidth};
  var state = window.kgView = {
    ready: false, stabilized: false, layoutMs: null, stabilizedAt: null,
    nodeCount: DATA.nodes.length, edgeCount: DATA.edges.length, selected: null,
    asOf: null, labelled: [], edgeLabels: true, shownNodes: DATA.nodes.length, shownEdges: DATA.edges.length
  };
  var statusEl = document.getElementById("kg-status");
  var details = document.getElementById("kg-details");

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function status(text) { statusEl.textContent = text; }

  var byId = {}, edgesOf = {}, edgeById = {};
  DATA.nodes.forEach(function (n) { byId[n.id] = n; edgesOf[n.id] = []; });
  DATA.edges.forEach(function (e) { edgeById[e.id] = e; edgesOf[e.from].push(e); if (e.to !== e.from) edgesOf[e.to].push(e); });
  function labelOf(id) { return byId[id] ? byId[id].label : id; }
  function plural(k, word) { return k + " " + word + (k === 1 ? "" : "s"); }

  // ---- a measure's state as of the chosen date (states come sorted by their "from" date)
  function stateAt(n, asOf) {
    var found = null;
    (n.states || []).forEach(function (s) { if (asOf === null || !s.from || s.from <= asOf) found = s; });
    return found;
  }
  function stateText(s) { return s ? s.status + (s.rate ? " \u00b7 " + s.rate + "%" : "") : ""; }
  function drawnLabel(n) {
    var s = stateAt(n, state.asOf);
    return s ? n.label + "\n" + stateText(s) : n.label;
  }
  function rateText(h) {
    if (h.rate_before && h.rate_after) return h.rate_before + "% \u2192 " + h.rate_after + "%";
    if (h.rate_after) return h.rate_after + "%";
    if (h.rate_before) return "from " + h.rate_before + "%";
    return "";
  }
  function whenOf(h) { return h.date || h.reported || ""; }
  function wikidataLink(qid) {
    var a = el("a", "Wikidata " + qid);
    a.href = WIKIDATA + qid;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }

  function nodeTip(n) {
    var box = el("div", null, "kg-tip");
    box.appendChild(el("strong", n.label));
    box.appendChild(el("div", n.cls, "muted"));
    if (n.aliases.length) box.appendChild(el("div", "also: " + n.aliases.join("; ")));
    if (n.titles.length) box.appendChild(el("div", "titles: " + n.titles.join("; ")));
    if (QID.test(n.wikidata)) box.appendChild(el("div", "Wikidata " + n.wikidata));
    var st = stateAt(n, state.asOf);
    if (st) box.appendChild(el("div", stateText(st) + (state.asOf ? " as of " + state.asOf : "")));
    if (n.history && n.history.length) box.appendChild(el("div", plural(n.history.length, "reported change") +
                                                          " (click for the history)", "muted"));
    box.appendChild(el("div", n.mentions + " mention" + (n.mentions === 1 ? "" : "s") + " \u00b7 " +
                       META.sizeBy + " " + n.value + (n.reported ? " \u00b7 first reported " + n.reported : ""), "muted"));
    return box;
  }
  function edgeHead(e) {
    return labelOf(e.from) + " \u2014" + e.property + "\u2192 " + labelOf(e.to);
  }
  function edgeTip(e) {
    var box = el("div", null, "kg-tip");
    box.appendChild(el("strong", edgeHead(e)));
    box.appendChild(el("div", e.modality + " \u00b7 confidence " + e.confidence + " \u00b7 " +
                       e.sources.length + " sentence" + (e.sources.length === 1 ? "" : "s"), "muted"));
    e.sources.slice(0, MAX_TIP_SOURCES).forEach(function (s) {
      box.appendChild(el("q", s.sentence));
      box.appendChild(el("div", "\u2014 " + (s.title || s.doc), "muted"));
    });
    if (e.sources.length > MAX_TIP_SOURCES)
      box.appendChild(el("div", "\u2026 and " + (e.sources.length - MAX_TIP_SOURCES) + " more (click the edge)", "muted"));
    return box;
  }

  function showNode(id) {
    var n = byId[id];
    if (!n) return;
    state.selected = id;
    clear(details);
    details.appendChild(el("h3", n.label));
    details.appendChild(el("div", n.cls + " \u00b7 " + n.mentions + " mentions", "muted"));
    if (n.aliases.length) details.appendChild(el("div", "Also: " + n.aliases.join("; ")));
    if (n.titles.length) details.appendChild(el("div", "Titles: " + n.titles.join("; ")));
    if (QID.test(n.wikidata)) { var p = el("div"); p.appendChild(wikidataLink(n.wikidata)); details.appendChild(p); }
    if (n.reported) details.appendChild(el("div", "First reported " + n.reported, "muted"));
    if (showHistory(id)) historyBox.scrollIntoView({block: "nearest"});
    var rels = edgesOf[id] || [];
    details.appendChild(el("div", rels.length + " relation" + (rels.length === 1 ? "" : "s") + " drawn", "muted"));
    var ul = el("ul");
    rels.forEach(function (e) {
      var li = el("li");
      var b = el("button", e.from === id ? "\u2014" + e.property + "\u2192 " + labelOf(e.to)
                                          : "\u2190" + e.property + "\u2014 " + labelOf(e.from), "linkish");
      b.type = "button";
      b.addEventListener("click", function () { network.selectEdges([e.id]); showEdge(e.id); });
      li.appendChild(b);
      if (e.dashes) li.appendChild(el("span", " (" + e.modality + ")", "muted"));
      ul.appendChild(li);
    });
    details.appendChild(ul);
  }
  // ---- the history panel: a measure's dated events, oldest first
  var historyBox = document.getElementById("kg-history");
  var historyFor = null;
  function showHistory(id) {
    var n = byId[id];
    if (!n || n.cls !== "Policy") return false;
    historyFor = id;
    clear(historyBox);
    historyBox.className = "";
    historyBox.appendChild(el("h3", n.label));
    var st = stateAt(n, state.asOf);
    historyBox.appendChild(el("div", (st ? stateText(st) : "no status reported") +
                              (state.asOf ? " as of " + state.asOf : ""), "muted kg-state"));
    var events = n.history || [];
    if (!events.length) { historyBox.appendChild(el("div", "No dated change of this measure is reported.", "muted")); return true; }
    var ol = el("ol", null, "kg-events");
    events.forEach(function (h) {
      var when = whenOf(h);
      var li = el("li", null, "kg-event" + (state.asOf !== null && when && when > state.asOf ? " kg-later" : ""));
      li.setAttribute("data-date", when);
      var head = el("div", null, "kg-event-head");
      head.appendChild(el("span", h.date || (h.reported ? "reported " + h.reported : "undated"), "kg-event-date"));
      head.appendChild(el("span", h.event + (h.modality === "future" ? " (scheduled)" : ""), "kg-event-type"));
      var rate = rateText(h);
      if (rate) head.appendChild(el("span", rate, "kg-event-rate"));
      li.appendChild(head);
      h.sources.forEach(function (s) {
        li.appendChild(el("blockquote", s.sentence));
        li.appendChild(el("div", "\u2014 " + (s.title || s.doc) + (s.title && s.title !== s.doc ? " (" + s.doc + ")" : "") +
                          (s.date ? ", " + s.date : ""), "muted kg-source"));
      });
      ol.appendChild(li);
    });
    historyBox.appendChild(ol);
    return true;
  }

  function showEdge(id) {
    var e = edgeById[id];
    if (!e) return;
    state.selected = id;
    clear(details);
    details.appendChild(el("h3", edgeHead(e)));
    details.appendChild(el("div", e.modality + " \u00b7 confidence " + e.confidence, "muted"));
    var ul = el("ul");
    e.sources.forEach(function (s) {
      var li = el("li");
      li.appendChild(el("blockquote", s.sentence));
      li.appendChild(el("div", "\u2014 " + (s.title || s.doc) + (s.title && s.title !== s.doc ? " (" + s.doc + ")" : ""), "muted"));
      ul.appendChild(li);
    });
    details.appendChild(ul);
  }

  // label size by rank of centrality (the top one FONT_MAX, the last FONT_MIN)
  var baseFont = {};
  DATA.nodes.slice().sort(function (a, b) { return a.value - b.value; }).forEach(function (n, i, all) {
    var p = all.length > 1 ? i / (all.length - 1) : 1;
    baseFont[n.id] = Math.round(FONT_MIN + (FONT_MAX - FONT_MIN) * p * p);
  });
  var nodes = new vis.DataSet(DATA.nodes.map(function (n) {
    var item = Object.assign({}, n);
    item.title = nodeTip(n);
    item.label = drawnLabel(n);
    item.font = {size: baseFont[n.id]};
    return item;
  }));
  var edges = new vis.DataSet(DATA.edges.map(function (e) {
    var item = Object.assign({}, e); item.title = edgeTip(e); return item;
  }));
  var container = document.getElementById("mynetwork");
  var t0 = performance.now();
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, DATA.options);
  window.network = network;
  window.kgNodes = nodes;
  window.kgEdges = edges;

  function stable() {
    if (state.stabilized) return;
    network.setOptions({physics: false});
    state.layoutMs = Math.round(performance.now() - t0);
    state.stabilizedAt = Math.round(performance.now());
    state.stabilized = true;
    status("layout stable");
    if (META.focus && byId[META.focus]) select(META.focus, false);
    requestDeclutter(0);
  }
  if (DATA.nodes.length === 0) {
    status("nothing to draw");
    state.stabilized = true;
  } else {
    status("laying out\u2026");
    network.on("stabilizationProgress", function (p) { status("laying out\u2026 " + Math.round(100 * p.iterations / p.total) + "%"); });
    network.once("stabilizationIterationsDone", stable);
  }
  network.on("click", function (p) {
    if (p.nodes.length) showNode(p.nodes[0]);
    else if (p.edges.length) showEdge(p.edges[0]);
  });

  // ---- filters: classes, relations, dashed lines, time, entities with no relation
  var classBoxes = Array.prototype.slice.call(document.querySelectorAll("input[data-class]"));
  var propBoxes = Array.prototype.slice.call(document.querySelectorAll("input[data-property]"));
  var dashedBox = document.getElementById("kg-show-dashed");
  var isolatedBox = document.getElementById("kg-hide-isolated");
  var dateSlider = document.getElementById("kg-date");
  var dateOut = document.getElementById("kg-date-out");
  var hiddenNode = {}, hiddenEdge = {}, drawn = {}, drawnAsOf = null;
  DATA.nodes.forEach(function (n) { drawn[n.id] = drawnLabel(n); });
  function later(item) { return state.asOf !== null && !!item.reported && item.reported > state.asOf; }
  function applyFilters() {
    var cls = {}, props = {};
    classBoxes.forEach(function (b) { cls[b.getAttribute("data-class")] = b.checked; });
    propBoxes.forEach(function (b) { props[b.getAttribute("data-property")] = b.checked; });
    var hideN = {}, hideE = {}, linked = {};
    DATA.nodes.forEach(function (n) { hideN[n.id] = cls[n.cls] === false || later(n); });
    DATA.edges.forEach(function (e) {
      var h = props[e.property] === false || (e.dashes && !dashedBox.checked) || hideN[e.from] || hideN[e.to] || later(e);
      hideE[e.id] = h;
      if (!h) { linked[e.from] = true; linked[e.to] = true; }
    });
    if (isolatedBox.checked) DATA.nodes.forEach(function (n) { if (!linked[n.id]) hideN[n.id] = true; });
    var nUpd = [], eUpd = [], shownN = 0, shownE = 0;
    DATA.nodes.forEach(function (n) {
      var h = hideN[n.id], item = null;
      if (h !== !!hiddenNode[n.id]) { hiddenNode[n.id] = h; item = {id: n.id, hidden: h}; }
      if (n.states && n.states.length && state.asOf !== drawnAsOf) {  // the measure's state, and its tooltip, then
        var label = drawnLabel(n);
        item = item || {id: n.id};
        item.title = nodeTip(n);
        if (label !== drawn[n.id]) { drawn[n.id] = label; item.label = label; }
      }
      if (item) nUpd.push(item);
      if (!h) shownN++;
    });
    DATA.edges.forEach(function (e) {
      var h = hideE[e.id];
      if (h !== !!hiddenEdge[e.id]) { hiddenEdge[e.id] = h; eUpd.push({id: e.id, hidden: h}); }
      if (!h) shownE++;
    });
    drawnAsOf = state.asOf;
    if (nUpd.length) nodes.update(nUpd);
    if (eUpd.length) edges.update(eUpd);
    state.shownNodes = shownN;
    state.shownEdges = shownE;
    document.getElementById("kg-shown").textContent = shownN + " of " + DATA.nodes.length + " entities, " +
      shownE + " of " + DATA.edges.length + " relations shown" + (state.asOf !== null ? " as of " + state.asOf : "");
    if (historyFor) showHistory(historyFor);
    requestDeclutter(0);
  }
  classBoxes.concat(propBoxes, [dashedBox, isolatedBox]).forEach(function (b) { b.addEventListener("change", applyFilters); });
  function setDate(i) {
    // the last stop is the latest date: everything dated is shown, measures in their latest state
    state.asOf = i >= DATES.length - 1 ? null : DATES[i];
    dateOut.textContent = DATES[i];
    applyFilters();
  }
  if (dateSlider) {
    dateSlider.addEventListener("input", function () { setDate(Number(dateSlider.value)); });
  }
  state.setDate = function (date) {
    // the last stop on or before date (the first stop when date is earlier than every stop)
    var i = 0;
    DATES.forEach(function (d, k) { if (d <= date) i = k; });
    if (dateSlider) dateSlider.value = String(i);
    setDate(i);
    return DATES[i];
  };

  // ---- readable labels. Up to DECLUTTER_MAX entities: every label is at least LABEL_MIN_PX
  // high on screen; they are placed most central entity first (the selected one before all),
  // and a label that would overlap one already placed is not drawn. Relation labels are drawn
  // only when zoomed in enough to read them. Bigger graphs keep vis' own rule (drawThreshold).
  var declutterTimer = null, labelHidden = {}, fontSize = {};
  function requestDeclutter(delay) {
    if (!state.stabilized || DATA.nodes.length > DECLUTTER_MAX) return;
    clearTimeout(declutterTimer);
    declutterTimer = setTimeout(declutter, delay);
  }
  function declutter() {
    var scale = network.getScale(), pad = 2 / scale, placed = [], upd = [], shown = [];
    var visible = DATA.nodes.filter(function (n) { return !hiddenNode[n.id]; });
    visible.forEach(function (n) {
      var size = Math.max(baseFont[n.id], LABEL_MIN_PX / scale);
      if (size !== fontSize[n.id]) { fontSize[n.id] = size; upd.push({id: n.id, font: {size: size}}); }
    });
    if (upd.length) nodes.update(upd);
    network.redraw();  // measures every label at its new size
    upd = [];
    // the entities' own shapes are in the way too (a label never covers another entity)
    var shapes = visible.map(function (n) {
      var node = network.body.nodes[n.id], r = node ? node.options.size : 0;
      return node ? {id: n.id, l: node.x - r, t: node.y - r, r: node.x + r, b: node.y + r} : null;
    }).filter(Boolean);
    function overlaps(box, p) { return box.l < p.r && p.l < box.r && box.t < p.b && p.t < box.b; }
    visible.sort(function (a, b) {
      return ((b.id === state.selected) - (a.id === state.selected)) || (b.value - a.value) ||
             (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    }).forEach(function (n) {
      var node = network.body.nodes[n.id], size = node && node.labelModule.size;
      var show = !!size && size.width > 0;
      if (show) {
        var box = {l: size.left - pad, t: size.top - pad, r: size.left + size.width + pad, b: size.top + size.height + pad};
        show = n.id === state.selected || (!placed.some(function (p) { return overlaps(box, p); }) &&
                                           !shapes.some(function (p) { return p.id !== n.id && overlaps(box, p); }));
        if (show) { placed.push(box); shown.push(n.id); }
      }
      if (labelHidden[n.id] !== !show) {
        labelHidden[n.id] = !show;
        upd.push({id: n.id, font: show ? SHOWN_FONT : HIDDEN_FONT});
      }
    });
    var edgeLabels = EDGE_FONT.size * scale >= EDGE_LABEL_MIN_PX;
    if (edgeLabels !== state.edgeLabels) {
      state.edgeLabels = edgeLabels;
      network.setOptions({edges: {font: edgeLabels ? EDGE_SHOWN_FONT : EDGE_HIDDEN_FONT}});
    }
    if (upd.length) nodes.update(upd);
    state.labelled = shown.sort();
  }
  state.relabel = function () { if (DATA.nodes.length <= DECLUTTER_MAX) declutter(); return state.labelled.length; };
  network.on("zoom", function () { requestDeclutter(150); });
  network.on("dragEnd", function () { requestDeclutter(0); });
  network.on("selectNode", function () { requestDeclutter(0); });

  // ---- search
  var names = document.getElementById("kg-names");
  var seen = {};
  DATA.nodes.forEach(function (n) {
    [n.label].concat(n.aliases).forEach(function (name) {
      if (seen[name]) return;
      seen[name] = true;
      var o = document.createElement("option");
      o.value = name;
      names.appendChild(o);
    });
  });
  function find(query) {
    var q = query.trim().toLowerCase();
    if (!q) return null;
    var tiers = [[], [], [], []];
    DATA.nodes.forEach(function (n) {
      var l = n.label.toLowerCase(), al = n.aliases.map(function (a) { return a.toLowerCase(); });
      if (l === q) tiers[0].push(n);
      else if (al.indexOf(q) >= 0) tiers[1].push(n);
      else if (l.indexOf(q) === 0 || al.some(function (a) { return a.indexOf(q) === 0; })) tiers[2].push(n);
      else if (l.indexOf(q) >= 0 || al.some(function (a) { return a.indexOf(q) >= 0; })) tiers[3].push(n);
    });
    for (var i = 0; i < tiers.length; i++) {
      if (tiers[i].length) {
        tiers[i].sort(function (a, b) { return (b.value - a.value) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0); });
        return tiers[i][0];
      }
    }
    return null;
  }
  function select(id, announce) {
    var n = byId[id];
    if (hiddenNode[id]) {
      classBoxes.forEach(function (b) { if (b.getAttribute("data-class") === n.cls) b.checked = true; });
      applyFilters();
    }
    network.selectNodes([id]);
    network.focus(id, {scale: 1.2, animation: {duration: 400, easingFunction: "easeInOutQuad"}});
    showNode(id);
    requestDeclutter(450);
    if (announce !== false) status("found " + n.label + " (" + n.cls + ")");
  }
  document.getElementById("kg-search-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var q = document.getElementById("kg-search").value;
    var n = find(q);
    if (n) select(n.id);
    else status(q.trim() ? "no entity matches \u201c" + q.trim() + "\u201d" : "type a name or alias");
  });
  state.find = function (q) { var n = find(q); return n ? n.id : null; };
  state.ready = true;
})();
