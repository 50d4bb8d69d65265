(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  var META = DATA.meta;
  var WIKIDATA = "https://www.wikidata.org/wiki/";
  var QID = /^Q[1-9][0-9]*$/;
  var MAX_TIP_SOURCES = 3;
  var state = window.kgView = {
    ready: false, stabilized: false, layoutMs: null, stabilizedAt: null,
    nodeCount: DATA.nodes.length, edgeCount: DATA.edges.length, selected: null
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
    box.appendChild(el("div", n.mentions + " mention" + (n.mentions === 1 ? "" : "s") + " \u00b7 " +
                       META.sizeBy + " " + n.value, "muted"));
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

  var nodes = new vis.DataSet(DATA.nodes.map(function (n) {
    var item = Object.assign({}, n); item.title = nodeTip(n); return item;
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

  // ---- filters
  var classBoxes = Array.prototype.slice.call(document.querySelectorAll("input[data-class]"));
  var propBoxes = Array.prototype.slice.call(document.querySelectorAll("input[data-property]"));
  var dashedBox = document.getElementById("kg-show-dashed");
  var hiddenNode = {}, hiddenEdge = {};
  function applyFilters() {
    var cls = {}, props = {};
    classBoxes.forEach(function (b) { cls[b.getAttribute("data-class")] = b.checked; });
    propBoxes.forEach(function (b) { props[b.getAttribute("data-property")] = b.checked; });
    var nUpd = [], eUpd = [], shownN = 0, shownE = 0;
    DATA.nodes.forEach(function (n) {
      var h = cls[n.cls] === false;
      if (h !== !!hiddenNode[n.id]) { hiddenNode[n.id] = h; nUpd.push({id: n.id, hidden: h}); }
      if (!h) shownN++;
    });
    DATA.edges.forEach(function (e) {
      var h = props[e.property] === false || (e.dashes && !dashedBox.checked) || hiddenNode[e.from] || hiddenNode[e.to];
      if (h !== !!hiddenEdge[e.id]) { hiddenEdge[e.id] = h; eUpd.push({id: e.id, hidden: h}); }
      if (!h) shownE++;
    });
    if (nUpd.length) nodes.update(nUpd);
    if (eUpd.length) edges.update(eUpd);
    document.getElementById("kg-shown").textContent = shownN + " of " + DATA.nodes.length + " entities, " +
      shownE + " of " + DATA.edges.length + " relations shown";
  }
  classBoxes.concat(propBoxes, [dashedBox]).forEach(function (b) { b.addEventListener("change", applyFilters); });

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
