import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { ENDPOINT, NOW, NO_CAPTURE, settle, start } from './support/fakes.mjs';

beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: NOW }));
afterEach(() => {
  mock.timers.reset();
  mock.restoreAll();
});

const quiet = (options = {}) => start({ capture: NO_CAPTURE, ...options });
const seqs = (call) => call.body.actions.map((a) => a.seq);

async function tick(ms) {
  mock.timers.tick(ms);
  await settle();
}

test('sends a batch as soon as batch.maxActions actions wait', async () => {
  const { w, logger } = quiet({ batch: { maxActions: 3 } });
  logger.log('a');
  logger.log('b');
  await settle();
  assert.equal(w.calls.length, 0);
  logger.log('c');
  await settle();
  assert.equal(w.calls.length, 1);
  assert.deepEqual(
    w.calls[0].body.actions.map((a) => a.type),
    ['a', 'b', 'c'],
  );
});

test('sends when the waiting bytes reach batch.maxBytes, every body within maxBytes', async () => {
  const { w, logger } = quiet({ batch: { maxActions: 1000, maxBytes: 4000 } });
  for (let i = 0; i < 20; i++) logger.log('big', { pad: 'x'.repeat(500) });
  await settle();
  assert.ok(w.calls.length >= 3, `${w.calls.length} calls`);
  for (const c of w.calls) assert.ok(Buffer.byteLength(c.init.body) <= 4000, `${Buffer.byteLength(c.init.body)} bytes`);
  await logger.flush();
  assert.deepEqual(
    w.sent().map((a) => a.seq),
    Array.from({ length: 20 }, (_, i) => i + 1),
  );
});

test('sends what waits after batch.maxDelayMs', async () => {
  const { w, logger } = quiet({ batch: { maxDelayMs: 2000 } });
  logger.log('a');
  await tick(1999);
  assert.equal(w.calls.length, 0);
  await tick(1);
  assert.equal(w.calls.length, 1);
});

test('a request is a text/plain POST without credentials, keepalive for bodies up to 60 KB', async () => {
  const { w, logger } = quiet();
  logger.log('a');
  await logger.flush();
  const { url, init } = w.calls[0];
  assert.equal(url, ENDPOINT);
  assert.equal(init.method, 'POST');
  assert.deepEqual(init.headers, { 'Content-Type': 'text/plain' });
  assert.equal(init.credentials, 'omit');
  assert.equal(init.keepalive, true);
  assert.equal(typeof init.body, 'string');
});

test('a body over 60 KB goes without keepalive', async () => {
  const { w, logger } = quiet({ batch: { maxBytes: 1e6 } });
  for (let i = 0; i < 10; i++) logger.log('big', { pad: 'x'.repeat(7000) });
  await logger.flush();
  assert.equal(w.calls[0].init.keepalive, false);
});

test('exactly one request is in flight; the next batch goes after the answer', async () => {
  const { w, logger } = quiet({ batch: { maxActions: 2 } });
  w.respond = () => undefined;
  for (let i = 0; i < 6; i++) logger.log('a', { i });
  await tick(10000);
  assert.equal(w.calls.length, 1);
  for (let n = 1; n <= 3; n++) {
    assert.equal(w.calls.length, n);
    w.calls[n - 1].answer({ status: 202 });
    await tick(0);
  }
  assert.equal(w.calls.length, 3);
  assert.deepEqual(w.calls.map(seqs), [
    [1, 2],
    [3, 4],
    [5, 6],
  ]);
  assert.equal(logger.pending(), 0);
});

test('retries network errors, 408, 429 and 5xx with exponential backoff, full jitter between baseMs and the cap', async () => {
  const answers = ['network', { status: 408 }, { status: 429 }, { status: 500 }, { status: 502 }, { status: 504 }, 'network', 'network'];
  for (const [random, delay] of [
    [0, () => 500],
    [1 - 1e-12, (n) => Math.min(30000, 500 * 2 ** n)],
  ]) {
    mock.method(Math, 'random', () => random);
    const { w, logger } = quiet({ retry: { baseMs: 500, maxMs: 30000 } });
    let n = 0;
    w.respond = () => answers[n++] || { status: 202 };
    logger.log('a');
    logger.flush();
    await settle();
    for (let attempt = 1; attempt <= answers.length; attempt++) {
      assert.equal(w.calls.length, attempt);
      await tick(Math.ceil(delay(attempt)) - 1);
      assert.equal(w.calls.length, attempt, `retry ${attempt} came before ${delay(attempt)} ms`);
      await tick(1);
    }
    assert.equal(w.calls.length, answers.length + 1);
    assert.equal(logger.stats().retries, answers.length);
    assert.equal(logger.stats().acknowledged, 1);
    assert.equal(new Set(w.sent().map((a) => a.id)).size, 1, 'the same action each time');
    mock.restoreAll();
  }
});

/** The first answer is `first`, a 503 asking to wait `seconds`: the retry goes then, not a millisecond before. */
async function retriesAfter(first, seconds) {
  const { w, logger } = quiet();
  let n = 0;
  w.respond = () => (n++ ? { status: 202 } : first);
  logger.log('a');
  logger.flush();
  await settle();
  await tick(seconds * 1000 - 1);
  assert.equal(w.calls.length, 1);
  await tick(1);
  assert.equal(w.calls.length, 2);
}

test('honours a Retry-After header in seconds', () =>
  retriesAfter({ status: 503, headers: { 'Retry-After': '7' } }, 7));

test('honours retry_after_s of a 503 body when CORS hides the header', () =>
  retriesAfter({ status: 503, body: { status: 503, error: 'unavailable', retry_after_s: 3 } }, 3));

test('a 400 is not retried: the actions are dropped, counted as rejected, and onError gets the server body', async () => {
  const errors = [];
  const { w, logger } = quiet({ onError: (e) => errors.push(e) });
  const body = { status: 400, error: 'invalid_batch', field: 'actions[0].t', message: 'actions[0].t: must be an integer' };
  w.respond = () => ({ status: 400, body });
  logger.log('a');
  logger.log('b');
  await logger.flush();
  await tick(120000);
  assert.equal(w.calls.length, 1);
  assert.deepEqual(errors, [body]);
  assert.equal(logger.pending(), 0);
  assert.deepEqual(logger.stats(), { sent: 2, acknowledged: 0, dropped: 0, retries: 0, rejected: 2 });
});

test('an onError that throws does not break the logger', async () => {
  const { w, logger } = quiet({
    onError: () => {
      throw new Error('app bug');
    },
  });
  w.respond = () => ({ status: 422, body: 'not json' });
  logger.log('a');
  await logger.flush();
  w.respond = () => ({ status: 202 });
  logger.log('b');
  await logger.flush();
  assert.equal(logger.stats().acknowledged, 1);
});

test('413 splits the batch in half and sends the halves, in order', async () => {
  const { w, logger } = quiet({ batch: { maxActions: 8 } });
  w.respond = (c) => (c.body.actions.length > 2 ? { status: 413, body: { status: 413, error: 'payload_too_large' } } : { status: 202 });
  for (let i = 0; i < 8; i++) logger.log('a');
  await logger.flush();
  assert.deepEqual(w.calls.map((c) => c.body.actions.length), [8, 4, 2, 2, 4, 2, 2]);
  assert.deepEqual(
    w.calls.filter((c) => c.body.actions.length <= 2).flatMap(seqs),
    [1, 2, 3, 4, 5, 6, 7, 8],
  );
  assert.equal(logger.stats().rejected, 0);
  assert.equal(logger.stats().acknowledged, 8);
});

test('a single action refused with 413 is rejected; its batch mates get through', async () => {
  const errors = [];
  const { w, logger } = quiet({ onError: (e) => errors.push(e) });
  w.respond = (c) => (c.body.actions.some((a) => a.data && a.data.huge) ? { status: 413, body: { status: 413, error: 'payload_too_large' } } : { status: 202 });
  logger.log('a');
  logger.log('b', { huge: true });
  logger.log('c');
  await logger.flush();
  assert.equal(logger.stats().rejected, 1);
  assert.equal(logger.stats().acknowledged, 2);
  assert.equal(errors.length, 1);
  assert.equal(errors[0].error, 'payload_too_large');
});

test('flush() resolves once everything queued so far is acknowledged', async () => {
  const { w, logger } = quiet();
  w.respond = () => undefined;
  logger.log('a');
  logger.log('b');
  let done = false;
  logger.flush().then(() => (done = true));
  await settle();
  assert.equal(w.calls.length, 1, 'flush sends without waiting for maxDelayMs');
  assert.equal(done, false);
  w.calls[0].answer({ status: 202 });
  await settle();
  assert.equal(done, true);
});

test('pending() counts queued and in-flight actions until the server acknowledges them', async () => {
  const { w, logger } = quiet();
  w.respond = () => undefined;
  logger.log('a');
  logger.log('b');
  logger.log('c');
  assert.equal(logger.pending(), 3);
  logger.flush();
  await settle();
  assert.equal(logger.pending(), 3);
  w.calls[0].answer({ status: 202 });
  await settle();
  assert.equal(logger.pending(), 0);
});

test('a batch in flight stays stored until acknowledged and is never sent twice at once', async () => {
  const { w, logger } = quiet();
  w.respond = () => undefined;
  logger.log('a');
  logger.flush();
  await settle();
  const key = `ual:q:demo:${logger.session}`;
  assert.equal(w.localStorage.json(key).a.length, 1);
  logger.log('b');
  logger.flush();
  await tick(60000);
  assert.equal(w.calls.length, 1);
  w.calls[0].answer({ status: 202 });
  await settle();
  assert.equal(w.calls.length, 2);
  assert.deepEqual(w.calls.map(seqs), [[1], [2]]);
  w.calls[1].answer({ status: 202 });
  await settle();
  await tick(500);
  assert.equal(w.localStorage.getItem(key), null);
});
