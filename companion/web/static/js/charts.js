// Hand-drawn charts on <canvas> (no libraries): stacked bars over time and lines.
// Each chart records what it drew in data-* attributes so tests can tell an empty
// chart from a drawn one without reading pixels.

import { h } from "./dom.js";

export const PALETTE = [
  "#ee4d2d", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2",
  "#7f7f7f", "#bcbd22", "#d62728", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd",
];

/** A canvas in a box plus a legend; returns {box, canvas, legend}. */
export function chartBox(label) {
  const canvas = h("canvas", { role: "img", "aria-label": label });
  const legend = h("div", { class: "legend" });
  return { box: h("div", { class: "chart-box" }, canvas, legend), canvas, legend };
}

function prepare(canvas) {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || 600;
  const height = canvas.clientHeight || 240;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const g = canvas.getContext("2d");
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, width, height);
  g.font = "11px system-ui, sans-serif";
  return { g, width, height };
}

function niceMax(value) {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function drawAxes(g, area, max, labels) {
  g.strokeStyle = "#dfe3e8";
  g.fillStyle = "#5b6470";
  g.lineWidth = 1;
  g.textAlign = "right";
  g.textBaseline = "middle";
  for (let i = 0; i <= 4; i += 1) {
    const y = area.bottom - (area.height * i) / 4;
    g.beginPath();
    g.moveTo(area.left, y);
    g.lineTo(area.right, y);
    g.stroke();
    g.fillText(String(Math.round((max * i) / 4 * 10) / 10), area.left - 6, y);
  }
  g.textAlign = "center";
  g.textBaseline = "top";
  const every = Math.max(1, Math.ceil(labels.length / 10));
  labels.forEach((label, index) => {
    if (index % every) return;
    g.fillText(String(label), area.left + area.step * (index + 0.5), area.bottom + 6);
  });
}

function plotArea(width, height, count) {
  const left = 44;
  const right = width - 10;
  const top = 10;
  const bottom = height - 24;
  return { left, right, top, bottom, height: bottom - top, step: (right - left) / Math.max(count, 1) };
}

function fillLegend(legend, series) {
  if (!legend) return;
  legend.replaceChildren(
    ...series.map((s, i) => {
      const swatch = h("span", { class: "swatch" });
      swatch.style.background = s.color || PALETTE[i % PALETTE.length];
      return h("span", {}, swatch, s.name);
    }),
  );
}

function record(canvas, kind, series, labels, drawn) {
  canvas.dataset.chart = kind;
  canvas.dataset.series = String(series.length);
  canvas.dataset.buckets = String(labels.length);
  canvas.dataset.drawn = String(drawn);
}

/** Stacked bars: labels along x, one segment per series. */
export function stackedBars(canvas, legend, labels, series) {
  const { g, width, height } = prepare(canvas);
  const totals = labels.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] || 0), 0));
  const max = niceMax(Math.max(0, ...totals));
  const area = plotArea(width, height, labels.length);
  drawAxes(g, area, max, labels);
  let drawn = 0;
  labels.forEach((_, i) => {
    let base = area.bottom;
    series.forEach((s, k) => {
      const value = s.values[i] || 0;
      if (!value) return;
      const barHeight = (area.height * value) / max;
      g.fillStyle = s.color || PALETTE[k % PALETTE.length];
      g.fillRect(area.left + area.step * i + area.step * 0.15, base - barHeight, area.step * 0.7, barHeight);
      base -= barHeight;
      drawn += 1;
    });
  });
  fillLegend(legend, series);
  record(canvas, "stacked-bars", series, labels, drawn);
}

/** Lines, one per series. */
export function lines(canvas, legend, labels, series) {
  const { g, width, height } = prepare(canvas);
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values)));
  const area = plotArea(width, height, labels.length);
  drawAxes(g, area, max, labels);
  let drawn = 0;
  series.forEach((s, k) => {
    g.strokeStyle = s.color || PALETTE[k % PALETTE.length];
    g.fillStyle = g.strokeStyle;
    g.lineWidth = 2;
    g.beginPath();
    s.values.forEach((value, i) => {
      const x = area.left + area.step * (i + 0.5);
      const y = area.bottom - (area.height * (value || 0)) / max;
      if (i === 0) g.moveTo(x, y);
      else g.lineTo(x, y);
      if (value) drawn += 1;
    });
    g.stroke();
  });
  fillLegend(legend, series);
  record(canvas, "lines", series, labels, drawn);
}

/** A horizontal share bar (DOM, not canvas) for tables: `fraction` in 0..1. */
export function shareBar(fraction) {
  const fill = h("span");
  fill.style.width = `${Math.max(0, Math.min(1, fraction)) * 100}%`;
  return h("div", { class: "bar" }, fill);
}
