// Hand-drawn SVG charts: stacked bars over ordered categories (days or hours), one colour per series.

import { h } from './ui.js';

const NS = 'http://www.w3.org/2000/svg';
export const PALETTE = ['#1f5fbf', '#d9822b', '#2e9e5b', '#b3261e', '#7b4fc2', '#0f8b8d', '#c2417a', '#6b7b2c',
  '#8c6d46', '#4a6fa5'];

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

function niceMax(v) {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/**
 * categories: ordered x labels; series: [{name, label?, values: {category: number}}]; format: y value text.
 * Answers a figure with the SVG, a legend and a caption; the numbers are also in the page's table.
 */
export function stackedBars({ title, categories, series, format = (v) => String(v) }) {
  const W = 900, H = 300, L = 64, R = 12, T = 12, B = 48;
  const totals = categories.map((c) => series.reduce((sum, se) => sum + (se.values[c] || 0), 0));
  const max = niceMax(Math.max(0, ...totals));
  const plotW = W - L - R, plotH = H - T - B;
  const step = categories.length ? plotW / categories.length : plotW;
  const barW = Math.max(2, Math.min(48, step * 0.7));
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': title });
  for (let i = 0; i <= 4; i++) {
    const y = T + plotH - (plotH * i) / 4;
    svg.append(s('line', { x1: L, x2: W - R, y1: y, y2: y, stroke: '#e3e7ec' }));
    svg.append(s('text', { x: L - 6, y: y + 4, 'text-anchor': 'end' }, format((max * i) / 4)));
  }
  const every = Math.max(1, Math.ceil(categories.length / 12));
  categories.forEach((c, i) => {
    const x = L + i * step + (step - barW) / 2;
    let y = T + plotH;
    series.forEach((se, si) => {
      const v = se.values[c] || 0;
      if (v <= 0) return;
      const bh = (v / max) * plotH;
      y -= bh;
      svg.append(s('rect', { x, y, width: barW, height: Math.max(bh, 0.5), fill: PALETTE[si % PALETTE.length],
        'data-series': se.name, 'data-category': c }, s('title', {}, `${se.label || se.name} · ${c}: ${format(v)}`)));
    });
    if (i % every === 0) {
      svg.append(s('text', { x: x + barW / 2, y: H - B + 16, 'text-anchor': 'middle' }, c));
    }
  });
  svg.append(s('line', { x1: L, x2: W - R, y1: T + plotH, y2: T + plotH, stroke: '#9aa4b0' }));
  const legend = h('ul.legend', { 'aria-label': 'Series' }, series.map((se, i) => {
    const swatch = h('i', { 'aria-hidden': 'true' });
    swatch.style.background = PALETTE[i % PALETTE.length];
    return h('li', {}, swatch, se.label || se.name);
  }));
  return h('figure.chart-figure', { 'data-chart': title }, svg, legend, h('figcaption.muted', {}, title));
}
