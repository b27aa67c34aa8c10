import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { keyCategory } from '../src/dom.js';
import { NO_CAPTURE, click, element, start } from './support/fakes.mjs';

// Timers under mock control: a logger left with work to do must not keep the test process alive.
beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
afterEach(() => mock.timers.reset());

// A logger with only the given capture kinds on; sent() flushes and lists the actions sent so far.
function logged(options = {}, kinds = {}) {
  const { w, logger } = start({ capture: { ...NO_CAPTURE, ...kinds }, ...options });
  const body = w.document.body;
  const sent = async () => {
    await logger.flush();
    return w.sent();
  };
  return { w, logger, body, sent };
}

test('pointer actions carry exact client, page and screen coordinates, and pointer data', async () => {
  const { w, body, sent } = logged({}, { click: true, pointerdown: true, pointerup: true, contextmenu: true, dblclick: true, wheel: true });
  const btn = element('button', { id: 'go', parent: body });
  const ev = { target: btn, clientX: 10.123456, clientY: 20.654321, pageX: 10.123456, pageY: 1220.654321, screenX: 110.5, screenY: 320.25, button: 0, buttons: 1, pointerType: 'pen', pressure: 0.5 };
  for (const type of ['pointerdown', 'pointerup', 'click', 'dblclick', 'contextmenu']) w.fire(type, ev);
  w.fire('wheel', { ...ev, deltaX: 0, deltaY: 120, deltaMode: 0 });
  const actions = await sent();
  assert.deepEqual(
    actions.map((a) => a.type),
    ['pointerdown', 'pointerup', 'click', 'dblclick', 'contextmenu', 'wheel'],
  );
  for (const a of actions) {
    assert.deepEqual([a.x, a.y, a.page_x, a.page_y, a.screen_x, a.screen_y], [10.123456, 20.654321, 10.123456, 1220.654321, 110.5, 320.25]);
    assert.equal(a.target.id, 'go');
  }
  assert.deepEqual(actions[0].data, { button: 0, buttons: 1, pointer_type: 'pen', pressure: 0.5 });
  assert.deepEqual(actions[5].data, { dx: 0, dy: 120, mode: 0, buttons: 1 });
});

test('pointermove records every coalesced sample by default, each with its own time and position', async () => {
  const { w, body, sent } = logged({}, { pointermove: true });
  const samples = [1, 2, 3].map((i) => ({ clientX: i + 0.5, clientY: i * 2, pageX: i, pageY: i, screenX: i, screenY: i, timeStamp: 1000 + i, pointerType: 'mouse', buttons: 0 }));
  w.fire('pointermove', { target: body, clientX: 3.5, clientY: 6, timeStamp: 1003, getCoalescedEvents: () => samples });
  const actions = await sent();
  assert.deepEqual(
    actions.map((a) => [a.type, a.x, a.y, a.t_mono]),
    [
      ['pointermove', 1.5, 2, 1001],
      ['pointermove', 2.5, 4, 1002],
      ['pointermove', 3.5, 6, 1003],
    ],
  );
  assert.equal(actions[0].t, Math.round(performance.timeOrigin + 1001));
});

test('pointer.coalesced false records one pointermove per event', async () => {
  const { w, body, sent } = logged({ pointer: { coalesced: false } }, { pointermove: true });
  w.fire('pointermove', { target: body, clientX: 3, clientY: 6, getCoalescedEvents: () => [{}, {}] });
  assert.equal((await sent()).length, 1);
});

test('pointer.sampleMs keeps at most one pointermove per N ms', async () => {
  const { w, body, sent } = logged({ pointer: { sampleMs: 50 } }, { pointermove: true });
  for (const timeStamp of [1000, 1010, 1049, 1050, 1099, 1120]) w.fire('pointermove', { target: body, clientX: 1, clientY: 1, timeStamp });
  assert.deepEqual(
    (await sent()).map((a) => a.t_mono),
    [1000, 1050, 1120],
  );
});

test('input values are masked by default: the length only', async () => {
  const { w, body, sent } = logged({}, { input: true });
  const field = element('input', { id: 'name', parent: body, type: 'text', value: 'Jane Doe' });
  w.fire('input', { target: field });
  w.fire('change', { target: field });
  const actions = await sent();
  assert.deepEqual(
    actions.map((a) => [a.type, a.data]),
    [
      ['input', { length: 8 }],
      ['change', { length: 8 }],
    ],
  );
});

test('a field with data-ual-record-value records its value', async () => {
  const { w, body, sent } = logged({}, { input: true });
  const field = element('input', { parent: body, type: 'text', value: 'B', attrs: { 'data-ual-record-value': '' } });
  const box = element('input', { parent: body, type: 'checkbox', value: 'on', checked: true, attrs: { 'data-ual-record-value': '' } });
  const editable = element('div', { parent: body, textContent: 'hello', attrs: { 'data-ual-record-value': '' } });
  for (const target of [field, box, editable]) w.fire('input', { target });
  assert.deepEqual(
    (await sent()).map((a) => a.data),
    [{ length: 1, value: 'B' }, { length: 2, checked: true }, { length: 5, value: 'hello' }],
  );
});

test('password fields never record their value, even opted in or with inputValues all', async () => {
  for (const inputValues of ['masked', 'all']) {
    const { w, body, sent } = logged({ inputValues }, { input: true });
    const pw = element('input', { parent: body, type: 'password', value: 'hunter2', attrs: { 'data-ual-record-value': '' } });
    const otp = element('input', { parent: body, type: 'text', autocomplete: 'new-password', value: 'x1', attrs: { 'data-ual-record-value': '' } });
    w.fire('input', { target: pw });
    w.fire('input', { target: otp });
    const actions = await sent();
    assert.deepEqual(
      actions.map((a) => a.data),
      [{ length: 7 }, { length: 2 }],
    );
    assert.doesNotMatch(JSON.stringify(w.calls.map((c) => c.body)), /hunter2/);
  }
});

test('inputValues all records values except in fields marked data-ual-mask', async () => {
  const { w, body, sent } = logged({ inputValues: 'all' }, { input: true });
  w.fire('input', { target: element('input', { parent: body, type: 'text', value: 'yes' }) });
  w.fire('input', { target: element('input', { parent: body, type: 'text', value: 'no', attrs: { 'data-ual-mask': '' } }) });
  assert.deepEqual(
    (await sent()).map((a) => a.data),
    [{ length: 3, value: 'yes' }, { length: 2 }],
  );
});

test('keys default to category mode: timing and category, never the key itself', async () => {
  const { w, body, sent } = logged({}, { keys: true });
  const field = element('input', { parent: body, type: 'text', value: '' });
  w.fire('keydown', { target: field, key: 'q', code: 'KeyQ', shiftKey: true });
  w.fire('keyup', { target: field, key: 'q', code: 'KeyQ', repeat: false });
  const actions = await sent();
  assert.deepEqual(
    actions.map((a) => [a.type, a.data]),
    [
      ['keydown', { category: 'letter', modifiers: ['shift'] }],
      ['keyup', { category: 'letter' }],
    ],
  );
  assert.equal(actions[0].x, undefined, 'keys carry no coordinates');
  assert.doesNotMatch(JSON.stringify(w.calls[0].body.actions), /KeyQ|"q"/);
});

test('key categories', () => {
  const cases = {
    a: 'letter', Z: 'letter', é: 'letter', 7: 'digit', ' ': 'space', '.': 'punctuation', '€': 'punctuation',
    Enter: 'enter', Backspace: 'backspace', Tab: 'tab', ArrowLeft: 'arrow', Shift: 'modifier', Control: 'modifier',
    AltGraph: 'modifier', Meta: 'modifier', CapsLock: 'modifier', F5: 'function', F12: 'function', Dead: 'other', Escape: 'other', '': 'other',
  };
  for (const [key, category] of Object.entries(cases)) assert.equal(keyCategory(key), category, key);
});

test("keys 'full' records key and code, except in password fields", async () => {
  const { w, body, sent } = logged({ keys: 'full' }, { keys: true });
  w.fire('keydown', { target: element('input', { parent: body, type: 'text' }), key: 'q', code: 'KeyQ' });
  w.fire('keydown', { target: element('input', { parent: body, type: 'password' }), key: 's', code: 'KeyS' });
  assert.deepEqual(
    (await sent()).map((a) => a.data),
    [{ category: 'letter', key: 'q', code: 'KeyQ' }, { category: 'letter' }],
  );
});

test("keys 'none' records no key actions", async () => {
  const { w, body, sent } = logged({ keys: 'none' }, { keys: true });
  w.fire('keydown', { target: body, key: 'q', code: 'KeyQ' });
  assert.equal((await sent()).length, 0);
});

test('scroll actions carry scroll_x and scroll_y of the page or of the scrolled element', async () => {
  const { w, body, sent } = logged({}, { scroll: true });
  w.scrollY = 640.5;
  w.fire('scroll', { target: w.document });
  w.fire('scroll', { target: element('ul', { id: 'list', parent: body, scrollLeft: 0, scrollTop: 90 }) });
  const actions = await sent();
  assert.deepEqual(
    actions.map((a) => [a.type, a.data, a.target && a.target.id]),
    [
      ['scroll', { scroll_x: 0, scroll_y: 640.5 }, undefined],
      ['scroll', { scroll_x: 0, scroll_y: 90 }, 'list'],
    ],
  );
  assert.equal(actions[0].x, undefined);
});

test('SPA navigation: pushState, replaceState, popstate and hashchange, once per change of URL', async () => {
  const { w, sent } = logged({}, { navigation: true });
  w.history.pushState({}, '', '/step/2');
  w.history.replaceState({}, '', '/step/2?x=1');
  w.location.href = 'https://study.example/task?trial=1';
  w.fire('popstate');
  w.location.href = 'https://study.example/task?trial=1#help';
  w.fire('popstate');
  w.fire('hashchange');
  w.location.href = 'https://study.example/task?trial=1#top';
  w.fire('hashchange');
  const actions = await sent();
  assert.deepEqual(
    actions.map((a) => [a.data.via, a.data.from.replace('https://study.example', ''), a.data.to.replace('https://study.example', '')]),
    [
      ['pushState', '/task?trial=1', '/step/2'],
      ['replaceState', '/step/2', '/step/2?x=1'],
      ['popstate', '/step/2?x=1', '/task?trial=1'],
      ['popstate', '/task?trial=1', '/task?trial=1#help'],
      ['hashchange', '/task?trial=1#help', '/task?trial=1#top'],
    ],
  );
  assert.equal(actions[0].url, 'https://study.example/step/2');
});

test('focus, blur, visibility, resize, page_load and page_unload', async () => {
  const { w, body, logger } = logged({}, { focus: true, visibility: true, resize: true, page: true });
  const field = element('input', { id: 'f', parent: body });
  w.fire('focusin', { target: field });
  w.fire('focusout', { target: field });
  w.innerWidth = 800;
  w.innerHeight = 600;
  w.fire('resize');
  w.document.visibilityState = 'hidden';
  w.document.fire('visibilitychange');
  w.fire('pagehide', { persisted: true });
  await logger.flush();
  assert.deepEqual(
    w.sent().map((a) => [a.type, a.data, a.target && a.target.id]),
    [
      ['page_load', undefined, undefined],
      ['focus', undefined, 'f'],
      ['blur', undefined, 'f'],
      ['resize', { vw: 800, vh: 600 }, undefined],
      ['visibility', { state: 'hidden' }, undefined],
      ['page_unload', { persisted: true }, undefined],
    ],
  );
  assert.equal(w.sent()[3].vw, 800);
});

test('target: id, a short selector, and the data-* attributes (all, or the named ones)', async () => {
  const { w, body, sent } = logged({}, { click: true });
  const main = element('main', { parent: body });
  element('section', { parent: main });
  const section = element('section', { parent: main });
  const span = element('span', { parent: section, attrs: { 'data-trial': 3, 'data-cond': 'B', 'data-empty': '', title: 'x' } });
  const inner = element('div', { id: 'card-1', parent: section });
  const deep = element('b', { parent: inner });
  click(w, span);
  click(w, deep);
  const [a, b] = await sent();
  assert.deepEqual(a.target, { selector: 'main > section:nth-child(2) > span:nth-child(1)', attrs: { 'data-trial': '3', 'data-cond': 'B' } });
  assert.deepEqual(b.target, { selector: 'div#card-1 > b' });

  const named = logged({ dataAttributes: ['trial'] }, { click: true });
  click(named.w, element('span', { parent: named.body, attrs: { 'data-trial': 3, 'data-cond': 'B' } }));
  assert.deepEqual((await named.sent())[0].target.attrs, { 'data-trial': '3' });

  const none = logged({ dataAttributes: false }, { click: true });
  click(none.w, element('span', { parent: none.body, attrs: { 'data-trial': 3 } }));
  assert.equal((await none.sent())[0].target.attrs, undefined);
});

test('at most 32 data-* attributes, values cut to 1024 characters and 4096 in all, selector within 1024', async () => {
  const { w, body, sent } = logged({}, { click: true });
  const attrs = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`data-a${i}`, 'v'.repeat(i < 20 ? 100 : 2000)]));
  let parent = body;
  for (let i = 0; i < 300; i++) parent = element('div', { parent });
  click(w, element('span', { parent, attrs }));
  const [a] = await sent();
  const values = Object.values(a.target.attrs);
  assert.equal(values.length, 23, '20 short values (2000 characters), then 1024, 1024 and the last 48 of the long ones');
  assert.ok(values.every((v) => v.length <= 1024));
  assert.equal(values.reduce((n, v) => n + v.length, 0), 4096);
  assert.ok(a.target.selector.length <= 1024 && a.target.selector.endsWith('div > span'));
});

test('an action that would make a record over 16 KiB gives up its data rather than be refused', async () => {
  const { w, body, logger, sent } = logged({}, { click: true });
  logger.log('big', { pad: '\u0001'.repeat(5000) });
  click(w, element('span', { parent: body, id: 'x'.repeat(300) }));
  const [big] = await sent();
  assert.deepEqual(big.data, { truncated: true });
});

test('constant attributes are copied into every action as data.attrs', async () => {
  const { w, body, logger, sent } = logged({ attributes: { group: 'g1', round: 2 } }, { click: true });
  click(w, body);
  logger.log('note', { text: 'hi' });
  assert.deepEqual(
    (await sent()).map((a) => a.data.attrs),
    [
      { group: 'g1', round: 2 },
      { group: 'g1', round: 2 },
    ],
  );
});

test('capture kinds can be turned off one by one', async () => {
  const { w, body, sent } = logged({ capture: { click: false } });
  click(w, body);
  w.fire('pointerdown', { target: body, clientX: 1, clientY: 1 });
  assert.deepEqual(
    (await sent()).map((a) => a.type),
    ['page_load', 'pointerdown'],
  );
});

test('stop() removes every listener and restores history', async () => {
  const w0 = start().w;
  const { pushState, replaceState } = w0.history;
  const { w, logger } = start({}, w0);
  assert.notEqual(w.history.pushState, pushState);
  await logger.stop();
  assert.equal(w.history.pushState, pushState);
  assert.equal(w.history.replaceState, replaceState);
  const own = (t) => t.listeners.length;
  // The first logger on this window still listens; the stopped one left nothing behind.
  const before = own(w) + own(w.document);
  start({}, w).logger.stop();
  assert.equal(own(w) + own(w.document), before);
});
