// Drives Debian's Chromium through the study app as a participant would, and reports what it did as
// JSON lines ("EVENT {...}") for the Java test that checks PostgreSQL. In mode "outage" it stops at
// two points and waits for "continue" on stdin, while the test stops and restarts the ingest service;
// in both modes it waits for "continue" after the page closed, before the browser goes.
import { launchChromium } from './chromium.mjs';
import { createInterface } from 'node:readline';

const studyUrl = process.env.STUDY_URL;
const mode = process.argv[2] ?? 'run';
const participant = process.env.PARTICIPANT ?? `browser-${Date.now()}`;
const pathPoints = Number(process.env.PATH_POINTS ?? 120);
const input = createInterface({ input: process.stdin });
const lines = input[Symbol.asyncIterator]();

const report = (event) => console.log('EVENT ' + JSON.stringify(event));
const proceed = async (phase) => {
  report({ phase });
  const { value, done } = await lines.next();
  if (done || value.trim() !== 'continue') throw new Error(`expected "continue" after ${phase}, got ${value}`);
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function centerOf(page, selector) {
  const box = await page.locator(selector).boundingBox();
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

// A curved path of distinct integer points from a to b (both excluded from the moves' start).
function pathBetween(a, b, n) {
  const points = [];
  for (let i = 1; i <= n; i++) {
    const f = i / n;
    const bow = Math.sin(Math.PI * f) * 60;
    points.push({ x: Math.round(a.x + (b.x - a.x) * f + bow), y: Math.round(a.y + (b.y - a.y) * f) });
  }
  for (let i = 1; i < points.length; i++) {
    if (points[i].x === points[i - 1].x && points[i].y === points[i - 1].y) points[i].x += 1;
  }
  return points;
}

// One trial: click home, follow a known path to the target's centre, press there without moving.
async function trial(page, n) {
  const home = await centerOf(page, '#home');
  await page.mouse.click(Math.round(home.x), Math.round(home.y));
  await page.waitForSelector('#target[visibility="visible"]');
  const target = await centerOf(page, '#target');
  const path = pathBetween({ x: Math.round(home.x), y: Math.round(home.y) },
    { x: Math.round(target.x), y: Math.round(target.y) }, n);
  for (const point of path) await page.mouse.move(point.x, point.y);
  await page.mouse.down();
  await page.mouse.up();
  return path;
}

const browser = await launchChromium();
try {
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.on('console', (message) => { if (message.type() === 'error') report({ console: message.text() }); });
  await page.goto(`${studyUrl}?participant=${encodeURIComponent(participant)}&condition=A`);
  await page.check('#agree');
  await page.click('#start');
  await page.waitForSelector('#task:not([hidden])');
  const session = await page.evaluate(() => window.ualLogger.session);
  report({ session, participant });

  if (mode === 'outage') {
    await proceed('before-outage');
    const path = await trial(page, pathPoints);
    report({ offlinePath: path, pendingOffline: await page.evaluate(() => window.ualLogger.pending()) });
    await proceed('offline-actions-done');
    const started = Date.now();
    await page.waitForFunction(() => window.ualLogger.pending() === 0, null, { timeout: 120_000, polling: 200 });
    report({ drainedMs: Date.now() - started, stats: await page.evaluate(() => window.ualLogger.stats()) });
    await page.close({ runBeforeUnload: true });
  } else {
    const path = await trial(page, pathPoints);
    report({ path });
    const trials = await page.evaluate(() => window.UAL_STUDY.trials);
    for (let i = 1; i < trials; i++) await trial(page, 10);

    await page.waitForSelector('#reading:not([hidden])');
    for (let i = 0; i < 40 && !(await page.locator('#reading-done').isVisible() &&
        await page.evaluate(() => document.getElementById('reading-done').getBoundingClientRect().bottom <= innerHeight)); i++) {
      await page.mouse.wheel(0, 300);
      await sleep(30);
    }
    await page.click('#reading-done');

    await page.waitForSelector('#typing:not([hidden])');
    const word = await page.textContent('#word');
    await page.click('#answer');
    await page.keyboard.type(word, { delay: 20 });
    await page.click('#finish');
    await page.waitForSelector('#done:not([hidden])');

    // The last actions go out only with the page-close flush: nothing waits for them before closing.
    const last = [];
    for (let i = 0; i < 5; i++) {
      last.push({ x: 200 + i * 7, y: 300 + i * 3 });
      await page.mouse.move(200 + i * 7, 300 + i * 3);
    }
    await page.evaluate(() => window.ualLogger.log('closing', { marker: 'last-before-close' }));
    report({ typed: word, closingMoves: last, pendingAtClose: await page.evaluate(() => window.ualLogger.pending()) });
    await page.close({ runBeforeUnload: true });
  }
  // The page-close flush may still be on its way: the test answers once what it needs has arrived.
  await proceed('closed');
  await context.close();
  report({ phase: 'finished' });
} finally {
  await browser.close();
  input.close();
}
