import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { UserLogger } from '../src/index.js';
import { NOW, click, element, fakeWindow, settle } from './support/fakes.mjs';

beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: NOW }));
afterEach(() => mock.timers.reset());

function seed(...args) {
  const w = fakeWindow();
  globalThis.window = w;
  return { w, logger: new UserLogger(...args) };
}

test('new UserLogger(url, maxActions, maxTime, attributesName, constantAttributes) maps onto the options', async () => {
  const { w, logger } = seed('https://ingest.example/analytics?study=s1', 3, 500, ['trial', 'data-cond'], {
    user: 'alice',
    condition_1: 'B',
    condition_2: 'x',
  });
  const span = element('span', { parent: w.document.body, attrs: { 'data-trial': 3, 'data-cond': 'C', 'data-other': 1 } });
  click(w, span);
  await settle();
  assert.equal(w.calls.length, 0);
  mock.timers.tick(500);
  await settle();
  assert.equal(w.calls.length, 1, 'maxTime is the batch delay');
  const { url, body } = w.calls[0];
  assert.equal(url, 'https://ingest.example/v1/batches');
  assert.equal(body.study, 's1');
  assert.equal(body.participant, 'alice');
  assert.equal(body.condition, 'B');
  const clickAction = body.actions.find((a) => a.type === 'click');
  assert.deepEqual(clickAction.target.attrs, { 'data-trial': '3', 'data-cond': 'C' });
  assert.deepEqual(clickAction.data.attrs, { condition_2: 'x' });

  for (let i = 0; i < 3; i++) click(w, span);
  await settle();
  assert.equal(w.calls.length, 2, 'maxActions is the batch size');
  assert.equal(w.calls[1].body.actions.length, 3);
  assert.equal(logger.participant, 'alice');
});

test('study defaults to legacy; condition and study can come from constantAttributes; other urls are kept', async () => {
  const a = seed('https://ingest.example/analytics', 50, 1000, undefined, { user: 'bob' });
  a.logger.log('x');
  await a.logger.flush();
  assert.equal(a.w.calls[0].body.study, 'legacy');
  assert.equal(a.w.calls[0].body.condition, undefined);

  const b = seed('https://collector.example/custom/path', 50, 1000, [], { user: 'bob', study: 'exp2', condition: 'A', condition_1: 'ignored' });
  b.logger.log('x');
  await b.logger.flush();
  assert.equal(b.w.calls[0].url, 'https://collector.example/custom/path');
  assert.equal(b.w.calls[0].body.study, 'exp2');
  assert.equal(b.w.calls[0].body.condition, 'A');
  assert.equal(b.w.calls[0].body.actions[0].data, undefined, 'mapped attributes are not repeated in data.attrs');
});

test('subscribeObject(selector) marks click, pointer and input actions on matching elements with data.subscribed', async () => {
  const { w, logger } = seed('https://ingest.example/analytics', 50, 1000, [], { user: 'carol' });
  logger.subscribeObject('#panel');
  const panel = element('div', { id: 'panel', parent: w.document.body });
  const inside = element('button', { parent: panel });
  const outside = element('button', { parent: w.document.body });
  click(w, inside);
  click(w, outside);
  w.fire('input', { target: element('input', { parent: panel, value: 'x' }) });
  w.fire('keydown', { target: inside, key: 'a' });
  await logger.flush();
  const actions = w.sent().filter((a) => a.type !== 'page_load');
  assert.deepEqual(
    actions.map((a) => [a.type, a.data.subscribed]),
    [
      ['click', '#panel'],
      ['click', undefined],
      ['input', '#panel'],
      ['keydown', undefined],
    ],
  );
});

test('addAction(action, event) records a custom action with the event pointer coordinates', async () => {
  const { w, logger } = seed('https://ingest.example/analytics', 50, 1000, [], { user: 'dan' });
  const btn = element('button', { id: 'ok', parent: w.document.body });
  logger.addAction('answer given', { target: btn, clientX: 5.5, clientY: 6.5, pageX: 5.5, pageY: 106.5, screenX: 50, screenY: 60, timeStamp: 321 });
  logger.addAction('no event');
  await logger.flush();
  const [a, b] = w.sent().filter((x) => x.type !== 'page_load');
  assert.equal(a.type, 'answer_given');
  assert.equal(a.data.name, 'answer given');
  assert.deepEqual([a.x, a.y, a.page_x, a.page_y, a.screen_x, a.screen_y], [5.5, 6.5, 5.5, 106.5, 50, 60]);
  assert.equal(a.target.id, 'ok');
  assert.equal(b.type, 'no_event');
  assert.equal(b.x, undefined);
});

test('the new API works on a legacy-constructed logger and UserLogger.start is the same class', async () => {
  const { w, logger } = seed('https://ingest.example/analytics', 50, 1000, [], { user: 'eve' });
  assert.ok(logger instanceof UserLogger);
  logger.log('trial:start', { trial: 3 });
  await logger.flush();
  assert.deepEqual(logger.stats(), { sent: 2, acknowledged: 2, dropped: 0, retries: 0, rejected: 0 });
  assert.equal(w.sent()[1].data.trial, 3);
  assert.ok(UserLogger.start({ endpoint: 'https://ingest.example/v1/batches', study: 'demo' }) instanceof UserLogger);
});
