// triumf report: hand-written, no libraries, no network. Inlined into report.html.
// Every string from the run goes onto the page through textContent or an SVG/canvas text
// call, never as markup.
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("triumf-data").textContent);
  var SVGNS = "http://www.w3.org/2000/svg";
  var app = document.getElementById("app");
  var selected = null;          // selected threat id (number) or null
  var listeners = [];           // functions called when the selection changes

  // ---------- small DOM helpers ----------
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) { for (var k in attrs) { e.setAttribute(k, attrs[k]); } }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function sv(tag, attrs, text) {
    var e = document.createElementNS(SVGNS, tag);
    if (attrs) { for (var k in attrs) { e.setAttribute(k, attrs[k]); } }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function add(parent, child) { parent.appendChild(child); return child; }
  function fmt(x, d) { return (x === null || x === undefined) ? "-" : Number(x).toFixed(d === undefined ? 1 : d); }
  function km(m) { return fmt(m / 1000, 1) + " km"; }
  function table(parent, head, rows, numeric) {
    var t = add(parent, el("table"));
    var tr = add(t, el("tr"));
    head.forEach(function (h, i) { add(tr, el("th", numeric && numeric[i] ? { "class": "num" } : null, h)); });
    rows.forEach(function (r) {
      var row = add(t, el("tr"));
      r.forEach(function (c, i) {
        var td = add(row, el("td", numeric && numeric[i] ? { "class": "num" } : null));
        if (c instanceof Node) { td.appendChild(c); } else { td.textContent = c; }
      });
    });
    return t;
  }
  function select(id) {
    selected = (id === null || id === undefined) ? null : Number(id);
    listeners.forEach(function (f) { f(selected); });
  }
  var threats = {};
  D.timeline.forEach(function (t) { threats[t.id] = t; });

  // ---------- header: the scenario in brief ----------
  var m = D.meta;
  add(app, el("h1", null, "triumf report: " + m.scenario));
  if (m.description) { add(app, el("p", { "class": "muted" }, m.description)); }
  var brief = add(app, el("div", { "class": "grid", id: "brief" }));
  var b1 = add(brief, el("div"));
  add(b1, el("h3", null, "Run"));
  table(b1, ["", ""], [["seed", String(m.seed)], ["replications", String(m.replications)],
    ["duration", fmt(m.duration_s, 0) + " s"], ["triumf version", m.version],
    ["scenario hash (sha256)", m.hash], ["origin", fmt(m.origin[0], 4) + ", " + fmt(m.origin[1], 4)],
    ["replayed replication", String(m.replication)]]);
  var b2 = add(brief, el("div"));
  add(b2, el("h3", null, "Defended assets"));
  table(b2, ["asset", "value", "radius"], D.map.assets.map(function (a) {
    return [a.name, fmt(a.value, 1), fmt(a.radius, 0) + " m"]; }), [false, true, true]);
  add(b2, el("h3", null, "Battalions"));
  D.battalions.forEach(function (b) {
    add(b2, el("p", null, b.name + ": radars " + b.radars.join(", ") + "; fire units " + b.fire_units.join(", ")));
  });
  var b3 = add(brief, el("div"));
  add(b3, el("h3", null, "Raid"));
  table(b3, ["raid", "threat", "count"], D.raids.map(function (r) { return [r.name, r.threat, String(r.count)]; }),
    [false, false, true]);
  add(b3, el("h3", null, "Doctrine"));
  table(b3, ["", ""], Object.keys(D.doctrine).map(function (k) {
    var v = D.doctrine[k]; return [k, (v !== null && typeof v === "object") ? JSON.stringify(v) : String(v)]; }));

  // ---------- map (SVG, local frame) ----------
  add(app, el("h2", null, "Map"));
  var cov = D.map.coverage;
  add(app, el("p", { "class": "muted" }, "Local east/north frame about the scenario origin. Rings: each radar's detection " +
    "range against " + (cov.type || "the raid") + " (RCS " + fmt(cov.rcs_m2, 2) + " m\u00b2 " +
    (cov.altitude_m === null ? "on a ballistic path" : "at " + fmt(cov.altitude_m, 0) + " m") +
    "; single-look Pd " + cov.pd + ", radar horizon included). Dashed: nominal raid routes. Thin lines: the " +
    "replayed replication's threat paths (click one to select it)."));
  var mapRow = add(app, el("div", { "class": "row2" }));
  var mapBox = add(mapRow, el("div"));
  var storyBox = add(mapRow, el("div"));
  add(storyBox, el("h3", null, "Story of the selected threat"));
  var story = add(storyBox, el("div", { id: "story" }));
  add(story, el("p", { "class": "muted" }, "Click a threat in the timeline or on the map."));

  // bounds of everything drawn
  var pts = [];
  D.map.assets.forEach(function (a) { pts.push([a.e, a.n]); });
  D.map.radars.forEach(function (r) { pts.push([r.e, r.n]); });
  D.map.launchers.forEach(function (l) { pts.push([l.e, l.n]); });
  D.map.routes.forEach(function (r) { r.points.forEach(function (p) { pts.push(p); }); });
  var R = D.replay;
  if (R) { R.objects.forEach(function (o) { if (o.kind !== "track") { for (var i = 0; i < o.e.length; i++) { pts.push([o.e[i], o.n[i]]); } } }); }
  var minE = Infinity, maxE = -Infinity, minN = Infinity, maxN = -Infinity;
  pts.forEach(function (p) { minE = Math.min(minE, p[0]); maxE = Math.max(maxE, p[0]); minN = Math.min(minN, p[1]); maxN = Math.max(maxN, p[1]); });
  if (!isFinite(minE)) { minE = -1000; maxE = 1000; minN = -1000; maxN = 1000; }
  var pad = 0.06 * Math.max(maxE - minE, maxN - minN, 2000);
  minE -= pad; maxE += pad; minN -= pad; maxN += pad;
  var spanE = maxE - minE, spanN = maxN - minN;

  function projector(w, h) {
    var s = Math.min(w / spanE, h / spanN);
    var ox = (w - s * spanE) / 2, oy = (h - s * spanN) / 2;
    return { s: s, x: function (e) { return ox + (e - minE) * s; }, y: function (n) { return h - oy - (n - minN) * s; } };
  }
  var MW = 900, MH = Math.round(Math.max(360, Math.min(900, MW * spanN / spanE)));
  var P = projector(MW, MH);
  var svg = add(mapBox, sv("svg", { id: "map", viewBox: "0 0 " + MW + " " + MH, role: "img" }));
  add(svg, sv("title", null, "Map of the scenario"));
  var ter = D.map.terrain;
  if (ter) {
    var img = sv("image", { x: P.x(ter.east0), y: P.y(ter.north1), width: (ter.east1 - ter.east0) * P.s,
      height: (ter.north1 - ter.north0) * P.s, preserveAspectRatio: "none", opacity: "0.75" });
    img.setAttribute("href", ter.png);
    add(svg, img);
  }
  D.map.radars.forEach(function (r) {
    var c = add(svg, sv("circle", { cx: P.x(r.e), cy: P.y(r.n), r: r.coverage_m * P.s, fill: "none",
      stroke: "#00838f", "stroke-opacity": "0.55", "stroke-width": "1.2" }));
    add(c, sv("title", null, r.name + " (" + r.type + "): " + km(r.coverage_m)));
  });
  D.map.routes.forEach(function (r) {
    var d = r.points.map(function (p, i) { return (i ? "L" : "M") + P.x(p[0]).toFixed(1) + " " + P.y(p[1]).toFixed(1); }).join(" ");
    var path = add(svg, sv("path", { d: d, "class": "route", stroke: r.hostile ? "#c62828" : "#1565c0" }));
    add(path, sv("title", null, r.name + ": " + r.count + " \u00d7 " + r.type));
    var last = r.points[0];
    add(svg, sv("text", { x: P.x(last[0]) + 4, y: P.y(last[1]) - 4, "font-size": "11", fill: r.hostile ? "#c62828" : "#1565c0" }, r.name));
  });
  var pathEls = {};
  if (R) {
    R.objects.forEach(function (o) {
      if (o.kind !== "threat") { return; }
      var d = "";
      for (var i = 0; i < o.e.length; i++) { d += (i ? "L" : "M") + P.x(o.e[i]).toFixed(1) + " " + P.y(o.n[i]).toFixed(1); }
      var hostile = threats[o.id] ? threats[o.id].hostile : true;
      var p = add(svg, sv("path", { d: d, "class": "path", stroke: hostile ? "#c62828" : "#1565c0", "data-threat": o.id }));
      add(p, sv("title", null, o.label));
      p.addEventListener("click", function () { select(o.id); });
      pathEls[o.id] = p;
    });
  }
  D.map.assets.forEach(function (a) {
    add(svg, sv("circle", { cx: P.x(a.e), cy: P.y(a.n), r: Math.max(4, a.radius * P.s), fill: "#ef6c00", "fill-opacity": "0.35", stroke: "#ef6c00" }));
    add(svg, sv("text", { x: P.x(a.e) + 6, y: P.y(a.n) + 14, "font-size": "12", fill: "#8a3d00" }, a.name));
  });
  D.map.radars.forEach(function (r) {
    var x = P.x(r.e), y = P.y(r.n);
    var t = add(svg, sv("path", { d: "M" + x + " " + (y - 6) + "L" + (x + 5) + " " + (y + 4) + "L" + (x - 5) + " " + (y + 4) + "Z", fill: "#00838f" }));
    add(t, sv("title", null, r.name + " (" + r.type + ")"));
  });
  D.map.launchers.forEach(function (l) {
    var r = add(svg, sv("rect", { x: P.x(l.e) - 3, y: P.y(l.n) - 3, width: 6, height: 6, fill: "#2e7d32" }));
    add(r, sv("title", null, l.name + ": " + l.load));
  });
  // scale bar
  var bar = Math.pow(10, Math.floor(Math.log10(spanE / 4)));
  add(svg, sv("path", { d: "M20 " + (MH - 20) + "h" + bar * P.s, stroke: "#000", "stroke-width": "2" }));
  add(svg, sv("text", { x: 20, y: MH - 26, "font-size": "11" }, km(bar)));
  var leg = add(mapBox, el("p", { "class": "legend muted" }));
  [["#ef6c00", "defended asset"], ["#00838f", "radar and coverage ring"], ["#2e7d32", "launcher"],
   ["#c62828", "hostile"], ["#1565c0", "friendly"]].forEach(function (x) {
    var s = add(leg, el("span")); add(s, el("span", { "class": "swatch", style: "background:" + x[0] })); s.appendChild(document.createTextNode(x[1]));
  });
  listeners.push(function (id) {
    Object.keys(pathEls).forEach(function (k) {
      var on = Number(k) === id;
      pathEls[k].setAttribute("class", on ? "path selected" : "path");
      if (on) { pathEls[k].parentNode.appendChild(pathEls[k]); }
    });
  });

  // ---------- story ----------
  listeners.push(function (id) {
    while (story.firstChild) { story.removeChild(story.firstChild); }
    if (id === null) { return; }
    var t = threats[id];
    var s = D.stories[String(id)];
    add(story, el("h3", null, (t ? t.label + " (" + t.type + ", raid " + t.raid + ")" : "threat " + id) +
      ", replication " + m.replication));
    if (!s) { add(story, el("p", null, "No story recorded.")); return; }
    var ol = add(story, el("ol"));
    s.lines.forEach(function (l) {
      var li = add(ol, el("li")); add(li, el("span", { "class": "t" }, fmt(l[0], 1) + " s")); li.appendChild(document.createTextNode(l[1]));
    });
    add(story, el("p", { id: "story-outcome" }, s.outcome));
  });

  // ---------- timeline (SVG) ----------
  add(app, el("h2", null, "Engagement timeline (replication " + m.replication + ")"));
  add(app, el("p", { "class": "muted" }, "One row per threat from launch to its end: \u25cf first detection, \u25a0 track confirmed, " +
    "\u25b2 interceptor launched (hover for missile and launcher), \u2716 killed, red end: leaked. Orange stretches: the " +
    "command post did not fire (hover for the reason). Click a row to read the threat's story."));
  var tlBox = add(app, el("div", { id: "timeline-box" }));
  var TW = 1200, LW = 190, RH = 20, T1 = m.duration_s || 1;
  var TH = 24 + RH * D.timeline.length + 6;
  var tl = add(tlBox, sv("svg", { id: "timeline", viewBox: "0 0 " + TW + " " + TH, width: TW, height: TH }));
  function tx(t) { return LW + (TW - LW - 20) * Math.max(0, Math.min(1, t / T1)); }
  for (var g = 0; g <= 10; g++) {
    var gt = T1 * g / 10;
    add(tl, sv("path", { d: "M" + tx(gt) + " 18V" + TH, stroke: "#d5dae0" }));
    add(tl, sv("text", { x: tx(gt), y: 13, "font-size": "10", "text-anchor": "middle", fill: "#5b6470" }, fmt(gt, 0) + " s"));
  }
  var rowEls = {};
  D.timeline.forEach(function (t, i) {
    var y = 24 + i * RH;
    var row = add(tl, sv("g", { "class": "tl-row", "data-threat": t.id }));
    add(row, sv("rect", { "class": "tl-bg", x: 0, y: y, width: TW, height: RH, fill: "transparent" }));
    add(row, sv("text", { x: 6, y: y + 14, "font-size": "11", fill: t.hostile ? "#1b1f24" : "#1565c0" }, t.label));
    var start = t.launch === null ? 0 : t.launch;
    var end = t.kill !== null ? t.kill : (t.leak !== null ? t.leak : T1);
    add(row, sv("path", { d: "M" + tx(start) + " " + (y + 10) + "H" + tx(end), stroke: t.hostile ? "#90a4ae" : "#90caf9", "stroke-width": "3" }));
    t.reasons.forEach(function (r, j) {
      if (r.t >= end) { return; }
      var nxt = j + 1 < t.reasons.length ? Math.min(t.reasons[j + 1].t, end) : end;
      t.shots.forEach(function (s) { if (s.t > r.t && s.t < nxt) { nxt = s.t; } });
      var seg = add(row, sv("rect", { x: tx(r.t), y: y + 6, width: Math.max(2, tx(nxt) - tx(r.t)), height: 8, fill: "#ffb74d", "class": "nofire" }));
      add(seg, sv("title", null, "not fired from " + fmt(r.t, 1) + " s: " + r.reason + (r.text ? " (" + r.text + ")" : "")));
    });
    if (t.detect !== null) { var c = add(row, sv("circle", { cx: tx(t.detect), cy: y + 10, r: 4, fill: "#00838f" })); add(c, sv("title", null, "first detected at " + fmt(t.detect) + " s")); }
    if (t.confirm !== null) { var q = add(row, sv("rect", { x: tx(t.confirm) - 3.5, y: y + 6.5, width: 7, height: 7, fill: "#6a1b9a" })); add(q, sv("title", null, "track confirmed at " + fmt(t.confirm) + " s")); }
    t.shots.forEach(function (s) {
      var x = tx(s.t);
      var tri = add(row, sv("path", { d: "M" + x + " " + (y + 3) + "L" + (x + 5) + " " + (y + 13) + "L" + (x - 5) + " " + (y + 13) + "Z", fill: "#2e7d32" }));
      add(tri, sv("title", null, s.missile + " launched from " + s.unit + " at " + fmt(s.t) + " s"));
    });
    if (t.kill !== null) { var k = add(row, sv("text", { x: tx(t.kill), y: y + 15, "font-size": "14", "text-anchor": "middle", fill: "#000" }, "\u2716")); add(k, sv("title", null, "killed at " + fmt(t.kill) + " s")); }
    if (t.leak !== null) { var lk = add(row, sv("rect", { x: tx(t.leak) - 2, y: y + 2, width: 5, height: 16, fill: "#c62828" })); add(lk, sv("title", null, "leaked at " + fmt(t.leak) + " s" + (t.cause ? ": " + t.cause : ""))); }
    row.addEventListener("click", function () { select(t.id); });
    rowEls[t.id] = row;
  });
  listeners.push(function (id) {
    Object.keys(rowEls).forEach(function (k) { rowEls[k].setAttribute("class", Number(k) === id ? "tl-row selected" : "tl-row"); });
  });

  // ---------- results ----------
  var res = D.results;
  add(app, el("h2", null, "Results over " + res.replications + " replication" + (res.replications === 1 ? "" : "s") +
    (res.replications > 1 ? " (mean, 95% interval)" : "")));
  var rg = add(app, el("div", { "class": "grid" }));
  function ci(p, lo, hi) {
    var box = el("span", { "class": "barbox" });
    add(box, el("span", { "class": "bar", style: "width:" + (100 * (p || 0)).toFixed(1) + "%" }));
    if (lo !== null && hi !== null && lo !== undefined && hi !== undefined) {
      add(box, el("span", { "class": "ci", style: "left:" + (100 * lo).toFixed(1) + "%;width:" + (100 * (hi - lo)).toFixed(1) + "%" }));
    }
    return box;
  }
  function iv(s, d) { if (!s) { return "-"; } var t = fmt(s.mean, d); if (s.low !== null && s.low !== undefined) { t += " [" + fmt(s.low, d) + ", " + fmt(s.high, d) + "]"; } return t; }
  var r1 = add(rg, el("div"));
  add(r1, el("h3", null, "Leak probability by threat type"));
  table(r1, ["threat", "p", "interval", ""], Object.keys(res.leak_by_type).map(function (k) {
    var v = res.leak_by_type[k];
    return [k, fmt(v.p, 3), "[" + fmt(v.low, 3) + ", " + fmt(v.high, 3) + "]", ci(v.p, v.low, v.high)];
  }), [false, true, true, false]);
  var r2 = add(rg, el("div"));
  add(r2, el("h3", null, "Missiles spent per replication, by type"));
  table(r2, ["missile", "mean [interval]"], Object.keys(res.spent_by_type).map(function (k) { return [k, iv(res.spent_by_type[k], 1)]; }), [false, true]);
  add(r2, el("h3", null, "Kills per replication, by layer (missile type)"));
  table(r2, ["layer", "mean [interval]"], Object.keys(res.kills_by_layer).map(function (k) { return [k, iv(res.kills_by_layer[k], 2)]; }), [false, true]);
  var r3 = add(rg, el("div"));
  add(r3, el("h3", null, "Raid"));
  var lp = res.leak_probability;
  table(r3, ["", ""], [["threats killed", iv(res.kills, 1)], ["leakers", iv(res.leakers, 1)],
    ["leak probability per threat", lp ? fmt(lp.p, 3) + " [" + fmt(lp.low, 3) + ", " + fmt(lp.high, 3) + "]" : "-"]]);
  if (Object.keys(res.leak_causes).length) {
    add(r3, el("h3", null, "Why leakers got through (mean per replication)"));
    table(r3, ["cause", "leakers"], Object.keys(res.leak_causes).map(function (k) { return [k, fmt(res.leak_causes[k], 2)]; }), [false, true]);
  }

  // ---------- replay (canvas) ----------
  add(app, el("h2", null, "Replay (replication " + m.replication + ")"));
  if (!R) {
    add(app, el("p", { id: "no-replay" }, "No trajectories were recorded for this run (run with --record-replications)."));
  } else {
    add(app, el("p", { "class": "muted" }, "Red: threats (truth); blue: friendly aircraft; green: interceptors; purple: tracks " +
      "with their 2-sigma horizontal error ellipse (dashed while tentative); \u2716 kill, \u25cb leak. " +
      (R.stride > 1 ? "Samples thinned to every " + R.stride + "th to keep the file small." : "")));
    var ctl = add(app, el("div", { "class": "controls" }));
    var playBtn = add(ctl, el("button", { id: "play", type: "button" }, "Play"));
    add(ctl, el("label", { "for": "speed" }, "speed"));
    var speed = add(ctl, el("select", { id: "speed" }));
    [1, 5, 10, 30, 60].forEach(function (v) { var o = add(speed, el("option", { value: v }, v + "\u00d7")); if (v === 10) { o.selected = true; } });
    var slider = add(ctl, el("input", { id: "slider", type: "range", min: R.t0, max: R.t1, step: "0.5", value: R.t0 }));
    var clock = add(ctl, el("span", { id: "clock" }, ""));
    var canvas = add(app, el("canvas", { id: "replay", width: 1200, height: Math.round(1200 * MH / MW) }));
    var ctx = canvas.getContext("2d");
    var CP = projector(canvas.width, canvas.height);
    var kills = [], leaks = [];
    R.objects.forEach(function (o) {
      if (o.kind !== "threat") { return; }
      var t = threats[o.id]; var n = o.t.length - 1;
      if (t && t.kill !== null) { kills.push({ t: t.kill, e: o.e[n], n: o.n[n] }); }
      if (t && t.leak !== null) { leaks.push({ t: t.leak, e: o.e[n], n: o.n[n] }); }
    });
    var at = function (o, t) { // interpolated position, or null when the object is not there
      var a = o.t;
      if (t < a[0] || t > a[a.length - 1]) { return null; }
      var lo = 0, hi = a.length - 1;
      while (hi - lo > 1) { var mid = (lo + hi) >> 1; if (a[mid] <= t) { lo = mid; } else { hi = mid; } }
      if (!o.alive[lo]) { return null; }
      if (!o.alive[hi] && t >= a[hi]) { return null; }
      var f = a[hi] > a[lo] ? (t - a[lo]) / (a[hi] - a[lo]) : 0;
      return { i: lo, e: o.e[lo] + f * (o.e[hi] - o.e[lo]), n: o.n[lo] + f * (o.n[hi] - o.n[lo]) };
    };
    var draw = function (t) {
      var w = canvas.width, h = canvas.height;
      ctx.fillStyle = "#fbfcfd"; ctx.fillRect(0, 0, w, h);
      ctx.lineWidth = 1;
      D.map.radars.forEach(function (r) {
        ctx.strokeStyle = "rgba(0,131,143,0.35)"; ctx.beginPath(); ctx.arc(CP.x(r.e), CP.y(r.n), r.coverage_m * CP.s, 0, 2 * Math.PI); ctx.stroke();
        ctx.fillStyle = "#00838f"; ctx.fillRect(CP.x(r.e) - 3, CP.y(r.n) - 3, 6, 6);
      });
      D.map.assets.forEach(function (a) {
        ctx.fillStyle = "rgba(239,108,0,0.35)"; ctx.beginPath(); ctx.arc(CP.x(a.e), CP.y(a.n), Math.max(4, a.radius * CP.s), 0, 2 * Math.PI); ctx.fill();
      });
      D.map.launchers.forEach(function (l) { ctx.fillStyle = "#2e7d32"; ctx.fillRect(CP.x(l.e) - 2, CP.y(l.n) - 2, 4, 4); });
      R.objects.forEach(function (o) {
        var p = at(o, t);
        if (!p) { return; }
        var x = CP.x(p.e), y = CP.y(p.n);
        if (o.kind === "track") {
          var se = o.se[p.i], sn = o.sn[p.i], rho = o.rho[p.i];
          // 2-sigma ellipse of [[se^2, rho se sn], [rho se sn, sn^2]]: eigen-decomposition
          var a = se * se, c = sn * sn, b = rho * se * sn;
          var tr = (a + c) / 2, dd = Math.sqrt(Math.max(0, (a - c) * (a - c) / 4 + b * b));
          var l1 = tr + dd, l2 = Math.max(0, tr - dd), ang = 0.5 * Math.atan2(2 * b, a - c);
          ctx.strokeStyle = "#6a1b9a"; ctx.setLineDash(o.conf[p.i] ? [] : [3, 3]);
          ctx.beginPath();
          ctx.ellipse(x, y, Math.max(3, 2 * Math.sqrt(l1) * CP.s), Math.max(3, 2 * Math.sqrt(l2) * CP.s), -ang, 0, 2 * Math.PI);
          ctx.stroke(); ctx.setLineDash([]);
          return;
        }
        var j0 = p.i; // trail of the last 30 s
        while (j0 > 0 && o.t[j0 - 1] >= t - 30) { j0--; }
        var col = o.kind === "interceptor" ? "#2e7d32" : ((threats[o.id] && !threats[o.id].hostile) ? "#1565c0" : "#c62828");
        ctx.strokeStyle = col; ctx.globalAlpha = 0.5; ctx.beginPath(); ctx.moveTo(CP.x(o.e[j0]), CP.y(o.n[j0]));
        for (var j = j0 + 1; j <= p.i; j++) { ctx.lineTo(CP.x(o.e[j]), CP.y(o.n[j])); }
        ctx.lineTo(x, y); ctx.stroke(); ctx.globalAlpha = 1;
        var sel = o.kind === "threat" && o.id === selected;
        ctx.fillStyle = col; ctx.beginPath(); ctx.arc(x, y, sel ? 6 : (o.kind === "interceptor" ? 2.5 : 3.5), 0, 2 * Math.PI); ctx.fill();
        if (sel) { ctx.strokeStyle = "#000"; ctx.lineWidth = 2; ctx.beginPath(); ctx.arc(x, y, 10, 0, 2 * Math.PI); ctx.stroke(); ctx.lineWidth = 1;
          ctx.fillStyle = "#000"; ctx.font = "13px system-ui, sans-serif"; ctx.fillText(o.label, x + 12, y - 8); }
      });
      ctx.font = "16px system-ui, sans-serif";
      kills.forEach(function (k) { if (k.t <= t) { ctx.fillStyle = "#000"; ctx.fillText("\u2716", CP.x(k.e) - 6, CP.y(k.n) + 6); } });
      leaks.forEach(function (k) { if (k.t <= t) { ctx.strokeStyle = "#c62828"; ctx.lineWidth = 2; ctx.beginPath(); ctx.arc(CP.x(k.e), CP.y(k.n), 8, 0, 2 * Math.PI); ctx.stroke(); ctx.lineWidth = 1; } });
      ctx.fillStyle = "#1b1f24"; ctx.font = "15px system-ui, sans-serif";
      ctx.fillText("t = " + fmt(t, 1) + " s", 12, 22);
      clock.textContent = fmt(t, 1) + " s";
    };
    var now = R.t0, playing = false, last = null;
    var setTime = function (t) { now = Math.max(R.t0, Math.min(R.t1, t)); slider.value = String(now); draw(now); };
    slider.addEventListener("input", function () { now = Number(slider.value); draw(now); });
    var frame = function (ts) {
      if (!playing) { return; }
      if (last !== null) { setTime(now + (ts - last) / 1000 * Number(speed.value)); }
      last = ts;
      if (now >= R.t1) { playing = false; playBtn.textContent = "Play"; return; }
      window.requestAnimationFrame(frame);
    };
    playBtn.addEventListener("click", function () {
      playing = !playing; playBtn.textContent = playing ? "Pause" : "Play"; last = null;
      if (playing) { if (now >= R.t1) { now = R.t0; } window.requestAnimationFrame(frame); }
    });
    listeners.push(function () { draw(now); });
    setTime(R.t0);
  }
  add(app, el("footer", null, "Made by triumf " + m.version + ". Fictional scenario data; public-source equipment figures."));
  window.triumfSelect = select;
})();
