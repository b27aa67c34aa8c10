import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { bundle } from '../build.mjs';
import { fixtureBrowser } from './support/browser.mjs';

const BUDGET = 6144;
const built = bundle();

test(`dist/UserLogger.js stays within ${BUDGET} bytes minified + gzip`, async () => {
  const { bytes, gzip } = await built;
  console.log(`dist/UserLogger.js: ${bytes} bytes minified, ${gzip} bytes gzip (budget ${BUDGET})`);
  assert.ok(gzip <= BUDGET, `${gzip} bytes gzip is over the budget of ${BUDGET}`);
});

test('the classic script sets window.UserLogger and nothing else, and a click reaches the endpoint as a v1 batch', async () => {
  const browser = await fixtureBrowser();
  try {
    // test/fixtures/classic.html loads dist/UserLogger.js with a <script> tag, as a study page does.
    const page = await browser.open('classic.html', {});
    const added = await page.evaluate(() => Object.keys(window).filter((name) => !globalsBefore.includes(name)));
    assert.deepEqual(added, ['UserLogger', 'logger'], 'the test itself set window.logger');
    await page.locator('#go').click();
    await page.evaluate(() => window.logger.log('trial:start', { trial: 1 }));
    assert.deepEqual(
      (await page.sent()).map((a) => a.type).filter((type) => !/^(pointer|focus)/.test(type)),
      ['page_load', 'click', 'trial:start'],
    );
    await page.evaluate(() => window.logger.stop());

    await page.evaluate(() => {
      window.logger = new window.UserLogger(location.origin + '/analytics', 50, 1000, [], { user: 'alice' });
      window.logger.addAction('start');
    });
    await page.sent();
    const legacy = browser.batches.find((batch) => batch.actions.some((a) => a.type === 'start'));
    assert.equal(legacy.participant, 'alice');
    await browser.reset();
  } finally {
    await browser.close();
  }
});

test('the ES module build exports UserLogger', async () => {
  const { esm } = await built;
  const dir = mkdtempSync(join(tmpdir(), 'ual-'));
  try {
    const file = join(dir, 'user-logger.mjs');
    writeFileSync(file, esm);
    const mod = await import(pathToFileURL(file).href);
    assert.deepEqual(Object.keys(mod), ['UserLogger']);
    assert.equal(typeof mod.UserLogger.start, 'function');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
