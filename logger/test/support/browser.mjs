// Debian's Chromium, driven by playwright-core, on the HTML fixtures in test/fixtures. A small
// server on 127.0.0.1 serves them with the logger's source (/src/) and its classic build
// (/dist/UserLogger.js), and takes the batches the way the ingest service does: each one is held
// against wire format v1 and kept for the test to read.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname } from 'node:path';
import { chromium } from 'playwright-core';
import { bundle } from '../../build.mjs';
import { validateBatch } from './v1.mjs';

const ROOTS = { '/src/': new URL('../../src/', import.meta.url), '/fixtures/': new URL('../fixtures/', import.meta.url) };
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };

function serve(batches, refused) {
  const classic = bundle().then(({ classic }) => classic);
  return createServer(async (request, response) => {
    const path = new URL(request.url, 'http://localhost').pathname;
    if (request.method === 'POST' && path === '/v1/batches') {
      const chunks = [];
      for await (const chunk of request) chunks.push(chunk);
      const body = Buffer.concat(chunks).toString();
      try {
        const batch = validateBatch(body);
        batches.push(batch);
        response.writeHead(202, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify({ accepted: batch.actions.length, duplicates_dropped: 0 }));
      } catch (error) {
        refused.push(error.message);
        response.writeHead(400, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: error.message }));
      }
      return;
    }
    const root = Object.keys(ROOTS).find((prefix) => path.startsWith(prefix));
    const file = path === '/dist/UserLogger.js' ? await classic : root && (await readFile(new URL(path.slice(root.length), ROOTS[root])).catch(() => null));
    if (!file) return response.writeHead(404).end();
    response.writeHead(200, { 'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream' });
    response.end(file);
  });
}

// open(fixture, options) loads /fixtures/<fixture> and starts window.logger with the options (with
// null, the test starts it). The page's sent() flushes window.logger and returns the actions of its
// session that reached the server.
export async function fixtureBrowser() {
  const batches = [];
  const refused = [];
  const server = serve(batches, refused);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const contexts = [];

  return {
    origin,
    batches,

    async open(fixture, options) {
      const context = await browser.newContext({ viewport: { width: 800, height: 600 } });
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(`${origin}/fixtures/${fixture}`);
      page.sent = async () => {
        const session = await page.evaluate(async () => {
          await window.logger.flush();
          return window.logger.session;
        });
        return batches.filter((batch) => batch.session === session).flatMap((batch) => batch.actions);
      };
      if (options === null) return page;
      await page.evaluate((options) => {
        window.logger = window.UserLogger.start({ endpoint: location.origin + '/v1/batches', study: 'demo', participant: 'p-001', ...options });
      }, options);
      return page;
    },

    // After each test: its pages go, and a batch the server refused fails the test.
    async reset() {
      await Promise.all(contexts.splice(0).map((context) => context.close()));
      const errors = refused.splice(0);
      if (errors.length) throw new Error('the server refused: ' + errors.join('; '));
    },

    async close() {
      await browser.close();
      server.close();
    },
  };
}
