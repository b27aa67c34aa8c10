import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { FakeStorage, NOW, NO_CAPTURE, fakeWindow, settle, start } from './support/fakes.mjs';

beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: NOW }));
afterEach(() => mock.timers.reset());

const quiet = (options = {}, w) => start({ capture: NO_CAPTURE, ...options }, w);
const ids = (call) => call.body.actions.map((a) => a.id);

test('pagehide sends everything waiting at once with keepalive, without resending what is in flight', async () => {
  const { w, logger } = quiet();
  w.respond = () => undefined;
  logger.log('a');
  logger.log('b');
  logger.flush();
  await settle();
  assert.equal(w.calls.length, 1);
  logger.log('c');
  logger.log('d');
  w.fire('pagehide', { persisted: false });
  assert.equal(w.calls.length, 2, 'sent synchronously inside the pagehide handler');
  assert.equal(w.calls[1].init.keepalive, true);
  assert.deepEqual(
    w.calls[1].body.actions.map((a) => a.type),
    ['c', 'd'],
  );
  assert.equal(ids(w.calls[0]).filter((id) => ids(w.calls[1]).includes(id)).length, 0);
});

test('visibilitychange to hidden flushes with keepalive fetch', async () => {
  const { w, logger } = quiet();
  logger.log('a');
  await settle();
  assert.equal(w.calls.length, 0);
  w.document.visibilityState = 'hidden';
  w.document.fire('visibilitychange');
  assert.equal(w.calls.length, 1);
  assert.equal(w.calls[0].init.keepalive, true);
});

test('the unload flush splits into bodies of at most 60 KB, all keepalive', async () => {
  const { w, logger } = quiet({ batch: { maxActions: 1000, maxBytes: 1e6 } });
  for (let i = 0; i < 20; i++) logger.log('a', { pad: 'x'.repeat(10000) });
  w.fire('pagehide');
  assert.ok(w.calls.length >= 4);
  for (const c of w.calls) {
    assert.ok(Buffer.byteLength(c.init.body) <= 60000);
    assert.equal(c.init.keepalive, true);
  }
  assert.equal(w.sent().length, 20);
});

test('pagehide stores the queue synchronously', async () => {
  const { w, logger } = quiet();
  w.respond = () => undefined;
  logger.log('a');
  const key = `ual:q:demo:${logger.session}`;
  assert.equal(w.localStorage.getItem(key), null, 'debounced');
  w.fire('pagehide');
  assert.equal(w.localStorage.json(key).a.length, 1);
  assert.equal(w.sessionStorage.getItem(`ual:n:demo:${logger.session}`), '1');
});

test('when fetch throws, the unload flush falls back to sendBeacon with a text/plain Blob, and the actions stay stored', async () => {
  const { w, logger } = quiet();
  w.fetchThrows = true;
  logger.log('a');
  logger.log('b');
  w.fire('pagehide');
  await settle();
  assert.equal(w.beacons.length, 1);
  const { url, blob } = w.beacons[0];
  assert.equal(url, 'https://ingest.example/v1/batches');
  assert.equal(blob.type, 'text/plain');
  const batch = JSON.parse(await blob.text());
  assert.deepEqual(
    batch.actions.map((a) => a.type),
    ['a', 'b'],
  );
  assert.equal(logger.pending(), 2, 'a beacon gets no answer, so nothing counts as acknowledged');
  assert.equal(w.localStorage.json(`ual:q:demo:${logger.session}`).a.length, 2);
});

test('a reload of the same tab sends again what went out by beacon (the server dedupes by id)', async () => {
  const local = new FakeStorage();
  const session = new FakeStorage();
  const first = quiet({}, fakeWindow({ local, session }));
  first.w.fetchThrows = true;
  first.logger.log('a');
  first.w.fire('pagehide');
  await settle();
  const beaconed = JSON.parse(await first.w.beacons[0].blob.text()).actions;

  const second = quiet({}, fakeWindow({ local, session }));
  assert.equal(second.logger.session, first.logger.session);
  await second.logger.flush();
  assert.deepEqual(second.w.sent(), beaconed);
  mock.timers.tick(500);
  assert.equal(local.getItem(`ual:q:demo:${first.logger.session}`), null);
});

test('actions handed to a beacon are sent again for an answer when the page is visible again', async () => {
  const { w, logger } = quiet();
  w.fetchThrows = true;
  logger.log('a');
  w.document.visibilityState = 'hidden';
  w.document.fire('visibilitychange');
  await settle();
  assert.equal(w.beacons.length, 1);
  mock.timers.tick(60000);
  await settle();
  assert.equal(w.calls.length, 0, 'not resent while hidden');
  w.fetchThrows = false;
  w.document.visibilityState = 'visible';
  w.document.fire('visibilitychange');
  await settle();
  assert.equal(w.calls.length, 1);
  assert.equal(logger.pending(), 0);
});

test('a keepalive request that fails while the page goes away falls back to a beacon', async () => {
  const { w, logger } = quiet();
  w.respond = () => 'network';
  logger.log('a');
  w.fire('pagehide');
  await settle();
  assert.equal(w.calls.length, 1);
  assert.equal(w.beacons.length, 1);
  assert.equal(logger.pending(), 1);
});
