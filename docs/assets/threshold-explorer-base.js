// Counting and drawing helpers of the threshold explorer (threshold-explorer.js): the
// chapter module's rules (review when p >= t; a ratio with a zero denominator is 0), number
// formatting, and small DOM and SVG builders. Published as window.ThresholdExplorerBase.
(function () {
  "use strict";

  var SVG_NS = "http://www.w3.org/2000/svg";
  var STEP = 0.01; // the keyboard's grid: thresholds snap to it

  // ------------------------------------------------------------ the arithmetic

  function clamp(t) {
    return Math.min(1, Math.max(0, t));
  }

  function snap(t) {
    return clamp(Number((Math.round(t / STEP) * STEP).toFixed(6)));
  }

  function ratio(num, den) {
    return den ? num / den : 0;
  }

  // The four outcomes at threshold t (confusion_matrix_at_threshold).
  function countsAt(requests, t) {
    var c = { tp: 0, fp: 0, fn: 0, tn: 0 };
    requests.forEach(function (r) {
      var review = r.p >= t;
      c[review ? (r.y ? "tp" : "fp") : r.y ? "fn" : "tn"] += 1;
    });
    return c;
  }

  // Precision, recall, F1, false-positive rate and dollar cost of the counts.
  function metricsOf(c, costs) {
    var precision = ratio(c.tp, c.tp + c.fp);
    var recall = ratio(c.tp, c.tp + c.fn);
    return {
      precision: precision,
      recall: recall,
      f1: ratio(2 * precision * recall, precision + recall),
      fpr: ratio(c.fp, c.fp + c.tn),
      cost: costs.fn * c.fn + costs.fp * c.fp,
    };
  }

  // Thresholds where something changes: 0, every distinct probability, 1 (sorted).
  function breakpoints(requests) {
    var values = [0, 1].concat(requests.map(function (r) { return r.p; }));
    var unique = values.filter(function (v, i) { return values.indexOf(v) === i; });
    return unique.sort(function (a, b) { return a - b; });
  }

  // ROC corners, from "review nothing" (0, 0) to "review everything" (1, 1).
  function rocCurve(requests, costs) {
    var corners = [{ fpr: 0, tpr: 0 }];
    breakpoints(requests).reverse().forEach(function (t) {
      var m = metricsOf(countsAt(requests, t), costs);
      corners.push({ fpr: m.fpr, tpr: m.recall });
    });
    return corners;
  }

  // The cost is constant on each interval (b[i], b[i+1]] between breakpoints.
  function costSteps(requests, costs) {
    var b = breakpoints(requests);
    var steps = [];
    for (var i = 0; i + 1 < b.length; i++) {
      var cost = metricsOf(countsAt(requests, b[i + 1]), costs).cost;
      steps.push({ from: b[i], to: b[i + 1], cost: cost });
    }
    return steps;
  }

  // ------------------------------------------------------------ formatting

  function fixed(value, digits) {
    return value.toFixed(digits);
  }

  function money(value) {
    return "$" + Math.round(value).toLocaleString("en-US");
  }

  // Two decimals on the keyboard's grid, up to four for a typed value.
  function formatT(t) {
    var cents = t / STEP;
    return Math.abs(cents - Math.round(cents)) < 1e-9 ? fixed(t, 2) : String(Number(fixed(t, 4)));
  }

  // A round step for about `count` axis ticks up to `top`: 1, 2 or 5 times a power of ten.
  function niceStep(top, count) {
    var raw = top / count;
    var power = Math.pow(10, Math.floor(Math.log10(raw)));
    var factor = [1, 2, 5, 10].find(function (f) { return f * power >= raw; });
    return factor * power;
  }

  // ------------------------------------------------------------ DOM helpers

  // An HTML element, or an SVG one for a tag written "svg:name".
  function node(tag, attrs, parent, text) {
    var svg = tag.indexOf("svg:") === 0;
    var el = svg ? document.createElementNS(SVG_NS, tag.slice(4)) : document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      el.setAttribute(key, attrs[key]);
    });
    if (text !== undefined) el.textContent = text;
    if (parent) parent.appendChild(el);
    return el;
  }

  function svgText(parent, x, y, text, cls, anchor) {
    var attrs = { x: x, y: y, class: cls || "te-tick", "text-anchor": anchor || "middle" };
    return node("svg:text", attrs, parent, text);
  }

  function line(parent, cls, x1, y1, x2, y2) {
    return node("svg:line", { class: cls, x1: x1, y1: y1, x2: x2, y2: y2 }, parent);
  }

  // The operating point on a chart: a square centred on the origin, moved by a transform.
  function squareMark(parent) {
    return node("svg:rect", { class: "te-mark", width: 12, height: 12, x: -6, y: -6 }, parent);
  }

  function clear(el) {
    while (el.firstChild) el.removeChild(el.firstChild);
  }

  // A request's mark: a triangle if it needed review, a circle if it was harmless.
  function marker(parent, label, x, y) {
    var circle = { class: "te-point te-point--auto", cx: x, cy: y, r: 6 };
    if (!label) return node("svg:circle", circle, parent);
    var corners = [[x, y - 7], [x + 7, y + 5], [x - 7, y + 5]];
    var d = "M" + corners.map(function (p) { return p.join(","); }).join(" L") + " Z";
    return node("svg:path", { class: "te-point te-point--review", d: d }, parent);
  }

  window.ThresholdExplorerBase = {
    STEP: STEP,
    clamp: clamp,
    snap: snap,
    ratio: ratio,
    countsAt: countsAt,
    metricsOf: metricsOf,
    breakpoints: breakpoints,
    rocCurve: rocCurve,
    costSteps: costSteps,
    fixed: fixed,
    money: money,
    formatT: formatT,
    niceStep: niceStep,
    node: node,
    svgText: svgText,
    line: line,
    squareMark: squareMark,
    clear: clear,
    marker: marker,
  };
})();
