// What the logger captures from a real page, part one: pointer, mouse, input and key actions. Chromium
// on test/fixtures/capture.html, driven the way a participant drives it, with the actions read back from
// the batches the fixture server received. Part two is capture-page.test.mjs: two files, so that
// `npm test` (two files at a time) runs the two halves of the browser tests side by side.
import assert from 'node:assert/strict';
import { after, afterEach, test } from 'node:test';
import { keyCategory } from '../src/dom.js';
import { fixtureBrowser } from './support/browser.mjs';
import { NO_CAPTURE } from './support/fakes.mjs';

const browser = await fixtureBrowser();
afterEach(() => browser.reset());
after(() => browser.close());

// The fixture with a logger that has only the given capture kinds on.
const open = (options = {}, kinds = {}) => browser.open('capture.html', { ...options, capture: { ...NO_CAPTURE, ...kinds } });

// Dispatches a synthetic pointermove on #go: the coalesced samples a real mouse gives depend on frame timing.
const pointermove = (page, samples) =>
  page.evaluate((samples) => {
    const init = ({ x, y }) => ({ clientX: x, clientY: y, pointerType: 'mouse', bubbles: true });
    const coalescedEvents = samples.map((sample) => new PointerEvent('pointermove', init(sample)));
    document.getElementById('go').dispatchEvent(new PointerEvent('pointermove', { ...init(samples.at(-1)), coalescedEvents }));
  }, samples);

test('mouse actions carry the exact client, page and screen coordinates and the pointer data', async () => {
  const page = await open({}, { click: true, dblclick: true, contextmenu: true, pointerdown: true, pointerup: true, wheel: true });
  await page.evaluate(() => window.scrollTo(0, 40));
  const box = await page.locator('#go').boundingBox();
  const [x, y] = [Math.round(box.x + 5), Math.round(box.y + 5)];
  await page.mouse.click(x, y);
  await page.mouse.click(x, y, { button: 'right' });
  await page.mouse.dblclick(x, y);
  // A wheel event reaches the page after mouse.wheel() returns. Without a listener that cancels it,
  // the page would scroll first and the event would land on what is under the mouse by then.
  const wheeled = page.evaluate(
    () => new Promise((resolve) => addEventListener('wheel', (event) => resolve(event.preventDefault()), { once: true, passive: false })),
  );
  await page.mouse.wheel(0, 120);
  await wheeled;
  const actions = await page.sent();
  assert.deepEqual(
    actions.map((a) => a.type),
    ['pointerdown', 'pointerup', 'click']
      .concat(['pointerdown', 'contextmenu', 'pointerup'])
      .concat(['pointerdown', 'pointerup', 'click', 'pointerdown', 'pointerup', 'click', 'dblclick', 'wheel']),
  );
  const screen = await page.evaluate(() => [window.screenX, window.screenY]);
  for (const a of actions) {
    assert.deepEqual([a.x, a.y, a.page_x, a.page_y], [x, y, x, y + 40], a.type);
    assert.ok(a.screen_x >= x + screen[0] && a.screen_y >= y + screen[1], a.type);
    assert.equal(a.target.id, 'go');
  }
  assert.deepEqual(actions[0].data, { button: 0, buttons: 1, pointer_type: 'mouse', pressure: 0.5 });
  assert.deepEqual(actions[3].data, { button: 2, buttons: 2, pointer_type: 'mouse', pressure: 0.5 });
  assert.deepEqual(actions.at(-1).data, { dx: 0, dy: 120, mode: 0, buttons: 0 });
});

test('pointermove records every coalesced sample by default, each with its own position', async () => {
  const page = await open({}, { pointermove: true });
  await pointermove(page, [
    { x: 1.5, y: 2 },
    { x: 2.5, y: 4 },
    { x: 3.5, y: 6 },
  ]);
  await page.mouse.move(30, 40);
  const actions = await page.sent();
  assert.deepEqual(
    actions.slice(0, 3).map((a) => [a.type, a.x, a.y, a.target.id]),
    [
      ['pointermove', 1.5, 2, 'go'],
      ['pointermove', 2.5, 4, 'go'],
      ['pointermove', 3.5, 6, 'go'],
    ],
  );
  assert.ok(actions[0].t_mono <= actions[2].t_mono);
  assert.deepEqual([actions.at(-1).x, actions.at(-1).y, actions.at(-1).data.pointer_type], [30, 40, 'mouse'], 'a real mouse move');
});

test('pointer.coalesced false records one pointermove per event', async () => {
  const page = await open({ pointer: { coalesced: false } }, { pointermove: true });
  await pointermove(page, [
    { x: 1, y: 1 },
    { x: 3, y: 6 },
  ]);
  assert.deepEqual(
    (await page.sent()).map((a) => [a.x, a.y]),
    [[3, 6]],
  );
});

test('pointer.sampleMs keeps at most one pointermove per N ms', async () => {
  const page = await open({ pointer: { sampleMs: 50 } }, { pointermove: true });
  // Three events within one task, so that a busy machine cannot spread them over more than 50 ms.
  const bursts = () => page.evaluate(() => {
    for (let i = 0; i < 3; i++) {
      document.getElementById('go').dispatchEvent(new PointerEvent('pointermove',
        { clientX: 1, clientY: 1, pointerType: 'mouse', bubbles: true }));
    }
  });
  await bursts();
  await page.waitForTimeout(60);
  await bursts();
  const times = (await page.sent()).map((a) => a.t_mono);
  assert.equal(times.length, 2, `kept ${times}`);
  assert.ok(times[1] - times[0] >= 50);
});

test('input values are masked by default: the length only', async () => {
  const page = await open({}, { input: true });
  await page.locator('#name').fill('Jane Doe');
  await page.locator('#name').blur();
  assert.deepEqual(
    (await page.sent()).map((a) => [a.type, a.target.id, a.data]),
    [
      ['input', 'name', { length: 8 }],
      ['change', 'name', { length: 8 }],
    ],
  );
});

test('a field with data-ual-record-value records its value: text, checkbox, contenteditable', async () => {
  const page = await open({}, { input: true });
  await page.locator('#recorded').fill('B');
  await page.locator('#agree').check();
  await page.locator('#note').fill('hello');
  assert.deepEqual(
    (await page.sent()).map((a) => [a.type, a.target.id, a.data]),
    [
      ['input', 'recorded', { length: 1, value: 'B' }],
      ['change', 'recorded', { length: 1, value: 'B' }],
      ['input', 'agree', { length: 2, checked: true }],
      ['change', 'agree', { length: 2, checked: true }],
      ['input', 'note', { length: 5, value: 'hello' }],
    ],
  );
});

test('password fields never record their value, even opted in or with inputValues all', async () => {
  for (const inputValues of ['masked', 'all']) {
    const page = await open({ inputValues }, { input: true, keys: true });
    await page.locator('#password').fill('hunter2');
    await page.locator('#otp').fill('x1');
    await page.locator('#password').press('s');
    const actions = await page.sent();
    assert.deepEqual(
      actions.filter((a) => a.type === 'input').map((a) => a.data),
      [{ length: 7 }, { length: 2 }, { length: 8 }],
      inputValues,
    );
    assert.doesNotMatch(JSON.stringify(browser.batches), /hunter2/);
  }
});

test('inputValues all records values except in fields marked data-ual-mask', async () => {
  const page = await open({ inputValues: 'all' }, { input: true });
  await page.locator('#name').fill('yes');
  await page.locator('#masked').fill('no');
  assert.deepEqual(
    (await page.sent()).map((a) => [a.type, a.data]),
    [
      ['input', { length: 3, value: 'yes' }],
      ['change', { length: 3, value: 'yes' }],
      ['input', { length: 2 }],
    ],
  );
});

test('keys default to category mode: timing, category and modifiers, never the key itself', async () => {
  const page = await open({}, { keys: true });
  await page.locator('#name').press('q');
  await page.locator('#name').press('Shift+A');
  const actions = await page.sent();
  assert.deepEqual(
    actions.map((a) => [a.type, a.data]),
    [
      ['keydown', { category: 'letter' }],
      ['keyup', { category: 'letter' }],
      ['keydown', { category: 'modifier', modifiers: ['shift'] }],
      ['keydown', { category: 'letter', modifiers: ['shift'] }],
      ['keyup', { category: 'letter', modifiers: ['shift'] }],
      ['keyup', { category: 'modifier' }],
    ],
  );
  assert.ok(actions.every((a) => a.x === undefined && a.target.id === 'name'), 'keys carry their field and no coordinates');
  assert.doesNotMatch(JSON.stringify(actions), /Key[QA]|"[qA]"/);
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
  const page = await open({ keys: 'full' }, { keys: true });
  await page.locator('#name').press('q');
  await page.locator('#password').press('s');
  assert.deepEqual(
    (await page.sent()).filter((a) => a.type === 'keydown').map((a) => a.data),
    [{ category: 'letter', key: 'q', code: 'KeyQ' }, { category: 'letter' }],
  );
});

test("keys 'none' records no key actions", async () => {
  const page = await open({ keys: 'none' }, { keys: true });
  await page.locator('#name').press('q');
  assert.deepEqual(await page.sent(), []);
});
