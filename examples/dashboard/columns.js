// Reading a file's columns before it is loaded: the column names, a preview of the first rows and a
// guessed mapping of columns to Stageline's fields (by name, as `stageline analyze` guesses), which
// the user confirms or changes in the mapping step.

export const FIELDS = ['customerId', 'timestamp', 'type', 'amount', 'quantity', 'unitPrice', 'orderId', 'score', 'product'];

// Column names (lower case, letters and digits only) each field is guessed from, best first.
const GUESSES = {
  customerId: ['customerid', 'customer', 'userid', 'user', 'clientid', 'client', 'accountid', 'visitorid'],
  timestamp: ['timestamp', 'time', 'datetime', 'date', 'ts', 'createdat', 'occurredat', 'eventtime', 'orderdate', 'invoicedate'],
  type: ['type', 'eventtype', 'event', 'eventname', 'action'],
  amount: ['amount', 'value', 'revenue', 'total', 'sales', 'ordertotal', 'lineamount'],
  quantity: ['quantity', 'qty'],
  unitPrice: ['unitprice', 'price'],
  orderId: ['orderid', 'order', 'invoiceno', 'invoice', 'invoiceid', 'transactionid'],
  score: ['score', 'rating', 'nps', 'csat'],
  product: ['productid', 'product', 'sku', 'stockcode', 'itemid', 'item'],
};

const normalise = (name) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

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
    columns: splitCsvLine(lines[0] ?? '', delimiter),
    preview: lines.slice(1).map((line) => splitCsvLine(line, delimiter)),
  };
}

/**
 * The mapping { field: column } guessed from the names, and the kind: a file with an event type
 * column is events, otherwise transactions (order lines). An events file with a single value column
 * (the sample's customer_id,type,timestamp,value) gives survey scores from it too.
 */
export function guessMapping(columns) {
  const mapping = {};
  const taken = new Set();
  for (const field of FIELDS) {
    for (const candidate of GUESSES[field]) {
      const column = columns.find((name) => normalise(name) === candidate && !taken.has(name));
      if (column !== undefined) {
        mapping[field] = column;
        taken.add(column);
        break;
      }
    }
  }
  const kind = mapping.type !== undefined ? 'events' : 'transactions';
  if (kind === 'events' && mapping.score === undefined && mapping.amount !== undefined) mapping.score = mapping.amount;
  return { mapping, kind };
}

/** What is missing for `kind` under `mapping`, as text for the user; null when it can be loaded. */
export function missingFields(mapping, kind) {
  const missing = ['customerId', 'timestamp', ...(kind === 'events' ? ['type'] : [])].filter((f) => !mapping[f]);
  if (kind === 'transactions' && !mapping.amount && !(mapping.quantity && mapping.unitPrice)) missing.push('amount (or quantity and unitPrice)');
  return missing.length === 0 ? null : `choose a column for ${missing.join(', ')}`;
}
