import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { NOW, click, fakeWindow, settle, start } from './support/fakes.mjs';

beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: NOW }));
afterEach(() => mock.timers.reset());

function busy(w, logger) {
  click(w, w.document.body);
  logger.log('trial:start', { trial: 1 });
  w.document.visibilityState = 'hidden';
  w.document.fire('visibilitychange');
  w.fire('pagehide');
}

test("consent 'pending': no request of any kind and nothing stored until grantConsent()", async () => {
  const { w, logger } = start({ consent: 'pending', participant: undefined });
  busy(w, logger);
  logger.flush();
  mock.timers.tick(600000);
  await settle();
  assert.equal(w.calls.length, 0);
  assert.equal(w.beacons.length, 0);
  assert.equal(w.localStorage.length, 0);
  assert.equal(w.sessionStorage.length, 0);
  assert.ok(logger.pending() > 0, 'buffered in memory');

  logger.grantConsent();
  await logger.flush();
  assert.deepEqual(
    w.sent().map((a) => a.type),
    ['page_load', 'click', 'trial:start', 'visibility', 'page_unload'],
  );
  assert.equal(w.localStorage.getItem('ual:p:demo'), logger.participant);
});

test('revokeConsent() stops sending and clears unsent data', async () => {
  const { w, logger } = start();
  w.respond = () => undefined;
  busy(w, logger);
  mock.timers.tick(500);
  const key = `ual:q:demo:${logger.session}`;
  assert.ok(w.localStorage.getItem(key));
  const calls = w.calls.length;
  logger.revokeConsent();
  assert.equal(logger.pending(), 0);
  assert.equal(w.localStorage.getItem(key), null);
  logger.log('after');
  w.fire('pagehide');
  mock.timers.tick(600000);
  await settle();
  assert.equal(w.calls.length, calls);
  assert.equal(logger.pending(), 0);
  await logger.flush();
});

test('respectDoNotTrack with doNotTrack "1" records and sends nothing', async () => {
  const w = fakeWindow();
  w.navigator.doNotTrack = '1';
  const { logger } = start({ respectDoNotTrack: true }, w);
  busy(w, logger);
  await logger.flush();
  mock.timers.tick(600000);
  await settle();
  assert.equal(w.calls.length + w.beacons.length + w.localStorage.length + w.sessionStorage.length, 0);
  assert.equal(logger.pending(), 0);
  assert.equal(w.listeners.length + w.document.listeners.length, 0);
  logger.grantConsent();
  logger.log('x');
  assert.equal(logger.pending(), 0);
});

test('respectDoNotTrack honours Global Privacy Control too', async () => {
  const w = fakeWindow();
  w.navigator.globalPrivacyControl = true;
  const { logger } = start({ respectDoNotTrack: true }, w);
  busy(w, logger);
  await logger.flush();
  assert.equal(w.calls.length + w.beacons.length, 0);
});

test('doNotTrack is ignored unless respectDoNotTrack is set', async () => {
  const w = fakeWindow();
  w.navigator.doNotTrack = '1';
  const { logger } = start({}, w);
  logger.log('a');
  await logger.flush();
  assert.ok(w.calls.length > 0);
});
