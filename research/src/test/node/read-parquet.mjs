// Prints a Parquet file as JSON: {"metadata": {key: value}, "columns": [names], "rows": [[...], ...]}.
// INT64 values become decimal strings, timestamps ISO-8601 strings, so Java can compare them exactly.
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'

const file = await asyncBufferFromFile(process.argv[2])
const metadata = await parquetMetadataAsync(file)
const columns = metadata.schema.slice(1).map(s => s.name)
const objects = await parquetReadObjects({ file, compressors })
const value = v => typeof v === 'bigint' ? v.toString() : v instanceof Date ? v.toISOString() : v
const rows = objects.map(o => columns.map(c => value(o[c] ?? null)))
const kv = Object.fromEntries((metadata.key_value_metadata || []).map(e => [e.key, e.value]))
const types = metadata.schema.slice(1).map(s => [s.type, s.logical_type ? s.logical_type.type : null, s.repetition_type])
process.stdout.write(JSON.stringify({ metadata: kv, columns, types, rows }))
