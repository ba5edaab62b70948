// A tenant's API keys: create (the secret is shown once), disable, rotate, limits, spend against budget.

import { admin, get } from '../api.js';
import { h, clear, field, input, table, button, badge, busy, errorBox, notice, list } from '../ui.js';
import { limitsEditor, limitsSummary, spendCell } from './limits.js';

const path = (k) => `/admin/v1/keys/${encodeURIComponent(k.id)}`;

/** The one moment a secret is visible: a copy button, and a warning that it will not come back. */
function secretBox(title, secret) {
  const code = h('code', { 'data-secret': 'true' }, secret);
  const copied = h('span.muted', { 'aria-live': 'polite' });
  return h('div.secret', { role: 'region', 'aria-label': title }, h('strong', {}, `${title}:`), code,
    h('button.secondary', { type: 'button', on: { click: async () => {
      try {
        await navigator.clipboard.writeText(secret);
        copied.textContent = 'Copied.';
      } catch (e) {
        copied.textContent = 'Copy blocked by the browser: select the text.';
      }
    } } }, 'Copy'),
    h('span', {}, 'Store it now: it cannot be shown again.'), copied);
}

export async function renderKeys(section, tenant) {
  const status = h('div', { 'aria-live': 'polite' });
  const tableBox = h('div');
  const name = input({ name: 'key-name', required: true, autocomplete: 'off' });
  const models = input({ name: 'key-models', placeholder: 'all models' });
  const expires = input({ type: 'datetime-local', name: 'key-expires' });
  const limits = limitsEditor({}, 'new-key');
  const create = h('button', { type: 'submit' }, 'Create key');
  const form = h('form.card', { 'aria-labelledby': 'new-key-title', on: { submit: onCreate } },
    h('h3#new-key-title', {}, `New key for ${tenant.name}`),
    h('div.fields', {}, field('Key name', name), field('Models (comma-separated)', models),
      field('Expires (UTC)', expires)), limits, h('p', {}, create));
  clear(section, h('h2#keys-title', { tabindex: '-1' }, `Keys of ${tenant.name}`), status, tableBox, form);

  async function refresh() {
    try {
      const keys = (await get(`/admin/v1/keys?tenant_id=${encodeURIComponent(tenant.id)}`)).data;
      const spends = await Promise.all(keys.map((k) => get(`${path(k)}/spend`).catch(() => null)));
      const rows = keys.map((k, i) => ({ ...k, spend: spends[i] }));
      clear(tableBox, table(`Keys of ${tenant.name}`, [
        { label: 'Name', value: (k) => h('strong', {}, k.name) },
        { label: 'Key', value: (k) => h('code', {}, k.key_hint) },
        { label: 'State', value: (k) => (k.enabled ? badge('enabled', 'ok') : badge('disabled', 'bad')) },
        { label: 'Models', value: (k) => (k.models && k.models.length ? k.models.join(', ') : 'all') },
        { label: 'Limits', value: (k) => limitsSummary(k) },
        { label: 'Spend today', value: (k) => spendCell(k.spend, 'daily') },
        { label: 'Spend this month', value: (k) => spendCell(k.spend, 'monthly') },
        { label: 'Actions', value: (k) => h('div.actions', {},
          button(k.enabled ? 'Disable' : 'Enable', (ev) => busy(ev.target, status, async () => {
            await admin('PATCH', path(k), { enabled: !k.enabled });
            await refresh();
          }), k.enabled ? 'danger' : 'secondary', { 'aria-label': `${k.enabled ? 'Disable' : 'Enable'} key ${k.name}` }),
          button('Rotate', (ev) => busy(ev.target, status, async () => {
            if (!window.confirm(`Give ${k.name} a new secret? The old one stops working at once.`)) return;
            const rotated = await admin('POST', `${path(k)}/rotate`);
            clear(status, secretBox(`New secret of ${k.name}`, rotated.key));
            await refresh();
          }), 'secondary', { 'aria-label': `Rotate key ${k.name}` }),
          button('Limits', () => editLimits(k), 'secondary', { 'aria-label': `Limits of key ${k.name}` })) },
      ], rows, { empty: 'No keys yet.' }));
    } catch (e) {
      clear(tableBox, errorBox(e));
    }
  }

  function editLimits(k) {
    const editor = limitsEditor(k, `key-${k.id}`);
    const save = h('button', { type: 'submit' }, 'Save limits');
    const box = h('form.card', { 'aria-labelledby': 'edit-key-limits', on: { submit: async (ev) => {
      ev.preventDefault();
      await busy(save, status, async () => {
        await admin('PATCH', path(k), editor.value());
        clear(status, notice(`Limits of key ${k.name} saved.`));
        box.remove();
        await refresh();
      });
    } } }, h('h3#edit-key-limits', { tabindex: '-1' }, `Limits of key ${k.name}`), editor,
    h('div.actions', {}, save, button('Cancel', () => box.remove(), 'secondary')));
    tableBox.after(box);
    box.querySelector('h3').focus();
  }

  async function onCreate(ev) {
    ev.preventDefault();
    await busy(create, status, async () => {
      const body = { tenant_id: tenant.id, name: name.value.trim(), ...limits.value() };
      if (models.value.trim()) body.models = list(models.value);
      if (expires.value) body.expires_at = new Date(`${expires.value}Z`).toISOString();
      const key = await admin('POST', '/admin/v1/keys', body);
      clear(status, secretBox(`Secret of ${key.name}`, key.key));
      name.value = '';
      await refresh();
      status.querySelector('button')?.focus();
    });
  }

  await refresh();
}
