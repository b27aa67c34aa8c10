import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { FakeStorage, NOW, NO_CAPTURE, fakeWindow, settle, start } from './support/fakes.mjs';

beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: NOW }));
afterEach(() => mock.timers.reset());

const quiet = (options = {}, w) => start({ capture: NO_CAPTURE, ...options }, w);

test('a full queue drops new actions and counts them, never the oldest', async () => {
  const { w, logger } = quiet({ consent: 'pending', queue: { maxActions: 5 } });
  for (let i = 1; i <= 8; i++) logger.log('a', { i });
  assert.equal(logger.pending(), 5);
  assert.equal(logger.stats().dropped, 3);
  logger.grantConsent();
  await logger.flush();
  assert.deepEqual(
    w.sent().map((a) => a.data.i),
    [1, 2, 3, 4, 5],
  );
  assert.deepEqual(
    w.sent().map((a) => a.seq),
    [1, 2, 3, 4, 5],
    'dropped actions take no seq',
  );
});

test('a reload (a new logger on the same storage) resumes the queue and the seq', async () => {
  const local = new FakeStorage();
  const session = new FakeStorage();
  const first = quiet({}, fakeWindow({ local, session }));
  first.w.respond = () => ({ status: 503 });
  first.logger.log('a');
  first.logger.log('b');
  first.logger.log('c');
  first.logger.flush();
  await settle();
  first.w.fire('pagehide');

  const second = quiet({}, fakeWindow({ local, session }));
  assert.equal(second.logger.session, first.logger.session);
  assert.equal(second.logger.pending(), 3);
  second.logger.log('d');
  await second.logger.flush();
  const sent = second.w.sent();
  assert.deepEqual(
    sent.map((a) => [a.type, a.seq]),
    [
      ['a', 1],
      ['b', 2],
      ['c', 3],
      ['d', 4],
    ],
  );
  assert.deepEqual(
    sent.slice(0, 3).map((a) => a.id),
    first.w.calls[0].body.actions.map((a) => a.id),
  );
});

test('works from memory when storage throws on every access', async () => {
  const w = fakeWindow({ local: new FakeStorage({ broken: true }), session: new FakeStorage({ broken: true }) });
  w.localStorage = undefined;
  Object.defineProperty(w, 'sessionStorage', {
    get() {
      throw new Error('SecurityError');
    },
  });
  const { logger } = quiet({ participant: undefined }, w);
  logger.log('a');
  logger.log('b');
  await logger.flush();
  assert.deepEqual(
    w.sent().map((a) => a.seq),
    [1, 2],
  );
  assert.match(w.calls[0].body.participant, /^[0-9a-f-]{36}$/);
});

test('a full localStorage (QuotaExceededError) does not stop the logger', async () => {
  const local = new FakeStorage({ quota: 300 });
  const { w, logger } = quiet({}, fakeWindow({ local }));
  for (let i = 0; i < 10; i++) logger.log('a', { pad: 'x'.repeat(100) });
  await logger.flush();
  assert.equal(w.sent().length, 10);
  assert.equal(logger.pending(), 0);
});

test('the queue key holds study and session, so two tabs never share a queue', async () => {
  const local = new FakeStorage();
  const tab1 = quiet({}, fakeWindow({ local }));
  const tab2 = quiet({}, fakeWindow({ local }));
  for (const t of [tab1, tab2]) {
    t.w.respond = () => undefined;
    t.logger.log('a');
    t.w.fire('pagehide');
  }
  assert.notEqual(tab1.logger.session, tab2.logger.session);
  assert.equal(tab1.logger.participant, 'p-001');
  assert.deepEqual(local.keysLike('ual:q:').sort(), [`ual:q:demo:${tab1.logger.session}`, `ual:q:demo:${tab2.logger.session}`].sort());
});

test('writes the queue on change, debounced', async () => {
  const { w, logger } = quiet();
  w.respond = () => undefined;
  logger.log('a');
  const key = `ual:q:demo:${logger.session}`;
  mock.timers.tick(499);
  assert.equal(w.localStorage.getItem(key), null);
  mock.timers.tick(1);
  assert.equal(w.localStorage.json(key).a.length, 1);
});

function leftover(local, { study = 'demo', session, participant = 'p-old', age, n = 2 }) {
  const actions = Array.from({ length: n }, (_, i) => ({
    id: crypto.randomUUID(),
    seq: i + 1,
    type: 'click',
    t: NOW - age,
    x: 1,
    y: 2,
  }));
  local.setItem(`ual:q:${study}:${session}`, JSON.stringify({ t: NOW - age, h: { study, participant, session }, a: actions }));
  return actions;
}

test('sends and then deletes queues of earlier sessions of the study whose tab is gone', async () => {
  const local = new FakeStorage();
  const old = leftover(local, { session: 'old-session', age: 6 * 60000 });
  const { w, logger } = quiet({}, fakeWindow({ local }));
  await logger.flush();
  const call = w.calls.find((c) => c.body.session === 'old-session');
  assert.ok(call, 'the old queue is sent');
  assert.equal(call.body.participant, 'p-old');
  assert.deepEqual(call.body.actions, old);
  mock.timers.tick(500);
  assert.equal(local.getItem('ual:q:demo:old-session'), null);
});

test('leaves alone a queue written recently (a live tab) and queues of other studies', async () => {
  const local = new FakeStorage();
  leftover(local, { session: 'live-tab', age: 60000 });
  leftover(local, { study: 'other', session: 'other-study', age: 3600000 });
  const { w, logger } = quiet({}, fakeWindow({ local }));
  logger.log('a');
  await logger.flush();
  assert.deepEqual(
    w.calls.map((c) => c.body.session),
    [logger.session],
  );
  assert.ok(local.getItem('ual:q:demo:live-tab'));
  assert.ok(local.getItem('ual:q:other:other-study'));
});

test('an adopted queue is sent with only the v1 batch fields of its stored head', async () => {
  const local = new FakeStorage();
  leftover(local, { session: 'old-session', age: 6 * 60000 });
  const stored = local.json('ual:q:demo:old-session');
  stored.h.extra = 'from another version';
  local.setItem('ual:q:demo:old-session', JSON.stringify(stored));
  const { w, logger } = quiet({}, fakeWindow({ local }));
  await logger.flush();
  const call = w.calls.find((c) => c.body.session === 'old-session');
  assert.deepEqual(Object.keys(call.body).sort(), ['actions', 'context', 'participant', 'sent_at', 'session', 'study']);
});
