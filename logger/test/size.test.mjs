import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, mock, test } from 'node:test';
import vm from 'node:vm';
import { bundle } from '../build.mjs';
import { element, fakeWindow, settle } from './support/fakes.mjs';
import { validateBatch } from './support/v1.mjs';

// Timers under mock control: a logger left with work to do must not keep the test process alive.
beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
afterEach(() => mock.timers.reset());

const BUDGET = 6144;
const built = bundle();

test(`dist/UserLogger.js stays within ${BUDGET} bytes minified + gzip`, async () => {
  const { bytes, gzip } = await built;
  console.log(`dist/UserLogger.js: ${bytes} bytes minified, ${gzip} bytes gzip (budget ${BUDGET})`);
  assert.ok(gzip <= BUDGET, `${gzip} bytes gzip is over the budget of ${BUDGET}`);
});

test('the classic script sets window.UserLogger, and a click reaches the endpoint as a v1 batch', async () => {
  const { classic } = await built;
  const w = fakeWindow();
  // A fresh realm with only what a browser offers and the script uses.
  const context = vm.createContext({ window: w, URL, TextEncoder, Blob, setTimeout, clearTimeout });
  vm.runInContext(Buffer.from(classic).toString(), context);
  assert.equal(typeof w.UserLogger, 'function');
  assert.equal(Object.keys(context).includes('UserLogger'), false, 'nothing but window.UserLogger leaks');
  const logger = w.UserLogger.start({ endpoint: 'https://ingest.example/v1/batches', study: 'demo', participant: 'p-001' });
  w.fire('click', { target: element('button', { id: 'b', parent: w.document.body }), clientX: 1, clientY: 2 });
  logger.log('trial:start', { trial: 1 });
  await logger.flush();
  await settle();
  const batch = validateBatch(w.calls[0].init.body);
  assert.deepEqual(
    batch.actions.map((a) => a.type),
    ['page_load', 'click', 'trial:start'],
  );
  await logger.stop();

  const legacy = new w.UserLogger('https://ingest.example/analytics', 50, 1000, [], { user: 'alice' });
  legacy.addAction('start', undefined);
  await legacy.flush();
  assert.equal(w.calls.at(-1).body.participant, 'alice');
  legacy.stop();
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
