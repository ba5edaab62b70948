// Chat through POST /v1/chat/completions with streaming: the text appears as the chunks arrive,
// then time to first token, total latency and token usage.

import { gateway } from '../api.js';
import { h, clear, field, input, number, select, errorBox, ms, count } from '../ui.js';

/** Server-sent events from a fetch body: calls onData with each data payload. */
export async function readSse(body, onData) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let cut;
    while ((cut = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const event = buffer.slice(0, cut);
      buffer = buffer.slice(cut).replace(/^\r?\n\r?\n/, '');
      const data = event.split(/\r?\n/).filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n');
      if (data) onData(data);
    }
  }
}

export function chatPanel(ctx) {
  const model = select(ctx.models.length ? ctx.models : [''], { name: 'chat-model' });
  const system = h('textarea', { name: 'chat-system', rows: '2', placeholder: 'optional' });
  const prompt = h('textarea', { name: 'chat-prompt', rows: '4', required: true }, 'Say hello in five words.');
  const maxTokens = number({ name: 'chat-max-tokens', step: '1', value: '256' });
  const stream = input({ type: 'checkbox', name: 'chat-stream', checked: true, id: 'chat-stream' });
  const send = h('button', { type: 'submit' }, 'Send');
  const stop = h('button.secondary', { type: 'button', disabled: true }, 'Stop');
  const output = h('div.output', { id: 'chat-output', 'aria-live': 'polite', 'aria-label': 'Answer' });
  const stats = h('dl.facts', { id: 'chat-stats' });
  const status = h('div');
  let controller = null;
  stop.addEventListener('click', () => controller?.abort());

  async function onSend(ev) {
    ev.preventDefault();
    clear(output);
    clear(stats);
    clear(status);
    send.disabled = true;
    stop.disabled = false;
    controller = new AbortController();
    const messages = [];
    if (system.value.trim()) messages.push({ role: 'system', content: system.value });
    messages.push({ role: 'user', content: prompt.value });
    const body = { model: model.value, messages, stream: stream.checked };
    if (maxTokens.value) body.max_tokens = Number(maxTokens.value);
    if (stream.checked) body.stream_options = { include_usage: true };
    const started = performance.now();
    let first = null;
    let usage = null;
    let servedBy = null;
    try {
      const res = await gateway(ctx.url(), ctx.key(), '/v1/chat/completions', body, controller.signal);
      servedBy = res.headers.get('x-tollgate-deployment') || res.headers.get('x-request-id');
      if (stream.checked) {
        await readSse(res.body, (data) => {
          if (data === '[DONE]') return;
          const chunk = JSON.parse(data);
          const text = chunk.choices?.[0]?.delta?.content;
          if (text) {
            first ??= performance.now();
            output.append(text);
          }
          if (chunk.usage) usage = chunk.usage;
        });
      } else {
        const answer = await res.json();
        first = performance.now();
        output.append(answer.choices?.[0]?.message?.content ?? '');
        usage = answer.usage;
      }
      output.dataset.done = 'true';
    } catch (e) {
      if (e.name !== 'AbortError') clear(status, errorBox(e));
    } finally {
      const total = performance.now() - started;
      clear(stats, h('dt', {}, 'Time to first token'), h('dd', { 'data-stat': 'ttft' }, first ? ms(first - started) : '—'),
        h('dt', {}, 'Total latency'), h('dd', { 'data-stat': 'latency' }, ms(total)),
        h('dt', {}, 'Tokens'), h('dd', { 'data-stat': 'usage' }, usage
          ? `${count(usage.prompt_tokens)} prompt + ${count(usage.completion_tokens)} completion` : '—'),
        servedBy ? [h('dt', {}, 'Request'), h('dd', {}, h('code', {}, servedBy))] : null);
      send.disabled = false;
      stop.disabled = true;
    }
  }

  return h('form', { 'aria-label': 'Chat', on: { submit: onSend } },
    h('div.fields', {}, field('Model', model), field('Max tokens', maxTokens),
      h('div.field', {}, h('span.label', {}, 'Streaming'), h('label', { for: 'chat-stream' }, stream, ' stream the answer'))),
    field('System prompt', system, { wide: true }), field('Message', prompt, { wide: true }),
    h('div.actions', {}, send, stop), status, h('h3', {}, 'Answer'), output, stats);
}
