// The model process dying under the server (OOM killer, a crash in native code): the request it was
// computing gets a 500 saying so, the queued ones a 503 with Retry-After (they never ran: a load
// balancer retries them elsewhere), /health and /ready say 503, and `albert-serve` exits 1 so the
// orchestrator restarts it. Real processes, the model process killed with SIGKILL.
import { describe, expect, it } from 'vitest';
import { alive, modelProcessOf, startOneAtATime } from './helpers/cli.js';
import { fixture, metric, postJson, startServer } from './helpers/server.js';

const TASK = 'text-classification';

describe('the model process dies', () => {
  it('albert-serve: the computing request 500, the queued ones 503, then exit 1', async () => {
    const { child, url, logs, exit } = await startOneAtATime(fixture('tiny-seqcls'));
    const model = modelProcessOf(child.pid as number);
    // held still so that one request is computing and two are queued when it dies
    process.kill(model, 'SIGSTOP');
    const answers = Promise.all(['one', 'two', 'three'].map((t) => postJson(`${url}/v1/${TASK}`, { inputs: t })));
    while ((await metric(url, 'albert_queue_depth')) < 2) await new Promise((r) => setTimeout(r, 20));
    process.kill(model, 'SIGKILL');
    const [computing, ...queued] = await answers;
    expect(computing?.status).toBe(500);
    expect(computing?.json.code).toBe('internal');
    expect(computing?.json.error).toMatch(
      /the model process died \(SIGKILL\) while computing the request; retry on another replica/,
    );
    for (const q of queued) {
      expect(q.status).toBe(503);
      expect(q.json.code).toBe('shutting-down');
      expect(q.json.error).toMatch(
        /the model process died \(SIGKILL\); this replica is stopping: retry on another one/,
      );
      expect(q.headers.get('retry-after')).toBe('1');
    }
    expect(await exit).toEqual({ code: 1, signal: null });
    const died = logs.find((l) => l.msg === 'the model process died: the server cannot answer any more');
    expect(died).toMatchObject({ reason: 'the model process died (SIGKILL)', queued: 2 });
    expect(alive(model)).toBe(false);
  }, 300_000); // a process start on a loaded machine; nothing here is timed

  it('createServer: /health and /ready 503, new requests refused with the reason, `failure` resolves', async () => {
    const { server, url } = await startServer({ task: TASK, model: fixture('tiny-seqcls'), worker: true });
    expect((await postJson(`${url}/v1/${TASK}`, { inputs: 'fine' })).status).toBe(200);
    const model = modelProcessOf(process.pid);
    process.kill(model, 'SIGKILL');
    const err = await server.failure;
    expect(err.message).toMatch(/the model process died \(SIGKILL\)/);
    expect(server.state).toBe('failed');
    const [health, ready] = await Promise.all([fetch(`${url}/health`), fetch(`${url}/ready`)]);
    expect([health.status, await health.json()]).toEqual([503, { status: 'failed' }]);
    expect(ready.status).toBe(503);
    expect((await ready.json()).status).toBe('failed');
    const after = await postJson(`${url}/v1/${TASK}`, { inputs: 'anyone there?' });
    expect(after.status).toBe(500);
    expect(after.json.error).toMatch(
      /this server cannot answer: the model process died \(SIGKILL\); see the server log, and send the request to another replica/,
    );
    expect(await metric(url, 'albert_ready')).toBe(0);
  }, 300_000);
});
