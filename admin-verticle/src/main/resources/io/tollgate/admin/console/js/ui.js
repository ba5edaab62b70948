// Small DOM helpers. Text always goes in as text nodes, never as HTML: names and messages come
// from the API and from upstream models.

/** h('tag.class#id', {attrs, on: {click}}, ...children) */
export function h(spec, attrs = {}, ...children) {
  const [, tag, rest] = /^([a-z0-9]+)(.*)$/i.exec(spec);
  const el = document.createElement(tag);
  for (const part of rest.match(/[.#][^.#]+/g) || []) {
    if (part[0] === '.') el.classList.add(part.slice(1));
    else el.id = part.slice(1);
  }
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'on') {
      for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    } else if (k === 'value') {
      el.value = v;
    } else if (k === 'checked') {
      el.checked = !!v;
    } else {
      el.setAttribute(k, v === true ? '' : v);
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let ids = 0;
/** A labelled input, select or textarea; answers the wrapper with .input set to the control. */
export function field(label, control, { wide = false, hint } = {}) {
  const id = control.id || `f${++ids}`;
  control.id = id;
  const wrap = h(`div.field${wide ? '.wide' : ''}`, {}, h('label', { for: id }, label), control,
    hint ? h('span.muted', { id: `${id}-hint` }, hint) : null);
  if (hint) control.setAttribute('aria-describedby', `${id}-hint`);
  wrap.input = control;
  return wrap;
}

export const input = (attrs = {}) => h('input', { type: 'text', ...attrs });
export const number = (attrs = {}) => h('input', { type: 'number', min: '0', step: 'any', ...attrs });

export function select(options, attrs = {}) {
  return h('select', attrs, options.map((o) => {
    const [value, label] = Array.isArray(o) ? o : [o, o];
    return h('option', { value, selected: attrs.value === value }, label);
  }));
}

export const button = (label, onClick, cls = '', attrs = {}) =>
  h(`button${cls ? `.${cls}` : ''}`, { type: 'button', ...attrs, on: { click: onClick } }, label);

export function notice(text, kind = '') {
  return h(`div.notice${kind ? `.${kind}` : ''}`, { role: kind === 'error' ? 'alert' : 'status' }, text);
}

/** The state a page shows when an endpoint it needs is not in this gateway (404). */
export function unavailable(what) {
  return h('div.notice.unavailable', { role: 'status', 'data-state': 'not-available' },
    h('strong', {}, `${what} is not available`), ' on this gateway (the endpoint answered 404). ',
    'It comes with a newer Tollgate version.');
}

export function errorBox(e) {
  return notice(e && e.message ? e.message : String(e), 'error');
}

/** A table from column specs [{label, value: row => node|text, num}] with a caption for screen readers. */
export function table(caption, columns, rows, { empty = 'Nothing yet.' } = {}) {
  if (!rows.length) return h('p.muted', {}, empty);
  return h('div.table-wrap', {}, h('table', {},
    h('caption.visually-hidden', {}, caption),
    h('thead', {}, h('tr', {}, columns.map((c) => h(`th${c.num ? '.num' : ''}`, { scope: 'col' }, c.label)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, columns.map((c) => h(`td${c.num ? '.num' : ''}`, {}, c.value(r))))))));
}

export function badge(text, kind) {
  return h(`span.badge.${kind}`, {}, text);
}

/** A budget bar: fraction used of a budget (null: no budget). */
export function meter(fraction, label) {
  if (fraction === null || fraction === undefined) return h('span.muted', {}, 'no budget');
  const pct = Math.max(0, fraction * 100);
  const cls = pct >= 100 ? '.over' : pct >= 80 ? '.high' : '';
  const bar = h('span');
  // Through the CSSOM: the console's CSP allows no inline style attributes.
  bar.style.width = `${Math.min(100, pct)}%`;
  return h(`div.meter${cls}`, { role: 'meter', 'aria-valuemin': '0', 'aria-valuemax': '100',
    'aria-valuenow': pct.toFixed(1), 'aria-label': label, title: `${pct.toFixed(1)}%` }, bar);
}

export const usd = (v) => {
  const n = Number(v);
  if (!Number.isFinite(n)) return '—';
  if (n !== 0 && Math.abs(n) < 0.001) return `$${n.toPrecision(2)}`;
  // Cents, and up to four decimals below a dollar: a few requests' cost is not "$0.00".
  return Math.abs(n) >= 1 ? `$${n.toFixed(2)}` : `$${n.toFixed(4).replace(/(\.\d\d\d*?)0+$/, '$1')}`;
};
export const count = (v) => (v === undefined || v === null ? '—' : Number(v).toLocaleString('en-US'));
export const ms = (v) => (v === undefined || v === null ? '—' : `${Math.round(Number(v)).toLocaleString('en-US')} ms`);

/** Disables a button while an async action runs and reports its failure into `status`. */
export async function busy(btn, status, fn) {
  btn.disabled = true;
  try {
    return await fn();
  } catch (e) {
    if (status) clear(status, errorBox(e));
    return undefined;
  } finally {
    btn.disabled = false;
  }
}

/** Number from an input; blank is null (unlimited in the admin API). */
export function numberOf(el) {
  const v = el.value.trim();
  return v === '' ? null : Number(v);
}

export const list = (s) => s.split(',').map((x) => x.trim()).filter(Boolean);

export function todayUtc() {
  return new Date().toISOString().slice(0, 10);
}

export function daysAgoUtc(n) {
  return new Date(Date.now() - n * 86400000).toISOString().slice(0, 10);
}
