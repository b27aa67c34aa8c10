// Three participants do the study in Debian's Chromium while the research console is open in another
// window. For the second participant, the script answers one batch itself with a 202, so its actions
// never reach the ingest service: a known range of seq is lost. Reports, as JSON lines ("EVENT {...}"),
// what was lost, what the console showed, and whether its numbers changed without a reload.
import { launchChromium } from './chromium.mjs';

const studyUrl = process.env.STUDY_URL;
const consoleUrl = process.env.CONSOLE_URL;
const password = process.env.ADMIN_PASSWORD ?? 'ual-admin-local-dev';
const screenshot = process.env.SCREENSHOT;
const report = (event) => console.log('EVENT ' + JSON.stringify(event));
const participants = ['quality-1', 'quality-2', 'quality-3'];

async function trial(page, points) {
  const home = await page.locator('#home').boundingBox();
  await page.mouse.click(home.x + home.width / 2, home.y + home.height / 2);
  await page.waitForSelector('#target[visibility="visible"]');
  const target = await page.locator('#target').boundingBox();
  const from = { x: home.x + home.width / 2, y: home.y + home.height / 2 };
  const to = { x: target.x + target.width / 2, y: target.y + target.height / 2 };
  for (let i = 1; i <= points; i++) {
    await page.mouse.move(Math.round(from.x + (to.x - from.x) * i / points), Math.round(from.y + (to.y - from.y) * i / points));
  }
  await page.mouse.click(Math.round(to.x), Math.round(to.y));
}

async function rows(page) {
  return page.$$eval('#sessions tbody tr', (trs) => trs.map((tr) => Object.fromEntries(
    [...tr.cells].map((td) => [td.className.split(' ')[0], td.textContent]))));
}

const browser = await launchChromium();
try {
  const consoleContext = await browser.newContext({ viewport: { width: 1600, height: 900 },
    httpCredentials: { username: 'admin', password } });
  const consolePage = await consoleContext.newPage();
  let navigations = 0;
  consolePage.on('framenavigated', (frame) => { if (frame === consolePage.mainFrame()) navigations++; });
  // The page fetches its plot when the number of completed trials changes; count the fetches under way.
  let plotsInFlight = 0;
  const isPlot = (request) => request.url().includes('/trajectories.svg');
  consolePage.on('request', (request) => { if (isPlot(request)) plotsInFlight++; });
  for (const done of ['requestfinished', 'requestfailed']) {
    consolePage.on(done, (request) => { if (isPlot(request)) plotsInFlight--; });
  }
  await consolePage.goto(`${consoleUrl}/?study=demo`);

  const pages = [];
  for (const [index, participant] of participants.entries()) {
    const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    const page = await context.newPage();
    const lost = [];
    if (index === 1) {
      let batches = 0;
      await page.route('**/v1/batches**', async (route) => {
        batches++;
        if (batches !== 2) return route.continue();
        const body = JSON.parse(route.request().postData());
        lost.push(...body.actions.map((action) => action.seq));
        return route.fulfill({ status: 202, contentType: 'application/json',
          headers: { 'access-control-allow-origin': '*' },
          body: JSON.stringify({ accepted: body.actions.length, duplicates_dropped: 0 }) });
      });
    }
    await page.goto(`${studyUrl}?participant=${participant}&condition=A`);
    await page.check('#agree');
    await page.click('#start');
    await page.waitForSelector('#task:not([hidden])');
    const session = await page.evaluate(() => window.ualLogger.session);
    const trials = await page.evaluate(() => window.UAL_STUDY.trials);
    for (let t = 0; t < trials; t++) {
      await trial(page, 40);
      await page.evaluate(() => window.ualLogger.flush());
    }
    await page.waitForFunction(() => window.ualLogger.pending() === 0, null, { timeout: 60_000, polling: 200 });
    report({ participant, session, lost });
    pages.push(page);
  }

  const shown = async (condition) => {
    let seen = [];
    for (let i = 0; i < 120; i++) {
      seen = (await rows(consolePage)).filter((row) => participants.includes(row.participant));
      if (condition(seen)) return seen;
      await consolePage.waitForTimeout(500);
    }
    report({ neverShown: String(condition), seen, error: await consolePage.textContent('#error') });
    throw new Error('the console never showed ' + condition);
  };
  // Every batch was acknowledged before this point; the rows are complete once the projection caught up
  // (a dropped batch may hold a trial:end, so the lossy participant's trials are not counted on).
  const trials = await pages[0].evaluate(() => window.UAL_STUDY.trials);
  const complete = (seen) => seen.length === 3 && seen.every((row) => row.participant === participants[1]
    ? row.lost !== '0' : Number(row.trials_completed) === trials);
  await shown(complete);
  await consolePage.waitForTimeout(3000);
  const before = await shown(complete);
  report({ consoleRows: before });

  // More actions from the first participant: the open console must show them without a reload.
  for (let i = 0; i < 30; i++) await pages[0].mouse.move(100 + i * 5, 200 + i * 3);
  await pages[0].evaluate(() => window.ualLogger.flush());
  const first = before.find((row) => row.participant === participants[0]);
  const after = await shown((seen) => seen.some((row) => row.participant === participants[0]
    && Number(row.actions) > Number(first.actions)));
  report({ updatedRows: after, navigations });
  // The page's own plot: one path per completed trial and the mean, drawn without a reload.
  // The rows above were rendered after the page asked for the plot of their trial count. Wait for each
  // participant who lost nothing to have a path per trial (earlier tests' participants share the plot, so a
  // total would not do), then for no plot fetch to be under way. The lossy participant's trials are not waited
  // for: a lost start marker leaves a trial undrawn, which the test checks against the database. A timeout
  // falls through to the counts below, so that the test's assertion names what was drawn.
  const expected = Object.fromEntries(after.filter((row) => row.participant !== participants[1])
    .map((row) => [row.participant, Number(row.trials_completed)]));
  await consolePage.waitForFunction((wanted) => {
    const lines = [...document.querySelectorAll('#trajectories polyline.trial')];
    return Object.entries(wanted).every(([p, n]) =>
      lines.filter((line) => line.dataset.mtId.startsWith(p + '/')).length >= n);
  }, expected, { timeout: 30_000, polling: 250 }).catch(() => {});
  for (let i = 0; i < 60 && plotsInFlight > 0; i++) await consolePage.waitForTimeout(250);
  await consolePage.waitForTimeout(500);
  const plotted = {};
  for (const participant of participants) {
    plotted[participant] = await consolePage.$$eval('#trajectories polyline.trial',
      (lines, p) => lines.filter((line) => line.dataset.mtId.startsWith(p + '/')).length, participant);
  }
  const means = await consolePage.$$eval('#trajectories polyline.mean', (lines) => lines.length);
  report({ plotted, means, trials });
  if (screenshot) await consolePage.screenshot({ path: screenshot, fullPage: true });

  // Heatmap: one more participant (condition H) clicks known points of the task page's arena before any
  // trial: 5 times at A, twice at B, once at C. The test reads the PNG's pixels; here the console draws it.
  const clicks = [[300, 300, 5], [800, 250, 2], [250, 560, 1]];
  const heatContext = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  const heatPage = await heatContext.newPage();
  await heatPage.goto(`${studyUrl}?participant=heat-1&condition=H`);
  // Consenting takes two clicks, logged too: the page's check and click land on each element's centre.
  const centre = async (selector) => {
    const box = await heatPage.locator(selector).boundingBox();
    return [Math.floor(box.x + box.width / 2), Math.floor(box.y + box.height / 2), 1];
  };
  const consentClicks = [await centre('#agree'), await centre('#start')];
  await heatPage.check('#agree');
  await heatPage.click('#start');
  await heatPage.waitForSelector('#task:not([hidden])');
  for (const [x, y, times] of clicks) {
    for (let i = 0; i < times; i++) await heatPage.mouse.click(x, y);
  }
  await heatPage.evaluate(() => window.ualLogger.flush());
  await heatPage.waitForFunction(() => window.ualLogger.pending() === 0, null, { timeout: 60_000, polling: 200 });
  const heatUrl = heatPage.url();
  report({ heatmapClicks: clicks, consentClicks, url: heatUrl });
  const total = String([...clicks, ...consentClicks].reduce((n, click) => n + click[2], 0));

  // The form offers what the study had when the tab opened: reopen it until the clicks are stored.
  const form = consolePage.locator('#heatmap-form');
  for (let i = 0; ; i++) {
    await consolePage.goto(`${consoleUrl}/?study=demo#quality`);
    await consolePage.goto(`${consoleUrl}/?study=demo#heatmaps`);
    const offered = await consolePage.waitForFunction(() => [...document.querySelectorAll(
      '#heatmap-form [name=condition] option')].some((o) => o.value === 'H'), null, { timeout: 3_000, polling: 250 })
      .then(() => true, () => false);
    if (offered) break;
    if (i === 20) throw new Error('the heatmap form never offered condition H');
  }
  await form.locator('[name=condition]').selectOption('H');
  await form.locator('[name=x]').selectOption('absolute');
  await form.locator('[name=cell]').fill('20');
  let drawn = {};
  for (let i = 0; i < 60 && drawn.samples !== total; i++) {
    await form.locator('button[type=submit]').click();
    await consolePage.waitForFunction(() => document.querySelector('#heatmap').complete
      && document.querySelector('#heatmap').naturalWidth > 0, null, { timeout: 10_000 });
    drawn = await consolePage.$eval('#heatmap', (img) => ({ ...img.dataset, width: img.naturalWidth }));
    if (drawn.samples !== total) await consolePage.waitForTimeout(500);
  }
  report({ heatmapShown: drawn });
  const shot = (name) => screenshot && consolePage.screenshot({ path: screenshot.replace(/\.png$/, '-' + name + '.png'),
    fullPage: true });
  await shot('heatmaps');
  await consolePage.goto(`${consoleUrl}/?study=demo#trajectories`);
  await consolePage.waitForSelector('#trajectories polyline.mean', { timeout: 30_000 });
  await shot('trajectories');
  await consolePage.goto(`${consoleUrl}/?study=demo#exports`);
  await consolePage.waitForSelector('#exports a');
  await shot('exports');
  report({ phase: 'finished' });
} finally {
  await browser.close();
}
