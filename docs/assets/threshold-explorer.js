// The threshold explorer: drag a decision threshold over the validation probabilities and watch
// the confusion counts, precision, recall, F1, the dollar cost and the operating point on the
// ROC and cost curves move. Every number comes from the JSON a snippet published on the page
// (<script type="application/json" id="course-data-...">); the counting, with the rules of the
// chapter's module, is in threshold-explorer-base.js, which the page loads first.
(function () {
  "use strict";

  var base = window.ThresholdExplorerBase; // threshold-explorer-base.js, loaded first
  var STEP = base.STEP; // arrow keys
  var PAGE_STEP = 0.1; // Page Up / Page Down
  var ANNOUNCE_DELAY_MS = 350; // the live region speaks once the threshold rests
  // Geometry in CSS pixels: the SVGs are redrawn at their real width, so text stays readable.
  var STRIP = { height: 176, left: 46, right: 16, review: 48, auto: 104, axis: 136 };
  var CHART = { height: 230, top: 12, right: 14, bottom: 46, least: 160 };
  var VALUE_HALF = 32; // half the width of the "t = 0.xx" label above the handle
  var LABEL_GAP = 22; // ids closer than this (pixels) alternate above and below their row
  var clamp = base.clamp;
  var snap = base.snap;
  var countsAt = base.countsAt;
  var metricsOf = base.metricsOf;
  var rocCurve = base.rocCurve;
  var costSteps = base.costSteps;
  var fixed = base.fixed;
  var money = base.money;
  var formatT = base.formatT;
  var niceStep = base.niceStep;
  var node = base.node;
  var svgText = base.svgText;
  var line = base.line;
  var squareMark = base.squareMark;
  var clear = base.clear;
  var marker = base.marker;

  // ------------------------------------------------------------ the widget

  function Explorer(root, data) {
    this.root = root;
    this.requests = data.requests.slice();
    this.costs = { fn: data.fn_cost, fp: data.fp_cost };
    this.chosen = data.chosen;
    this.t = data.chosen;
    this.timer = null;
    clear(root);
    root.setAttribute("role", "group");
    root.setAttribute("aria-label", "Threshold explorer");
    this.buildLegend();
    this.strip = node("svg:svg", { class: "te-strip", role: "presentation" }, root);
    this.buildControls();
    this.buildResults();
    this.buildCharts();
    this.live = node("p", { class: "te-live", role: "status", "aria-live": "polite" }, root);
    this.draw();
    this.set(this.chosen, "init");
    this.listen();
  }

  Explorer.prototype.buildLegend = function () {
    var legend = node("p", { class: "te-legend" }, this.root);
    node("span", { class: "te-key te-key--review" }, legend, "\u25B2 needed review (y = 1)");
    node("span", { class: "te-key te-key--auto" }, legend, "\u25CF harmless (y = 0)");
    node("span", { class: "te-key" }, legend, "shaded: routed to review (p \u2265 t)");
    node("span", { class: "te-key" }, legend, "dashed ring: wrong decision");
  };

  Explorer.prototype.buildControls = function () {
    var controls = node("div", { class: "te-controls" }, this.root);
    var label = node("label", { class: "te-field" }, controls, "Threshold t ");
    var field = { type: "number", min: "0", max: "1", step: String(STEP), inputmode: "decimal" };
    this.input = node("input", field, label);
    var reset = "Reset to " + formatT(this.chosen);
    this.reset = node("button", { type: "button", class: "te-reset" }, controls, reset);
    var keys = "arrows \u00B1" + formatT(STEP) + ", Page Up/Down \u00B1" + String(PAGE_STEP);
    var hint = "Drag the line, or focus its handle: " + keys + ", Home/End.";
    node("span", { class: "te-hint" }, controls, hint);
  };

  // The confusion table (cells tagged data-cell) and the metrics (tagged data-metric).
  Explorer.prototype.buildResults = function () {
    var results = node("div", { class: "te-results" }, this.root);
    var table = node("table", { class: "te-matrix" }, results);
    var n = this.requests.length;
    node("caption", {}, table, "The " + n + " validation requests at the current threshold");
    var head = node("tr", {}, node("thead", {}, table));
    node("td", {}, head);
    node("th", { scope: "col" }, head, "needed review");
    node("th", { scope: "col" }, head, "harmless");
    var body = node("tbody", {}, table);
    this.cells = {};
    [["routed to review", "tp", "fp"], ["auto-processed", "fn", "tn"]].forEach(function (row) {
      var tr = node("tr", {}, body);
      node("th", { scope: "row" }, tr, row[0]);
      row.slice(1).forEach(function (key) {
        var td = node("td", { "data-cell": key }, tr);
        node("span", { class: "te-cell-name" }, td, key.toUpperCase() + " ");
        this.cells[key] = node("span", { class: "te-count" }, td);
      }, this);
    }, this);
    var list = node("dl", { class: "te-metrics" }, results);
    var names = { precision: "precision", recall: "recall", f1: "F1", fpr: "false-positive rate" };
    names.cost = "cost";
    this.metrics = {};
    Object.keys(names).forEach(function (key) {
      var item = node("div", {}, list);
      node("dt", {}, item, names[key]);
      this.metrics[key] = node("dd", { "data-metric": key }, item);
    }, this);
  };

  Explorer.prototype.buildCharts = function () {
    var charts = node("div", { class: "te-charts" }, this.root);
    var roc = "ROC curve of the validation requests; a marker shows the current operating point.";
    var cost = "Validation cost at every threshold; a marker shows the cost at the current one.";
    this.roc = node("svg:svg", { class: "te-chart", role: "img", "aria-label": roc }, charts);
    var costAttrs = { class: "te-chart te-chart--cost", role: "img", "aria-label": cost };
    this.costChart = node("svg:svg", costAttrs, charts);
  };

  // Draw the three SVGs at the widget's current width, keeping the handle's focus.
  Explorer.prototype.draw = function () {
    var focused = this.handle && document.activeElement === this.handle;
    this.width = this.root.clientWidth;
    this.drawStrip();
    this.drawRoc();
    this.drawCost();
    if (focused) this.handle.focus({ preventScroll: true });
  };

  // The probability axis: one row per true label, the shaded review side, the handle.
  Explorer.prototype.drawStrip = function () {
    var svg = this.strip;
    var width = Math.max(svg.clientWidth || this.width, CHART.least);
    var span = width - STRIP.left - STRIP.right;
    clear(svg);
    svg.setAttribute("viewBox", "0 0 " + width + " " + STRIP.height);
    this.stripX = function (t) { return STRIP.left + t * span; };
    this.stripT = function (px) { return (px - STRIP.left) / span; };
    var top = STRIP.review - 26;
    this.zone = node("svg:rect", { class: "te-zone", y: top, height: STRIP.axis - top }, svg);
    line(svg, "te-axis", STRIP.left, STRIP.axis, width - STRIP.right, STRIP.axis);
    for (var i = 0; i <= 4; i++) {
      var x = this.stripX(i / 4);
      line(svg, "te-axis", x, STRIP.axis, x, STRIP.axis + 5);
      svgText(svg, x, STRIP.axis + 17, String(i / 4));
    }
    var title = "predicted probability p of needing review";
    svgText(svg, STRIP.left + span / 2, STRIP.height - 2, title, "te-axis-title");
    svgText(svg, 4, STRIP.review + 4, "y = 1", "te-tick", "start");
    svgText(svg, 4, STRIP.auto + 4, "y = 0", "te-tick", "start");
    this.points = this.drawPoints(svg);
    this.handle = this.drawHandle(svg);
  };

  // Each request on its row, its id above it (or below, when a neighbour is too close).
  Explorer.prototype.drawPoints = function (svg) {
    var self = this;
    var points = [];
    [1, 0].forEach(function (label) {
      var y = label ? STRIP.review : STRIP.auto;
      var lastAbove = -Infinity;
      var lastBelow = -Infinity;
      var row = self.requests.filter(function (r) { return r.y === label; });
      row.sort(function (a, b) { return a.p - b.p; }).forEach(function (r) {
        var x = self.stripX(r.p);
        var above = x - lastAbove >= LABEL_GAP || x - lastBelow < LABEL_GAP;
        if (above) lastAbove = x;
        else lastBelow = x;
        var ring = node("svg:circle", { class: "te-ring", cx: x, cy: y, r: 11 }, svg);
        marker(svg, label, x, y);
        svgText(svg, x, above ? y - 14 : y + 24, r.id, "te-id");
        points.push({ request: r, ring: ring });
      });
    });
    return points;
  };

  // The slider: threshold line, knob (with its focus ring) and value label, moved as one.
  Explorer.prototype.drawHandle = function (svg) {
    var g = node("svg:g", {
      class: "te-handle",
      tabindex: "0",
      role: "slider",
      "aria-label": "Decision threshold t",
      "aria-valuemin": "0",
      "aria-valuemax": "1",
      "aria-orientation": "horizontal",
    }, svg);
    line(g, "te-threshold", 0, 22, 0, STRIP.axis);
    node("svg:circle", { class: "te-focus", cx: 0, cy: STRIP.axis, r: 14 }, g);
    node("svg:circle", { class: "te-knob", cx: 0, cy: STRIP.axis, r: 8 }, g);
    this.valueLabel = node("svg:g", { class: "te-value" }, g);
    var box = { x: -VALUE_HALF, y: 2, width: 2 * VALUE_HALF, height: 19, rx: 3 };
    node("svg:rect", box, this.valueLabel);
    this.valueText = svgText(this.valueLabel, 0, 16, "", "te-value-text");
    return g;
  };

  // A square plot area with axes from 0 to 1 on both sides.
  Explorer.prototype.drawRoc = function () {
    var svg = this.roc;
    var width = Math.max(svg.clientWidth || this.width, CHART.least);
    var size = Math.min(width - 60, CHART.height - CHART.top - CHART.bottom);
    var left = Math.max(48, (width - size) / 2);
    var x = function (v) { return left + v * size; };
    var y = function (v) { return CHART.top + (1 - v) * size; };
    clear(svg);
    svg.setAttribute("viewBox", "0 0 " + width + " " + CHART.height);
    this.rocXY = [x, y];
    for (var i = 0; i <= 2; i++) {
      line(svg, "te-grid", x(i / 2), y(0), x(i / 2), y(1));
      line(svg, "te-grid", x(0), y(i / 2), x(1), y(i / 2));
      svgText(svg, x(i / 2), y(0) + 16, String(i / 2));
      svgText(svg, x(0) - 6, y(i / 2) + 4, String(i / 2), "te-tick", "end");
    }
    line(svg, "te-diagonal", x(0), y(0), x(1), y(1));
    var corners = rocCurve(this.requests, this.costs).map(function (c) {
      return x(c.fpr) + "," + y(c.tpr);
    });
    node("svg:polyline", { class: "te-curve", points: corners.join(" ") }, svg);
    svgText(svg, x(0.5), CHART.height - 8, "false-positive rate", "te-axis-title");
    var title = svgText(svg, 0, 0, "recall (TPR)", "te-axis-title");
    title.setAttribute("transform", "translate(" + (left - 34) + "," + y(0.5) + ") rotate(-90)");
    this.rocMark = squareMark(svg);
  };

  // The validation cost as a step function of the threshold, its cheapest range shaded.
  Explorer.prototype.drawCost = function () {
    var svg = this.costChart;
    var width = Math.max(svg.clientWidth || this.width, CHART.least);
    var left = 52;
    var steps = costSteps(this.requests, this.costs);
    var costs = steps.map(function (s) { return s.cost; });
    var top = Math.max.apply(null, costs) * 1.1 || 1;
    var lowest = Math.min.apply(null, costs);
    var plotH = CHART.height - CHART.top - CHART.bottom;
    var span = width - left - CHART.right;
    var x = function (t) { return left + t * span; };
    var y = function (c) { return CHART.top + (1 - c / top) * plotH; };
    clear(svg);
    svg.setAttribute("viewBox", "0 0 " + width + " " + CHART.height);
    this.costX = x;
    this.costY = y;
    this.costT = function (px) { return (px - left) / span; };
    steps.forEach(function (s) {
      if (s.cost !== lowest) return;
      var band = { class: "te-cheapest", x: x(s.from), y: y(top), height: plotH };
      band.width = Math.max(0, x(s.to) - x(s.from));
      node("svg:rect", band, svg);
    });
    var tick = niceStep(top, 4);
    for (var c = 0; c <= top; c += tick) {
      line(svg, "te-grid", x(0), y(c), x(1), y(c));
      svgText(svg, left - 6, y(c) + 4, money(c), "te-tick", "end");
    }
    for (var i = 0; i <= 4; i++) svgText(svg, x(i / 4), y(0) + 16, String(i / 4));
    var rule = this.costs.fp / (this.costs.fp + this.costs.fn); // break-even if calibrated
    line(svg, "te-rule", x(rule), y(0), x(rule), y(top));
    svgText(svg, x(rule) + 4, y(top) + 12, "cost-ratio rule", "te-note", "start");
    var d = steps.map(function (s, k) {
      return (k ? "L" : "M") + x(s.from) + "," + y(s.cost) + " L" + x(s.to) + "," + y(s.cost);
    });
    node("svg:path", { class: "te-curve", d: d.join(" ") }, svg);
    var title = "threshold t (shaded: lowest cost)";
    svgText(svg, x(0.5), CHART.height - 8, title, "te-axis-title");
    this.costLine = line(svg, "te-threshold te-threshold--thin", 0, y(0), 0, y(top));
    this.costMark = squareMark(svg);
    this.costLabel = svgText(svg, 0, 0, "", "te-note", "start");
  };

  // Move to threshold t and refresh everything that depends on it.
  Explorer.prototype.set = function (t, source) {
    t = clamp(t);
    this.t = t;
    var c = countsAt(this.requests, t);
    var m = metricsOf(c, this.costs);
    this.showStrip(t, c, m);
    this.showCharts(t, m);
    this.showNumbers(c, m);
    if (source !== "input") this.input.value = formatT(t);
    this.root.setAttribute("data-threshold", String(t));
    this.announce(t, c, m);
  };

  Explorer.prototype.showStrip = function (t, c, m) {
    var x = this.stripX(t);
    var width = this.strip.viewBox.baseVal.width;
    this.zone.setAttribute("x", x);
    this.zone.setAttribute("width", Math.max(0, width - STRIP.right - x));
    this.handle.setAttribute("transform", "translate(" + x + ",0)");
    var offset = Math.max(VALUE_HALF - x, Math.min(0, width - VALUE_HALF - x)); // stay inside
    this.valueLabel.setAttribute("transform", "translate(" + offset + ",0)");
    this.valueText.textContent = "t = " + formatT(t);
    this.handle.setAttribute("aria-valuenow", String(t));
    var reviews = c.tp + c.fp;
    var text = formatT(t) + ": cost " + money(m.cost) + ", " + reviews + " reviews";
    this.handle.setAttribute("aria-valuetext", text);
    this.points.forEach(function (point) {
      var review = point.request.p >= t;
      point.ring.classList.toggle("te-ring--wrong", review !== (point.request.y === 1));
    });
  };

  Explorer.prototype.showCharts = function (t, m) {
    var rx = this.rocXY[0](m.fpr);
    var ry = this.rocXY[1](m.recall);
    this.rocMark.setAttribute("transform", "translate(" + rx + "," + ry + ")");
    var cx = this.costX(t);
    var cy = this.costY(m.cost);
    this.costLine.setAttribute("x1", cx);
    this.costLine.setAttribute("x2", cx);
    this.costMark.setAttribute("transform", "translate(" + cx + "," + cy + ")");
    var onLeft = cx > this.costChart.viewBox.baseVal.width - 70; // keep the label inside
    this.costLabel.setAttribute("x", onLeft ? cx - 10 : cx + 10);
    this.costLabel.setAttribute("y", Math.max(cy - 8, 24));
    this.costLabel.setAttribute("text-anchor", onLeft ? "end" : "start");
    this.costLabel.textContent = money(m.cost);
  };

  Explorer.prototype.showNumbers = function (c, m) {
    Object.keys(this.cells).forEach(function (key) {
      this.cells[key].textContent = String(c[key]);
    }, this);
    ["precision", "recall", "f1", "fpr"].forEach(function (key) {
      this.metrics[key].textContent = fixed(m[key], 3);
    }, this);
    var times = " \u00D7 ";
    var missed = c.fn + times + money(this.costs.fn);
    var extra = c.fp + times + money(this.costs.fp);
    this.metrics.cost.textContent = money(m.cost) + " = " + missed + " + " + extra;
  };

  // Tell screen readers the cost and the counts once the threshold rests.
  Explorer.prototype.announce = function (t, c, m) {
    var live = this.live;
    var counts = "TP " + c.tp + ", FP " + c.fp + ", FN " + c.fn + ", TN " + c.tn;
    var reviews = c.tp + c.fp + " of " + this.requests.length + " requests go to review";
    var text = "At t = " + formatT(t) + ": cost " + money(m.cost) + "; " + reviews;
    text += " (" + counts + ").";
    clearTimeout(this.timer);
    this.timer = setTimeout(function () {
      live.textContent = text;
    }, live.textContent ? ANNOUNCE_DELAY_MS : 0);
  };

  Explorer.prototype.listen = function () {
    var self = this;
    this.root.addEventListener("keydown", function (event) {
      if (event.target === self.handle) self.onKey(event);
    });
    this.input.addEventListener("input", function () {
      var value = parseFloat(self.input.value);
      if (isFinite(value)) self.set(value, value === clamp(value) ? "input" : "field");
    });
    this.input.addEventListener("change", function () {
      self.input.value = formatT(self.t);
    });
    this.reset.addEventListener("click", function () {
      self.set(self.chosen, "reset");
    });
    this.drag(this.strip, function (px) { return self.stripT(px); });
    this.drag(this.costChart, function (px) { return self.costT(px); });
    if (!window.ResizeObserver) return;
    // Redraw at a new width; full-page screenshots squeeze the layout for a moment: skip those.
    new ResizeObserver(function () {
      var width = self.root.clientWidth;
      if (width === self.width || width < CHART.least) return;
      self.draw();
      self.set(self.t, "resize");
    }).observe(this.root);
  };

  Explorer.prototype.onKey = function (event) {
    var moves = {
      ArrowRight: STEP,
      ArrowUp: STEP,
      ArrowLeft: -STEP,
      ArrowDown: -STEP,
      PageUp: PAGE_STEP,
      PageDown: -PAGE_STEP,
    };
    var t;
    if (event.key in moves) t = snap(this.t + moves[event.key]);
    else if (event.key === "Home") t = 0;
    else if (event.key === "End") t = 1;
    else return;
    event.preventDefault();
    this.set(t, "key");
  };

  // Pointer drags on an SVG whose horizontal axis is the threshold.
  Explorer.prototype.drag = function (svg, toT) {
    var self = this;
    var active = false;
    function move(event) {
      var box = svg.getBoundingClientRect();
      var scale = svg.viewBox.baseVal.width / box.width || 1;
      self.set(snap(toT((event.clientX - box.left) * scale)), "pointer");
    }
    svg.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) return;
      active = true;
      svg.setPointerCapture(event.pointerId);
      self.handle.focus({ preventScroll: true });
      move(event);
      event.preventDefault();
    });
    svg.addEventListener("pointermove", function (event) {
      if (active) move(event);
    });
    ["pointerup", "pointercancel", "lostpointercapture"].forEach(function (type) {
      svg.addEventListener(type, function () {
        active = false;
      });
    });
  };

  // ------------------------------------------------------------ start

  function start() {
    document.querySelectorAll(".threshold-explorer[data-source]").forEach(function (root) {
      if (root.hasAttribute("data-ready")) return; // idempotent: each widget starts once
      var source = document.getElementById(root.getAttribute("data-source"));
      if (!source) return; // no data: the fallback note stays
      root.setAttribute("data-ready", "");
      new Explorer(root, JSON.parse(source.textContent));
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
