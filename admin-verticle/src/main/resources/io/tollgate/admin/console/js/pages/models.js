// Models: deployments, prices, capabilities, routing policy and its parameters; canary below.
// Saving PUTs the whole model as fetched with the edits applied, so fields this page does not
// show (timeouts, mock options, masked credentials sent back as ********) stay as stored.

import { admin, get, modelPath } from '../api.js';
import { h, clear, field, input, number, select, table, button, busy, errorBox, notice, list, numberOf } from '../ui.js';
import { renderCanary, POLICIES } from './canary.js';

const DEPLOYMENT_FIELDS = [
  ['id', 'Id', 'text'], ['provider', 'Provider', 'text'], ['upstream_model', 'Upstream model', 'text'],
  ['base_url', 'Base URL', 'text'], ['weight', 'Weight', 'int'], ['priority', 'Priority', 'int'],
  ['input_price_per_mtok', 'Input $/Mtok', 'num'], ['output_price_per_mtok', 'Output $/Mtok', 'num'],
  ['cached_input_price_per_mtok', 'Cached input $/Mtok', 'num'], ['capabilities', 'Capabilities', 'list'],
];

function deploymentEditor(d, index, onRemove) {
  const controls = {};
  const fields = DEPLOYMENT_FIELDS.map(([key, label, kind]) => {
    const value = kind === 'list' ? (d[key] || []).join(', ') : d[key] ?? '';
    const control = kind === 'text' || kind === 'list'
      ? input({ value, 'data-field': key, placeholder: kind === 'list' ? 'e.g. tools, vision' : '' })
      : number({ value, step: kind === 'int' ? '1' : 'any', 'data-field': key });
    controls[key] = [control, kind];
    return field(label, control);
  });
  const el = h('fieldset.card.fields', { 'data-deployment': index }, h('legend', {}, `Deployment ${index + 1}`), fields,
    button('Remove', onRemove, 'danger', { 'aria-label': `Remove deployment ${index + 1}` }));
  el.apply = (target) => {
    for (const [key, [control, kind]] of Object.entries(controls)) {
      const v = kind === 'list' ? list(control.value) : kind === 'text' ? control.value.trim() : numberOf(control);
      if (v === null || v === '' || (Array.isArray(v) && !v.length)) delete target[key];
      else target[key] = v;
    }
    return target;
  };
  return el;
}

function editor(container, model, isNew, done) {
  const status = h('div', { 'aria-live': 'polite' });
  const draft = structuredClone(model);
  const name = input({ value: draft.name, required: true, readonly: !isNew, name: 'model-name' });
  const aliases = input({ value: (draft.aliases || []).join(', '), name: 'model-aliases' });
  const policy = select(POLICIES, { value: draft.policy || 'priority', name: 'model-policy' });
  const routing = h('textarea', { name: 'model-routing', rows: '4', spellcheck: 'false' },
    JSON.stringify(draft.routing || {}, null, 2));
  const deployments = h('div');
  let editors = [];
  const redraw = () => {
    editors = (draft.deployments || []).map((d, i) => deploymentEditor(d, i, () => {
      collect();
      draft.deployments.splice(i, 1);
      redraw();
    }));
    clear(deployments, editors);
  };
  const collect = () => {
    draft.deployments = editors.map((e, i) => e.apply(draft.deployments[i]));
  };
  redraw();
  const save = h('button', { type: 'submit' }, isNew ? 'Create model' : 'Save model');
  const form = h('form', { 'aria-labelledby': 'model-editor-title', on: { submit: onSave } },
    h('h2#model-editor-title', { tabindex: '-1' }, isNew ? 'New model' : `Model ${model.name}`),
    h('div.fields', {}, field('Name', name), field('Aliases (comma-separated)', aliases), field('Routing policy', policy)),
    field('Routing parameters (JSON, e.g. {"retries": 1, "budget_ms": 30000})', routing, { wide: true }),
    h('h3', {}, 'Deployments and prices'), deployments,
    h('div.actions', {}, button('Add deployment', () => {
      collect();
      draft.deployments = [...(draft.deployments || []), { id: '', provider: 'mock' }];
      redraw();
      deployments.lastElementChild?.querySelector('input')?.focus();
    }, 'secondary'), save), status);
  clear(container, form);

  async function onSave(ev) {
    ev.preventDefault();
    await busy(save, status, async () => {
      collect();
      let params;
      try {
        params = JSON.parse(routing.value.trim() || '{}');
      } catch (e) {
        throw new Error(`Routing parameters are not valid JSON: ${e.message}`);
      }
      const body = { ...draft, name: name.value.trim(), aliases: list(aliases.value), policy: policy.value };
      if (Object.keys(params).length) body.routing = params;
      else delete body.routing;
      const saved = isNew ? await admin('POST', '/admin/v1/models', body)
        : await admin('PUT', `/admin/v1/models/${modelPath(model.name)}`, body);
      await done(saved || body);
    });
  }
}

export async function render(main, params) {
  const status = h('div', { 'aria-live': 'polite' });
  const listBox = h('div');
  const detail = h('section.card', { 'aria-live': 'polite' });
  const canary = h('section.card');
  clear(main, h('h1', {}, 'Models'), status, listBox, h('p', {}, button('New model', () => {
    canary.replaceChildren();
    editor(detail, { name: '', policy: 'priority', deployments: [{ id: '', provider: 'mock' }] }, true, saved);
    detail.querySelector('h2').focus();
  }, 'secondary')), detail, canary);

  async function saved(model, message = `Model ${model.name} saved; every node applies it within a second.`) {
    clear(status, notice(message));
    await refresh();
    await open(model.name);
  }

  async function open(name) {
    try {
      const model = await get(`/admin/v1/models/${modelPath(name)}`);
      history.replaceState(null, '', `#/models/${encodeURIComponent(name)}`);
      editor(detail, model, false, saved);
      renderCanary(canary, model, saved);
    } catch (e) {
      clear(detail, errorBox(e));
    }
  }

  async function refresh() {
    try {
      const models = (await get('/admin/v1/models')).data;
      clear(listBox, table('Models', [
        { label: 'Name', value: (m) => h('strong', {}, m.name) },
        { label: 'Aliases', value: (m) => (m.aliases || []).join(', ') },
        { label: 'Policy', value: (m) => m.policy || 'priority' },
        { label: 'Deployments', value: (m) => (m.deployments || []).map((d) => `${d.id} (${d.provider})`).join(', ') },
        { label: 'Canary', value: (m) => (m.canary ? `${m.canary.percent ?? 0}%` : '—') },
        { label: 'Actions', value: (m) => button('Edit', async () => {
          await open(m.name);
          detail.querySelector('h2')?.focus();
        }, 'secondary', { 'aria-label': `Edit ${m.name}` }) },
      ], models, { empty: 'No models yet.' }));
    } catch (e) {
      clear(listBox, errorBox(e));
    }
  }

  await refresh();
  if (params[0]) await open(params[0]);
}
