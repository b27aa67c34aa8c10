// What the logger captures from a real page: Chromium on test/fixtures/capture.html, driven the way a
// participant drives it (mouse, keyboard, scrolling, resizing, navigating), with the actions read back
// from the batches the fixture server received.
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
  // Three events within one task, each giving back its timeStamp: a busy machine can still spread
  // them over more than 50 ms, so the expected survivors follow from the times the events carried.
  const burst = () => page.evaluate(() => Array.from({ length: 3 }, () => {
    const event = new PointerEvent('pointermove', { clientX: 1, clientY: 1, pointerType: 'mouse', bubbles: true });
    document.getElementById('go').dispatchEvent(event);
    return event.timeStamp;
  }));
  const dispatched = await burst();
  await page.waitForTimeout(60);
  dispatched.push(...(await burst()));
  const expected = [];
  for (const t of dispatched) if (!expected.length || t - expected.at(-1) >= 50) expected.push(t);
  const kept = (await page.sent()).map((a) => a.t_mono);
  assert.deepEqual(kept, expected, `dispatched at ${dispatched}`);
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

test('scroll actions carry scroll_x and scroll_y of the page or of the scrolled element', async () => {
  const page = await open({}, { scroll: true });
  await page.evaluate(() => window.scrollTo(0, 640));
  await page.waitForFunction(() => window.scrollY === 640);
  // A scroll event reaches the page a frame after scrollTop is set: wait until the logger has seen it.
  await page.evaluate(
    () =>
      new Promise((resolve) => {
        const list = document.getElementById('list');
        list.addEventListener('scroll', resolve, { once: true });
        list.scrollTop = 30;
      }),
  );
  const actions = await page.sent();
  assert.deepEqual(
    actions.map((a) => [a.type, a.data, a.target && a.target.id]),
    [
      ['scroll', { scroll_x: 0, scroll_y: 640 }, undefined],
      ['scroll', { scroll_x: 0, scroll_y: 30 }, 'list'],
    ],
  );
  assert.equal(actions[0].x, undefined);
});

test('SPA navigation: pushState, replaceState, back and hash changes, once per change of URL', async () => {
  const page = await open({}, { navigation: true });
  const start = new URL(page.url()).pathname;
  await page.evaluate(() => history.pushState({}, '', '/step/2'));
  await page.evaluate(() => history.replaceState({}, '', '/step/2?x=1'));
  await page.goBack();
  await page.evaluate(() => (location.hash = 'help'));
  await page.evaluate(() => history.pushState({}, '', '#help'));
  const actions = await page.sent();
  const path = (url) => url.replace(browser.origin, '');
  assert.deepEqual(
    actions.map((a) => [a.data.via, path(a.data.from), path(a.data.to)]),
    [
      ['pushState', start, '/step/2'],
      ['replaceState', '/step/2', '/step/2?x=1'],
      ['popstate', '/step/2?x=1', start],
      ['popstate', start, start + '#help'],
    ],
  );
  assert.equal(path(actions[0].url), '/step/2');
});

test('focus, blur, resize, page_load, and page_unload when the page goes away', async () => {
  const page = await open({}, { focus: true, resize: true, page: true });
  await page.locator('#name').focus();
  await page.locator('#go').focus();
  // The resize event follows setViewportSize asynchronously: leave the page only after it came.
  const resized = page.evaluate(() => new Promise((resolve) => addEventListener('resize', resolve, { once: true })));
  await page.setViewportSize({ width: 640, height: 480 });
  await resized;
  const session = await page.evaluate(() => window.logger.session);
  await page.goto(`${browser.origin}/fixtures/classic.html`);
  // The last actions leave in the page-hide flush, with nothing left to await them in the page.
  const sent = () => browser.batches.filter((batch) => batch.session === session).flatMap((batch) => batch.actions);
  for (let waited = 0; !sent().some((a) => a.type === 'page_unload') && waited < 5000; waited += 50) await page.waitForTimeout(50);
  assert.deepEqual(
    sent().map((a) => [a.type, a.data, a.target && a.target.id]),
    [
      ['page_load', undefined, undefined],
      ['focus', undefined, 'name'],
      ['blur', undefined, 'name'],
      ['focus', undefined, 'go'],
      ['resize', { vw: 640, vh: 480 }, undefined],
      ['page_unload', { persisted: false }, undefined],
    ],
  );
  assert.deepEqual([sent()[4].vw, sent()[4].vh], [640, 480]);
});

test('target: id, a short selector, and the data-* attributes (all, or the named ones)', async () => {
  const page = await open({}, { click: true });
  await page.locator('main span').click();
  await page.locator('#card-1 b').click();
  await page.locator('#card-1').click();
  const targets = (await page.sent()).map((a) => a.target);
  assert.deepEqual(targets, [
    { selector: 'main:nth-child(1) > section:nth-child(2) > span:nth-child(1)', attrs: { 'data-trial': '3', 'data-cond': 'B', 'data-block': '2' } },
    { selector: 'div#card-1 > b' },
    { id: 'card-1', selector: 'div#card-1' },
  ]);
  const found = (selector) => page.evaluate((selector) => document.querySelector(selector).outerHTML.slice(0, 20), selector);
  assert.deepEqual(await Promise.all(targets.map((target) => found(target.selector))), ['<span data-trial="3"', '<b>Card</b>', '<div id="card-1"><b>']);

  const named = await open({ dataAttributes: ['trial'] }, { click: true });
  await named.locator('main span').click();
  assert.deepEqual((await named.sent())[0].target.attrs, { 'data-trial': '3' });

  const none = await open({ dataAttributes: false }, { click: true });
  await none.locator('main span').click();
  assert.equal((await none.sent())[0].target.attrs, undefined);
});

test('at most 32 data-* attributes, values cut to 1024 characters and 4096 in all, selector within 1024', async () => {
  const page = await open({}, { click: true });
  await page.evaluate(() => {
    let parent = document.body;
    for (let i = 0; i < 300; i++) parent = parent.appendChild(document.createElement('div'));
    const span = parent.appendChild(document.createElement('span'));
    span.id = 'deep target';
    span.textContent = 'deep';
    for (let i = 0; i < 40; i++) span.setAttribute(`data-a${i}`, 'v'.repeat(i < 20 ? 100 : 2000));
  });
  await page.locator('[id="deep target"]').click();
  const [action] = await page.sent();
  const values = Object.values(action.target.attrs);
  assert.equal(values.length, 23, '20 short values (2000 characters), then 1024, 1024 and the last 48 of the long ones');
  assert.ok(values.every((v) => v.length <= 1024));
  assert.equal(values.reduce((n, v) => n + v.length, 0), 4096);
  assert.equal(action.target.selector, 'span[id="deep target"]');
});

test('capture kinds can be turned off one by one', async () => {
  const page = await browser.open('capture.html', { capture: { click: false, pointermove: false, focus: false } });
  await page.locator('#go').click();
  assert.deepEqual(
    (await page.sent()).map((a) => a.type),
    ['page_load', 'pointerdown', 'pointerup'],
  );
});

test('stop() removes every listener and restores history; a second logger on the page keeps its own', async () => {
  const page = await browser.open('capture.html', null);
  const cdp = await page.context().newCDPSession(page);
  const listeners = async () => {
    let count = 0;
    for (const expression of ['window', 'document']) {
      const { result } = await cdp.send('Runtime.evaluate', { expression });
      count += (await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId })).listeners.length;
    }
    return count;
  };
  const native = () => page.evaluate(() => [history.pushState, history.replaceState].every((method) => /\[native code\]/.test(String(method))));
  const none = await listeners();

  const start = (name) => page.evaluate((name) => void (window[name] = window.UserLogger.start({ endpoint: location.origin + '/v1/batches', study: 'demo' })), name);

  await start('first');
  const withOne = await listeners();
  assert.ok(withOne > none && !(await native()));
  await start('second');
  await page.evaluate(() => window.second.stop());
  assert.equal(await listeners(), withOne, 'the stopped logger left nothing behind');
  assert.equal(await native(), false, 'the first logger still sees navigation');
  await page.evaluate(() => window.first.stop());
  assert.equal(await listeners(), none);
  assert.ok(await native());
});
