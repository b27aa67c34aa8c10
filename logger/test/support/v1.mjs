// Holds a request body against the published v1 contract, docs/wire-format-v1.schema.json, so the
// tests check every batch the logger sends against the same file as other languages' clients.
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';

const schema = JSON.parse(readFileSync(new URL('../../../docs/wire-format-v1.schema.json', import.meta.url), 'utf8'));

// unicode: false counts string lengths in UTF-16 code units, as the server does (a rule beyond the
// schema, whose maxLength counts code points). strictTypes is off: the data levels and the nullable
// members leave types to the keywords that apply to them.
const validate = new Ajv2020({ strict: true, strictTypes: false, unicode: false, allErrors: true }).compile(schema);

const MAX_BODY_BYTES = 1024 * 1024;
// The ingest service refuses a batch (413) when one action's Kafka record, the batch's envelope plus
// the action as sent, is over 16 KiB; the logger then splits the batch down to that action and drops it.
const MAX_RECORD_BYTES = 16 * 1024;

// body: the request body text. Returns the parsed batch; throws on the first breach.
export function validateBatch(body) {
  if (Buffer.byteLength(body) > MAX_BODY_BYTES) throw new Error(`the body is over ${MAX_BODY_BYTES} bytes`);
  const batch = JSON.parse(body);
  if (!validate(batch)) {
    throw new Error(validate.errors.map((e) => `${e.instancePath || '/'} ${e.message}`).join('; '));
  }
  // Rules beyond the schema that a logger could break (JSON.stringify repeats no member name and
  // writes integers as integers).
  const ids = new Set();
  const { actions, ...envelope } = batch;
  batch.actions.forEach((a, i) => {
    const id = a.id.toLowerCase();
    if (ids.has(id)) throw new Error(`/actions/${i}/id repeats an id`);
    ids.add(id);
    const record = Buffer.byteLength(JSON.stringify({ v: 1, ...envelope, received_at: Date.now(), action: a }));
    if (record > MAX_RECORD_BYTES) throw new Error(`/actions/${i} makes a record of ${record} bytes, over ${MAX_RECORD_BYTES}`);
  });
  return batch;
}
