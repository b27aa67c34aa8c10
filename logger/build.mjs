import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = dirname(fileURLToPath(import.meta.url));
const common = { absWorkingDir: root, bundle: true, target: 'es2020', legalComments: 'none', write: false };

// Both files come from the same source: an ES module for bundlers and apps that import, and one
// minified classic script that sets window.UserLogger for a plain <script> tag. Properties whose
// names end in one underscore are internal to the logger; the classic script shortens them, which
// keeps it within its size budget while the source spells them out.
export async function bundle() {
  const [esm, classic] = await Promise.all([
    build({ ...common, entryPoints: ['src/index.js'], format: 'esm' }),
    build({ ...common, entryPoints: ['src/global.js'], format: 'iife', minify: true, mangleProps: /[^_]_$/ }),
  ]);
  const code = classic.outputFiles[0].contents;
  return { esm: esm.outputFiles[0].text, classic: code, bytes: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const b = await bundle();
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(join(root, 'dist/user-logger.mjs'), b.esm);
  writeFileSync(join(root, 'dist/UserLogger.js'), b.classic);
  console.log(`dist/user-logger.mjs  ${Buffer.byteLength(b.esm)} bytes`);
  console.log(`dist/UserLogger.js    ${b.bytes} bytes minified, ${b.gzip} bytes gzip`);
}
