// One editor for the limits a tenant (under "limits") and a key (top-level fields) share:
// rpm, tpm, token quotas and USD budgets. A blank field means unlimited.

import { h, field, number, numberOf, usd, meter } from '../ui.js';

const PERIODS = ['daily', 'monthly', 'total'];

export function limitsEditor(current = {}, idPrefix = 'lim') {
  const q = current.token_quota || {};
  const b = current.budget_usd || {};
  const rpm = number({ id: `${idPrefix}-rpm`, step: '1', value: current.rpm ?? '' });
  const tpm = number({ id: `${idPrefix}-tpm`, step: '1', value: current.tpm ?? '' });
  const quota = Object.fromEntries(PERIODS.map((p) => [p, number({ id: `${idPrefix}-quota-${p}`, step: '1',
    value: q[p] ?? '' })]));
  const budget = Object.fromEntries(PERIODS.map((p) => [p, number({ id: `${idPrefix}-budget-${p}`, step: '0.01',
    value: b[p] ?? '' })]));
  const el = h('fieldset.fields', {}, h('legend', {}, 'Limits (blank: unlimited)'),
    field('Requests / minute', rpm), field('Tokens / minute', tpm),
    PERIODS.map((p) => field(`Token quota, ${p}`, quota[p])),
    PERIODS.map((p) => field(`Budget USD, ${p}`, budget[p])));

  function periods(inputs) {
    const out = {};
    for (const p of PERIODS) out[p] = numberOf(inputs[p]);
    return PERIODS.some((p) => out[p] !== null) ? out : null;
  }

  /** The limits as the admin API spells them (null for unlimited). */
  el.value = () => ({ rpm: numberOf(rpm), tpm: numberOf(tpm), token_quota: periods(quota), budget_usd: periods(budget) });
  return el;
}

/** "rpm 60 · $5/day" */
export function limitsSummary(l = {}) {
  const parts = [];
  if (l.rpm != null) parts.push(`rpm ${l.rpm}`);
  if (l.tpm != null) parts.push(`tpm ${l.tpm}`);
  const b = l.budget_usd || {};
  if (b.daily != null) parts.push(`$${b.daily}/day`);
  if (b.monthly != null) parts.push(`$${b.monthly}/month`);
  if (b.total != null) parts.push(`$${b.total} total`);
  const q = l.token_quota || {};
  for (const p of PERIODS) if (q[p] != null) parts.push(`${q[p]} tokens ${p}`);
  return parts.length ? parts.join(' · ') : 'unlimited';
}

/** Spend of a period against its budget, from a /spend answer. */
export function spendCell(spend, period = 'daily') {
  if (!spend) return h('span.muted', {}, '—');
  if (spend.budget_usd[period] == null) {
    return h('div', {}, usd(spend.spend_usd[period]), h('div.muted', {}, 'no budget'));
  }
  return h('div', {}, `${usd(spend.spend_usd[period])} of ${usd(spend.budget_usd[period])}`,
    meter(spend.used[period], `${period} budget used`));
}
