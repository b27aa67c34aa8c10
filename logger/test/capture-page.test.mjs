// What the logger captures from a real page, part two: scrolling, navigation, focus and resize, targets and
// their data-* attributes, and turning capture off (part one, pointer and keys: capture-input.test.mjs).
import assert from 'node:assert/strict';
import { after, afterEach, test } from 'node:test';
import { fixtureBrowser } from './support/browser.mjs';
import { NO_CAPTURE } from './support/fakes.mjs';

const browser = await fixtureBrowser();
afterEach(() => browser.reset());
after(() => browser.close());

// The fixture with a logger that has only the given capture kinds on.
const open = (options = {}, kinds = {}) => browser.open('capture.html', { ...options, capture: { ...NO_CAPTURE, ...kinds } });

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
