import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { timeOrderedId, uuid } from '../src/ids.js';
import { FakeStorage, NO_CAPTURE, UUID_V4, UUID_V7, click, fakeWindow, start } from './support/fakes.mjs';

// Timers under mock control: a logger left with work to do must not keep the test process alive.
beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
afterEach(() => mock.timers.reset());

test('ids are UUID v4: randomUUID, else getRandomValues, else Math.random', () => {
  const seen = new Set();
  for (const c of [globalThis.crypto, { getRandomValues: (b) => globalThis.crypto.getRandomValues(b) }, undefined]) {
    for (let i = 0; i < 500; i++) {
      const id = c === undefined ? uuid(null) : uuid(c);
      assert.match(id, UUID_V4);
      seen.add(id);
    }
  }
  assert.equal(seen.size, 1500);
});

test('action ids are UUID v7: the time in ms first, so ids made later sort after', () => {
  assert.equal(timeOrderedId(globalThis.crypto, 0x0192a3b4c5d6).slice(0, 15), '0192a3b4-c5d6-7');
  const before = Date.now();
  const ids = [];
  for (let i = 0; i < 200; i++) ids.push(timeOrderedId(i % 2 ? globalThis.crypto : null, before + i));
  for (const id of ids) assert.match(id, UUID_V7);
  assert.deepEqual([...ids].sort(), ids, 'a later millisecond sorts after, as bytes and as text');
  assert.equal(new Set(ids).size, ids.length);
  const { w, logger } = start({}, fakeWindow());
  click(w, w.document.body);
  return logger.flush().then(() => {
    const sent = w.sent();
    assert.ok(sent.length > 0);
    for (const action of sent) {
      assert.match(action.id, UUID_V7);
      const made = parseInt(action.id.slice(0, 8) + action.id.slice(9, 13), 16);
      assert.ok(made >= before && made <= Date.now(), `${action.id} was made at ${made}, not between ${before} and now`);
    }
  });
});

test('seq is contiguous from 1 without duplicates, across reloads of the same tab', async () => {
  const local = new FakeStorage();
  const session = new FakeStorage();
  const sent = [];
  for (let load = 0; load < 3; load++) {
    const { w, logger } = start({}, fakeWindow({ local, session }));
    for (let i = 0; i < 7; i++) click(w, w.document.body);
    logger.log('trial:end');
    await logger.flush();
    // The reload: the page_unload batch is still in flight, so the next load sends it again.
    w.fire('pagehide');
    sent.push(...w.sent());
  }
  const byId = new Map();
  for (const a of sent) {
    if (byId.has(a.id)) assert.deepEqual(a, byId.get(a.id), 'a resent action is the same action');
    byId.set(a.id, a);
  }
  const unique = [...byId.values()];
  assert.equal(new Set(unique.map((a) => a.session)).size, 1);
  assert.deepEqual(
    unique.map((a) => a.seq).sort((x, y) => x - y),
    Array.from({ length: 3 * 10 }, (_, i) => i + 1),
  );
});

test('a new tab is a new session starting at seq 1, with the same generated participant', async () => {
  const local = new FakeStorage();
  const one = start({ participant: undefined, capture: NO_CAPTURE }, fakeWindow({ local }));
  const two = start({ participant: undefined, capture: NO_CAPTURE }, fakeWindow({ local }));
  for (const { logger } of [one, two]) {
    logger.log('a');
    await logger.flush();
  }
  assert.notEqual(one.logger.session, two.logger.session);
  assert.match(one.logger.participant, UUID_V4);
  assert.equal(one.logger.participant, two.logger.participant);
  assert.deepEqual(
    [...one.w.sent(), ...two.w.sent()].map((a) => a.seq),
    [1, 1],
  );
});

test('the session option is used as given', async () => {
  const { w, logger } = start({ session: 'lab-7:run-2', capture: NO_CAPTURE });
  logger.log('a');
  await logger.flush();
  assert.equal(logger.session, 'lab-7:run-2');
  assert.equal(w.calls[0].body.session, 'lab-7:run-2');
});

test('t is integer epoch ms from timeOrigin + event.timeStamp; t_mono is the event time', async () => {
  const { w, logger } = start({ capture: { ...NO_CAPTURE, click: true } });
  click(w, w.document.body, { timeStamp: 1234.5678 });
  logger.log('custom');
  await logger.flush();
  const [a, b] = w.sent();
  assert.equal(a.t, Math.round(performance.timeOrigin + 1234.5678));
  assert.equal(a.t_mono, 1234.5678);
  assert.ok(Number.isInteger(b.t) && Math.abs(b.t - Date.now()) < 1000);
  assert.ok(b.t_mono > 0 && b.t_mono <= performance.now());
});

test('a bad study or session fails fast at start', () => {
  assert.throws(() => start({ study: 'no spaces' }), /study/);
  assert.throws(() => start({ session: 'a/b' }), /session/);
  assert.throws(() => start({ endpoint: '' }), /endpoint/);
});

test('a given participant is used but not remembered; a generated one is', async () => {
  const local = new FakeStorage();
  const given = start({ participant: 'p-042', capture: NO_CAPTURE }, fakeWindow({ local }));
  assert.equal(given.logger.participant, 'p-042');
  assert.equal(local.getItem('ual:p:demo'), null);
  const generated = start({ participant: undefined, capture: NO_CAPTURE }, fakeWindow({ local }));
  assert.match(generated.logger.participant, UUID_V4);
  assert.equal(local.getItem('ual:p:demo'), generated.logger.participant);
});
