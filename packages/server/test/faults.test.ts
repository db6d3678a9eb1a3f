// The classic failures, each with the status it must get and the server still serving after it:
// malformed JSON, wrong types, empty inputs, a 10 MB body, a very slow client, a client aborting
// mid-request, a burst beyond the queue, a request past its timeout, an input longer than the model.
import { connect } from 'node:net';
import { pipeline } from 'albert-ts';
import { describe, expect, it } from 'vitest';
import { fixture, metric, postJson, startServer } from './helpers/server.js';

const MODEL = fixture('tiny-seqcls');
const TASK = 'text-classification';

async function stillServes(url: string): Promise<void> {
  const res = await postJson(`${url}/v1/${TASK}`, { inputs: 'Still here?' });
  expect(res.status).toBe(200);
  expect(res.json[0].label).toMatch(/^LABEL_[012]$/);
}

describe('bad requests get a 400 that says what was wrong', () => {
  it.each([
    ['malformed JSON', '{"inputs": "a"', /not valid JSON/],
    [
      'a number as input',
      { inputs: 42 },
      /body\.inputs must be a non-empty string .*\(body\.inputs must be a string, got a number\)/,
    ],
    ['a wrong item type', { inputs: ['a', 5] }, /body\.inputs\[1\] must be a string, got a number/],
    ['an empty string', { inputs: '' }, /body\.inputs must be a non-empty string/],
    ['only spaces', { inputs: '   ' }, /body\.inputs must not be empty or only spaces/],
    ['an empty array', { inputs: [] }, /body\.inputs must have at least 1 item/],
    ['no inputs', { parameters: {} }, /body is missing 'inputs'/],
    ['not an object', '"hello"', /body must be an object, got a string/],
    ['a wrong parameter type', { inputs: 'a', parameters: { top_k: 'two' } }, /body\.parameters\.top_k/],
    [
      'an unknown parameter',
      { inputs: 'a', parameters: { temperature: 1 } },
      /unknown property 'temperature' \(allowed: topK, top_k/,
    ],
    [
      'a bad enum value',
      { inputs: 'a', parameters: { function_to_apply: 'relu' } },
      /must be one of "softmax", "sigmoid", "none", got "relu"/,
    ],
    ['too many inputs', { inputs: Array.from({ length: 65 }, () => 'a') }, /has 65 items; at most 64 are allowed/],
  ])('%s', async (_name, body, message) => {
    const { url } = await startServer({ task: TASK, model: MODEL });
    const res = await postJson(`${url}/v1/${TASK}`, body);
    expect(res.status).toBe(400);
    expect(res.json.code).toBe('bad-request');
    expect(res.json.error).toMatch(message);
    await stillServes(url);
  });

  it('a body that is not JSON: 415; an unknown route: 404 naming the routes', async () => {
    const { url } = await startServer({ task: TASK, model: MODEL });
    const text = await fetch(`${url}/v1/${TASK}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hi',
    });
    expect(text.status).toBe(415);
    const missing = await postJson(`${url}/v1/fill-mask`, { inputs: 'a' });
    expect(missing.status).toBe(404);
    expect(missing.json.error).toMatch(/this server has POST \/v1\/text-classification, GET \/health/);
    await stillServes(url);
  });
});

describe('limits', () => {
  it('a 10 MB body: 413, and nothing is parsed', async () => {
    const { url } = await startServer({ task: TASK, model: MODEL });
    const big = JSON.stringify({ inputs: 'a'.repeat(10 * 1024 * 1024) });
    const res = await postJson(`${url}/v1/${TASK}`, big);
    expect(res.status).toBe(413);
    expect(res.json.code).toBe('payload-too-large');
    expect(res.json.error).toMatch(/larger than this server's limit of 1048576 bytes/);
    await stillServes(url);
  });

  it('an input longer than the model is truncated as the pipeline does (200, never a crash)', async () => {
    const { url } = await startServer({ task: TASK, model: MODEL });
    const long = 'Alice was beginning to get very tired of sitting by her sister on the bank. '.repeat(40);
    const res = await postJson(`${url}/v1/${TASK}`, { inputs: long, parameters: { top_k: null } });
    expect(res.status).toBe(200);
    const alone = await pipeline(TASK, MODEL, { warn: () => {} });
    try {
      const ref = await alone(long, { topK: null });
      expect(res.json.map((r: { label: string }) => r.label)).toEqual(ref.map((r) => r.label));
      expect(res.json[0].score).toBeCloseTo(ref[0]!.score, 5);
    } finally {
      alone.dispose();
    }
    expect(await metric(url, 'albert_tokens_total')).toBe(64); // the model's length
  });

  it('a very slow client gets a 408 after the read timeout while the others are served', async () => {
    const { url } = await startServer({ task: TASK, model: MODEL, readTimeoutMs: 600 });
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname);
    const answer = new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (d) => (text += d));
      socket.on('close', () => resolve(text));
      socket.on('error', () => resolve(text));
    });
    const body = JSON.stringify({ inputs: 'slow' });
    socket.write(
      `POST /v1/${TASK} HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`,
    );
    await stillServes(url); // while the slow client stalls
    const text = await answer;
    expect(text).toMatch(/^HTTP\/1\.1 408/);
    await stillServes(url);
  });

  it('a client aborting mid-request has its queued work dropped', async () => {
    const { url } = await startServer({ task: TASK, model: MODEL, maxWaitMs: 1500 });
    const abort = new AbortController();
    const gone = fetch(`${url}/v1/${TASK}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: 'I will not wait.' }),
      signal: abort.signal,
    }).catch((e: unknown) => e);
    const kept = postJson(`${url}/v1/${TASK}`, { inputs: 'I will.' });
    while ((await metric(url, 'albert_queue_depth')) < 2) await new Promise((r) => setTimeout(r, 20));
    abort.abort();
    expect(await gone).toBeInstanceOf(Error);
    expect((await kept).status).toBe(200);
    expect(await metric(url, 'albert_dropped_requests_total', { reason: 'client-closed' })).toBe(1);
    expect(await metric(url, 'albert_batch_size_sum')).toBe(1); // only the request that stayed ran
    await stillServes(url);
  });

  it('a burst beyond the queue: the queue takes maxQueue, the rest get 503 with Retry-After', async () => {
    const { url } = await startServer({ task: TASK, model: MODEL, maxQueue: 4, maxWaitMs: 1500, maxBatchSize: 64 });
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => postJson(`${url}/v1/${TASK}`, { inputs: `burst ${i}` })),
    );
    const ok = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status === 503);
    expect([ok.length, refused.length]).toEqual([4, 16]);
    for (const r of refused) {
      expect(r.json.code).toBe('queue-full');
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect(await metric(url, 'albert_requests_total', { status: '503' })).toBe(16);
    expect(await metric(url, 'albert_dropped_requests_total', { reason: 'queue-full' })).toBe(16);
    await stillServes(url);
  });

  it('a request not answered within the timeout gets a 504', async () => {
    const { url } = await startServer({ task: TASK, model: MODEL, maxWaitMs: 2000, requestTimeoutMs: 200 });
    const res = await postJson(`${url}/v1/${TASK}`, { inputs: 'Too slow.' });
    expect(res.status).toBe(504);
    expect(res.json.code).toBe('timeout');
    expect(res.json.error).toMatch(/not answered within 200 ms/);
    expect(await metric(url, 'albert_dropped_requests_total', { reason: 'timeout' })).toBe(1);
    expect(await metric(url, 'albert_batch_size_count')).toBe(0);
  });
});
