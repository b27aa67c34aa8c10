import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { NO_CAPTURE, click, start } from './support/fakes.mjs';

// Timers under mock control: a logger left with work to do must not keep the test process alive.
beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
afterEach(() => mock.timers.reset());

// A logger with only the given capture kinds on; sent() flushes and lists the actions sent so far.
function logged(options = {}, kinds = {}) {
  const { w, logger } = start({ capture: { ...NO_CAPTURE, ...kinds }, ...options });
  const sent = async () => {
    await logger.flush();
    return w.sent();
  };
  return { w, logger, sent };
}

test('an action that would make a record over 16 KiB gives up its data rather than be refused', async () => {
  const { logger, sent } = logged();
  logger.log('big', { pad: '\u0001'.repeat(5000) });
  const [big] = await sent();
  assert.deepEqual(big.data, { truncated: true });
});

test('constant attributes are copied into every action as data.attrs', async () => {
  const { w, logger, sent } = logged({ attributes: { group: 'g1', round: 2 } }, { click: true });
  click(w, w.document.body);
  logger.log('note', { text: 'hi' });
  assert.deepEqual(
    (await sent()).map((a) => a.data.attrs),
    [
      { group: 'g1', round: 2 },
      { group: 'g1', round: 2 },
    ],
  );
});
