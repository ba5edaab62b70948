// Embeddings (OpenAI shape: data[{index, embedding}]) shown as a cosine-similarity matrix, and
// rerank (Cohere shape: results[{index, relevance_score, document}]) as sorted scores. A gateway
// without these endpoints answers 404: the panel says "not available".

import { gateway, ApiError } from '../api.js';
import { h, clear, field, select, errorBox, unavailable, ms, count } from '../ui.js';

function cosine(a, b) {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

function lines(textarea) {
  return textarea.value.split('\n').map((s) => s.trim()).filter(Boolean);
}

function failure(e, what) {
  return e instanceof ApiError && e.status === 404 && e.code !== 'model_not_found' ? unavailable(what) : errorBox(e);
}

function facts(pairs) {
  return h('dl.facts', {}, pairs.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

/** Blue for similar, white for unrelated: lightness from the score, light text on the dark cells. */
function paint(cell, v) {
  const l = Math.round(97 - Math.max(0, v) * 50);
  cell.style.background = `hsl(215 70% ${l}%)`;
  cell.style.color = l < 65 ? '#fff' : 'inherit';
}

export function embeddingsPanel(ctx) {
  const model = select(ctx.models.length ? ctx.models : [''], { name: 'embeddings-model' });
  const texts = h('textarea', { name: 'embeddings-input', rows: '5' }, 'The cat sat on the mat.\nA kitten rested on a rug.\nQuarterly revenue grew 8%.');
  const send = h('button', { type: 'submit' }, 'Embed');
  const out = h('div', { 'aria-live': 'polite' });
  return h('form', { 'aria-label': 'Embeddings', on: { submit: async (ev) => {
    ev.preventDefault();
    send.disabled = true;
    const input = lines(texts);
    const started = performance.now();
    try {
      const res = await gateway(ctx.url(), ctx.key(), '/v1/embeddings', { model: model.value, input });
      const answer = await res.json();
      const latency = performance.now() - started;
      const vectors = [...answer.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
      const matrix = h('table.heat', {}, h('caption', {}, 'Cosine similarity between the inputs'),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, ''), input.map((_, j) => h('th', { scope: 'col' }, `#${j + 1}`)))),
        h('tbody', {}, vectors.map((a, i) => h('tr', {}, h('th', { scope: 'row', title: input[i] }, `#${i + 1} ${input[i].slice(0, 40)}`),
          vectors.map((b) => {
            const v = cosine(a, b);
            const cell = h('td.cell', {}, v.toFixed(3));
            paint(cell, v);
            return cell;
          })))));
      clear(out, facts([['Latency', ms(latency)], ['Dimensions', count(vectors[0]?.length)],
        ['Tokens', count(answer.usage?.prompt_tokens ?? answer.usage?.total_tokens)]]), h('div.table-wrap', {}, matrix));
    } catch (e) {
      clear(out, failure(e, 'Embeddings (/v1/embeddings)'));
    } finally {
      send.disabled = false;
    }
  } } }, h('div.fields', {}, field('Model', model)), field('Texts, one per line', texts, { wide: true }),
  h('p', {}, send), out);
}

export function rerankPanel(ctx) {
  const model = select(ctx.models.length ? ctx.models : [''], { name: 'rerank-model' });
  const queryText = h('textarea', { name: 'rerank-query', rows: '2' }, 'Where did the cat sleep?');
  const docs = h('textarea', { name: 'rerank-documents', rows: '5' }, 'The cat slept on the mat.\nStocks fell on Monday.\nA dog barked at the mailman.');
  const send = h('button', { type: 'submit' }, 'Rerank');
  const out = h('div', { 'aria-live': 'polite' });
  return h('form', { 'aria-label': 'Rerank', on: { submit: async (ev) => {
    ev.preventDefault();
    send.disabled = true;
    const documents = lines(docs);
    const started = performance.now();
    try {
      const res = await gateway(ctx.url(), ctx.key(), '/v1/rerank', { model: model.value, query: queryText.value,
        documents });
      const answer = await res.json();
      const latency = performance.now() - started;
      const results = [...(answer.results || [])].sort((a, b) => b.relevance_score - a.relevance_score);
      const text = (r) => (typeof r.document === 'string' ? r.document : r.document?.text) ?? documents[r.index];
      clear(out, facts([['Latency', ms(latency)], ['Tokens', count(answer.usage?.total_tokens
        ?? answer.meta?.billed_units?.search_units)]]),
      h('ol', { 'aria-label': 'Documents by relevance' }, results.map((r) => {
        const bar = h('span');
        bar.style.width = `${Math.max(0, Math.min(1, r.relevance_score)) * 100}%`;
        return h('li', {}, h('strong', {}, r.relevance_score.toFixed(4)), ` #${r.index + 1} `, text(r),
          h('div.meter', { 'aria-hidden': 'true' }, bar));
      })));
    } catch (e) {
      clear(out, failure(e, 'Rerank (/v1/rerank)'));
    } finally {
      send.disabled = false;
    }
  } } }, h('div.fields', {}, field('Model', model)), field('Query', queryText, { wide: true }),
  field('Documents, one per line', docs, { wide: true }), h('p', {}, send), out);
}
