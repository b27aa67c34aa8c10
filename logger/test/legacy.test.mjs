import assert from 'node:assert/strict';
import { after, afterEach, beforeEach, describe, mock, test } from 'node:test';
import { UserLogger } from '../src/index.js';
import { fixtureBrowser } from './support/browser.mjs';
import { NOW, fakeWindow, settle } from './support/fakes.mjs';

describe('the seed API on fakes of window, storage and network', () => {
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
    logger.log('answer');
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
    const answer = body.actions.find((a) => a.type === 'answer');
    assert.deepEqual(answer.data.attrs, { condition_2: 'x' });

    for (let i = 0; i < 3; i++) logger.log('answer');
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

  test('the new API works on a legacy-constructed logger and UserLogger.start is the same class', async () => {
    const { w, logger } = seed('https://ingest.example/analytics', 50, 1000, [], { user: 'eve' });
    assert.ok(logger instanceof UserLogger);
    logger.log('trial:start', { trial: 3 });
    await logger.flush();
    assert.deepEqual(logger.stats(), { sent: 2, acknowledged: 2, dropped: 0, retries: 0, rejected: 0 });
    assert.equal(w.sent()[1].data.trial, 3);
    assert.ok(UserLogger.start({ endpoint: 'https://ingest.example/v1/batches', study: 'demo' }) instanceof UserLogger);
  });
});

// Chromium on test/fixtures/capture.html, the logger made by the seed's constructor.
const browser = await fixtureBrowser();
after(() => browser.close());

describe('the seed API on a real page', () => {
  afterEach(() => browser.reset());

  async function seedPage(path, ...args) {
    const page = await browser.open('capture.html', null);
    await page.evaluate((args) => void (window.logger = new window.UserLogger(...args)), [browser.origin + path, ...args]);
    return page;
  }

  test('attributesName names the data-* attributes a target carries, with or without the data- prefix', async () => {
    const page = await seedPage('/analytics', 50, 1000, ['trial', 'data-cond'], { user: 'alice' });
    await page.locator('main span').click();
    const click = (await page.sent()).find((a) => a.type === 'click');
    assert.deepEqual(click.target.attrs, { 'data-trial': '3', 'data-cond': 'B' });
  });

  test('subscribeObject(selector) marks click, pointer and input actions on matching elements with data.subscribed', async () => {
    const page = await seedPage('/analytics', 50, 1000, [], { user: 'carol' });
    await page.evaluate(() => window.logger.subscribeObject('#panel'));
    await page.locator('#inside').click();
    await page.locator('#outside').click();
    await page.locator('#panel-field').fill('x');
    await page.locator('#inside').press('a');
    const actions = (await page.sent()).filter((a) => /^(click|input|change|keydown)$/.test(a.type));
    assert.deepEqual(
      actions.map((a) => [a.type, a.target.id, a.data.subscribed]),
      [
        ['click', 'inside', '#panel'],
        ['click', 'outside', undefined],
        ['input', 'panel-field', '#panel'],
        ['change', 'panel-field', '#panel'],
        ['keydown', 'inside', undefined],
      ],
    );
    assert.ok((await page.sent()).some((a) => a.type === 'pointerdown' && a.data.subscribed === '#panel'));
  });

  test("addAction(action, event) in an app's handler records a custom action with the event's coordinates and target", async () => {
    const page = await seedPage('/analytics', 50, 1000, [], { user: 'dan' });
    await page.evaluate(() => document.getElementById('go').addEventListener('click', (event) => window.logger.addAction('answer given', event)));
    const box = await page.locator('#go').boundingBox();
    const [x, y] = [Math.round(box.x + 3), Math.round(box.y + 3)];
    await page.mouse.click(x, y);
    await page.evaluate(() => window.logger.addAction('no event'));
    const [answer, noEvent] = (await page.sent()).filter((a) => /^(answer_given|no_event)$/.test(a.type));
    assert.equal(answer.type, 'answer_given');
    assert.equal(answer.data.name, 'answer given');
    assert.deepEqual([answer.x, answer.y, answer.page_x, answer.page_y], [x, y, x, y]);
    assert.equal(answer.target.id, 'go');
    assert.equal(noEvent.type, 'no_event');
    assert.equal(noEvent.x, undefined);
  });
});
