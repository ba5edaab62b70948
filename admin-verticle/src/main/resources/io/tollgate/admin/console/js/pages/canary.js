// A model's canary: roll a new routing version out to a share of tenants (or named tenants),
// promote it to everyone, or roll it back.

import { admin, modelPath } from '../api.js';
import { h, clear, field, input, number, select, button, busy, list, numberOf } from '../ui.js';

export const POLICIES = ['priority', 'weighted', 'least-latency', 'epsilon-greedy', 'ucb1', 'thompson', 'rules'];

export function renderCanary(section, model, saved) {
  const status = h('div', { 'aria-live': 'polite' });
  const c = model.canary || {};
  const percent = number({ min: '0', max: '100', step: 'any', value: c.percent ?? '', name: 'canary-percent' });
  const tenants = input({ value: (c.tenants || []).join(', '), name: 'canary-tenants' });
  const policy = select([['', '(the model\'s)'], ...POLICIES.map((p) => [p, p])], { value: c.policy || '',
    name: 'canary-policy' });
  const weights = (model.deployments || []).map((d) => [d.id, number({ step: '1', value: c.weights?.[d.id] ?? '',
    'data-deployment': d.id })]);
  const base = `/admin/v1/models/${modelPath(model.name)}/canary`;
  const roll = h('button', { type: 'submit' }, c.percent !== undefined || c.tenants ? 'Update canary' : 'Start canary');
  const form = h('form', { 'aria-labelledby': 'canary-title', on: { submit: (ev) => {
    ev.preventDefault();
    busy(roll, status, async () => {
      const body = {};
      if (numberOf(percent) !== null) body.percent = numberOf(percent);
      if (tenants.value.trim()) body.tenants = list(tenants.value);
      if (policy.value) body.policy = policy.value;
      const w = Object.fromEntries(weights.filter(([, el]) => el.value !== '').map(([id, el]) => [id, Number(el.value)]));
      if (Object.keys(w).length) body.weights = w;
      await saved(await admin('PUT', base, body));
    });
  } } },
  h('h2#canary-title', {}, `Canary of ${model.name}`),
  h('p.muted', {}, model.canary ? 'A canary is running.' : 'No canary: every tenant gets the routing above.'),
  h('div.fields', {}, field('Share of tenants, %', percent), field('Tenant ids (comma-separated)', tenants),
    field('Canary policy', policy)),
  h('fieldset.fields', {}, h('legend', {}, 'Weights under the canary'),
    weights.map(([id, el]) => field(id, el))),
  h('div.actions', {}, roll,
    model.canary ? button('Promote to everyone', (ev) => busy(ev.target, status, async () => {
      await saved(await admin('POST', `${base}/promote`), `Canary of ${model.name} promoted: every tenant on it.`);
    }), 'secondary') : null,
    model.canary ? button('Roll back', (ev) => busy(ev.target, status, async () => {
      await admin('DELETE', base);
      await saved(model, `Canary of ${model.name} rolled back: every tenant on the stable routing.`);
    }), 'danger') : null), status);
  clear(section, form);
}
