import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { FakeStorage, click, element, fakeWindow, start } from './support/fakes.mjs';
import { validateBatch } from './support/v1.mjs';

// Timers under mock control: a logger left with work to do must not keep the test process alive.
beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
afterEach(() => mock.timers.reset());

const NASTY = 'a\u0000b\ud800c\udc00d\ud83d\ude00e\u0007';

const ACTION_FIELDS = ['id', 'seq', 'type', 't', 't_mono', 'url', 'x', 'y', 'page_x', 'page_y', 'screen_x', 'screen_y', 'vw', 'vh', 'target', 'data'];
const POINTER = ['click', 'dblclick', 'contextmenu', 'pointerdown', 'pointerup', 'pointermove', 'wheel'];

// One busy session with every capture kind and hostile values, checked batch by batch.
async function busySession() {
  const w = fakeWindow({ href: `https://study.example/task/${NASTY}?q=${'z'.repeat(5000)}` });
  w.navigator.userAgent = 'UA ' + NASTY + 'x'.repeat(2000);
  w.navigator.language = '';
  const { logger } = start(
    {
      participant: 'p\u0000-\u0001001' + NASTY,
      condition: 'A' + NASTY,
      attributes: { group: NASTY, [NASTY]: 1 },
      keys: 'full',
      inputValues: 'all',
      batch: { maxActions: 7 },
    },
    w,
  );
  const body = w.document.body;
  const attrs = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`data-${i}`, NASTY + 'v'.repeat(2000)]));
  attrs['data-empty'] = '';
  attrs['data-nul'] = '\u0000';
  const odd = element('button', { id: NASTY + 'i'.repeat(300), parent: body, attrs });
  let deep = body;
  for (let i = 0; i < 400; i++) deep = element('div', { parent: deep });
  const field = element('textarea', { parent: deep, value: NASTY.repeat(2000), attrs: { 'data-ual-record-value': '' } });
  const ptr = { clientX: 1.5, clientY: 2.5, pageX: 1.5, pageY: 902.5, screenX: -1500.25, screenY: 20, button: 2, buttons: 2, pointerType: 'touch', pressure: 0.3, isPrimary: false, pointerId: 7 };

  for (const type of POINTER.filter((t) => t !== 'pointermove')) w.fire(type, { target: odd, ...ptr, deltaX: 1, deltaY: -3, deltaZ: 0, deltaMode: 1 });
  w.fire('pointermove', { target: deep, ...ptr, getCoalescedEvents: () => [{ ...ptr }, { ...ptr, clientX: NaN }, { ...ptr, clientX: 1e9 }] });
  w.fire('scroll', { target: w.document });
  w.fire('scroll', { target: deep, scrollLeft: 3, scrollTop: 4 });
  w.fire('keydown', { target: field, key: NASTY, code: NASTY, ctrlKey: true, repeat: true });
  w.fire('keyup', { target: field, key: '\ud800', code: '' });
  w.fire('input', { target: field });
  w.fire('change', { target: odd });
  w.fire('focusin', { target: odd });
  w.fire('focusout', { target: odd });
  w.document.fire('visibilitychange');
  w.fire('resize');
  w.history.pushState({}, '', '/' + NASTY);
  w.fire('hashchange');
  click(w, { nodeType: 3, parentElement: odd });
  click(w, w.document, { clientX: undefined });
  logger.log(NASTY, { [NASTY]: NASTY, n: NaN, inf: -Infinity, when: new Date(0), deep: JSON.parse('['.repeat(20) + ']'.repeat(20)), fn() {}, u: undefined, big: 10n });
  logger.log('ok', { deep: { a: { b: { c: { d: { e: { f: { g: { h: { i: 1 } } } } } } } } }, list: [1, 'two', null, NASTY] });
  logger.log('', 'not an object');
  logger.log('9lives', [1, 2]);
  logger.addAction('legacy name', { target: odd, clientX: 3, clientY: 4 });
  w.fire('pagehide', { persisted: false });
  await logger.flush();
  return w;
}

test('every batch of a busy session with hostile values matches wire format v1 exactly', async () => {
  const w = await busySession();
  assert.ok(w.calls.length > 3);
  const types = new Set();
  for (const call of w.calls) {
    const batch = validateBatch(call.init.body);
    assert.deepEqual(Object.keys(batch).sort(), ['actions', 'condition', 'context', 'participant', 'sent_at', 'session', 'study']);
    for (const a of batch.actions) {
      types.add(a.type);
      assert.ok(Object.keys(a).every((k) => ACTION_FIELDS.includes(k)));
      const pointer = POINTER.includes(a.type) && a.x !== undefined;
      if (pointer) assert.ok(['x', 'y', 'page_x', 'page_y', 'screen_x', 'screen_y'].every((k) => typeof a[k] == 'number'), a.type);
      if (/^key/.test(a.type)) assert.equal(a.x, undefined);
    }
  }
  for (const t of ['page_load', ...POINTER, 'scroll', 'keydown', 'keyup', 'input', 'change', 'focus', 'blur', 'visibility', 'resize', 'navigate', 'page_unload', 'ok', 'a', 'a9lives', 'legacy_name']) {
    assert.ok(types.has(t), `no ${t} action`);
  }
});

test('the checker refuses what the server refuses (so the test above means something)', () => {
  const good = {
    study: 'demo',
    participant: 'p',
    session: 's-1',
    sent_at: 1,
    actions: [{ id: '0b6c3c1e-8a4f-4a53-9d3e-2f1f6f7c0a01', seq: 1, type: 'click', t: 1 }],
  };
  const nested = (n) => JSON.parse('{"a":'.repeat(n - 1) + '{}' + '}'.repeat(n - 1));
  const act = (more) => ({ ...good, actions: [{ ...good.actions[0], ...more }] });
  const fine = [
    good,
    { ...good, condition: null, context: { dpr: 1.5, language: null } },
    act({ id: good.actions[0].id.toUpperCase(), x: 1, y: -2.5, url: '\ud83d\ude00'.repeat(2048) }),
    act({ data: nested(8), target: { attrs: Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`data-${i}`, 'v'])) } }),
  ];
  for (const b of fine) assert.doesNotThrow(() => validateBatch(JSON.stringify(b)));
  const bad = [
    { ...good, extra: 1 },
    { ...good, study: '-demo' },
    { ...good, session: 's 1' },
    { ...good, sent_at: null },
    { ...good, actions: [] },
    { ...good, actions: [good.actions[0], good.actions[0]] },
    act({ extra: 1 }),
    act({ t: 1.5 }),
    act({ x: 1 }),
    act({ x: 1, y: null }),
    act({ seq: -1 }),
    act({ type: '9lives' }),
    act({ id: '0b6c3c1e-8a4f-4a53-9d3e-2f1f6f7c0a0g' }),
    act({ url: '\ud83d\ude00'.repeat(2049) }),
    act({ data: { s: 'a\u0000' } }),
    act({ data: { ['\udc00']: 1 } }),
    act({ data: nested(9) }),
    act({ target: { attrs: { 'data-a': '' } } }),
    act({ target: { attrs: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`data-${i}`, 'v'])) } }),
    { ...good, participant: '\ud800' },
    { ...good, context: { screen_w: 1, foo: 2 } },
  ];
  for (const b of bad) assert.throws(() => validateBatch(JSON.stringify(b)), undefined, JSON.stringify(b).slice(0, 200));
});

test('a stored queue holds v1 actions, so a later load can send it as it is', async () => {
  const local = new FakeStorage();
  const w = fakeWindow({ local });
  w.respond = () => undefined;
  const { logger } = start({}, w);
  click(w, w.document.body);
  w.fire('pagehide');
  const stored = local.json(`ual:q:demo:${logger.session}`);
  assert.deepEqual(Object.keys(stored).sort(), ['a', 'h', 't']);
  validateBatch(JSON.stringify({ ...stored.h, sent_at: 1, actions: stored.a }));
});
