// Reading a file's columns before it is loaded: the column names and a preview of the first rows,
// shown in the mapping step beside the library's guessed mapping (guessColumns in web/src/datasets/columns.js,
// the guesser `stageline analyze` uses too), which the user confirms or changes.

/** The first `count` lines of `text` (without a byte order mark or CRs). */
function firstLines(text, count) {
  const lines = [];
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (lines.length < count && start < text.length) {
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end === -1 ? undefined : end).replace(/\r$/, '');
    if (line.trim() !== '') lines.push(line);
    start = end === -1 ? text.length : end + 1;
  }
  return lines;
}

/** One CSV line split into fields (quotes honoured; a preview only, the core does the real parse). */
function splitCsvLine(line, delimiter) {
  const fields = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"' && field.trim() === '') quoted = true;
    else if (c === delimiter) { fields.push(field.trim()); field = ''; } else field += c;
  }
  fields.push(field.trim());
  return fields;
}

const TYPE_SCAN_LINES = 50_000;

/**
 * The distinct values of column `typeColumn` in the first 50,000 rows, sorted: the event types the
 * activation-event field suggests (a suggestion list only, so a type first seen later is still
 * accepted when typed in).
 */
export function eventTypes(text, typeColumn) {
  if (typeColumn === undefined) return [];
  const { format, delimiter, columns } = inspectText(text, 0);
  const types = new Set();
  const lines = firstLines(text, TYPE_SCAN_LINES + 1);
  if (format === 'ndjson') {
    for (const line of lines) {
      try {
        const type = JSON.parse(line)?.[typeColumn];
        if (typeof type === 'string') types.add(type);
      } catch {
        // a broken line: the loader reports it
      }
    }
  } else {
    const index = columns.indexOf(typeColumn);
    if (index < 0) return [];
    for (const line of lines.slice(1)) {
      const type = splitCsvLine(line, delimiter)[index];
      if (type) types.add(type);
    }
  }
  return [...types].sort();
}

/**
 * The format, column names and first `rows` rows of CSV or NDJSON text. NDJSON columns are the
 * members of the first 1,000 objects (events of different types carry different members).
 */
export function inspectText(text, rows = 6) {
  const [firstLine = ''] = firstLines(text, 1);
  if (firstLine.trimStart().startsWith('{')) {
    const names = new Set();
    const objects = [];
    for (const line of firstLines(text, 1000)) {
      try {
        const object = JSON.parse(line);
        if (object !== null && typeof object === 'object') {
          for (const name of Object.keys(object)) names.add(name);
          if (objects.length < rows) objects.push(object);
        }
      } catch {
        // a broken line: the loader reports it as an issue with its line number
      }
    }
    const columns = [...names];
    return { format: 'ndjson', columns, preview: objects.map((o) => columns.map((c) => (o[c] === undefined ? '' : String(o[c])))) };
  }
  const delimiters = [',', ';', '\t', '|'];
  const counts = delimiters.map((d) => firstLine.split(d).length);
  const delimiter = delimiters[counts.indexOf(Math.max(...counts))];
  const lines = firstLines(text, rows + 1);
  return {
    format: 'csv',
    delimiter,
    columns: splitCsvLine(lines[0] ?? '', delimiter),
    preview: lines.slice(1).map((line) => splitCsvLine(line, delimiter)),
  };
}

/** What is missing for `kind` under `mapping`, as text for the user; null when it can be loaded. */
export function missingFields(mapping, kind) {
  const missing = ['customerId', 'timestamp', ...(kind === 'events' ? ['type'] : [])].filter((f) => !mapping[f]);
  if (kind === 'transactions' && !mapping.amount && !(mapping.quantity && mapping.unitPrice)) missing.push('amount (or quantity and unitPrice)');
  return missing.length === 0 ? null : `choose a column for ${missing.join(', ')}`;
}
