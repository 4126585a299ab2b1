// Which column of a file holds which dataset field, guessed from the column names: the one guesser
// behind `stageline analyze` and the dashboard's mapping step. Pure JavaScript (no module instance).

/** The fields sl.loadEvents / sl.loadTransactions map columns to. */
export const DATASET_FIELDS = Object.freeze(['customerId', 'timestamp', 'type', 'amount', 'quantity', 'unitPrice', 'orderId', 'score', 'product']);

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

/**
 * Guesses { field: column } from `columns` (names compared in lower case with everything but
 * letters and digits removed, so "Customer ID" is customerId). `given` ({field: column}) is kept as
 * is and its columns are not guessed again. The kind is `kind` if given, else events when a type
 * column was found, else transactions (order lines); a transactions mapping has no type. An events
 * file with one guessed value column (the sample's customer_id,type,timestamp,value) gives survey
 * scores from it too, unless the amount column was given.
 * @returns {{ mapping: Record<string, string>, kind: 'events' | 'transactions' }}
 */
export function guessColumns(columns, { given = {}, kind } = {}) {
  const mapping = { ...given };
  const taken = new Set(Object.values(given));
  for (const field of DATASET_FIELDS) {
    if (mapping[field] !== undefined) continue;
    for (const candidate of GUESSES[field]) {
      const column = columns.find((name) => normalise(name) === candidate && !taken.has(name));
      if (column !== undefined) {
        mapping[field] = column;
        taken.add(column);
        break;
      }
    }
  }
  const chosen = kind ?? (mapping.type !== undefined ? 'events' : 'transactions');
  if (chosen === 'transactions') delete mapping.type;
  if (chosen === 'events' && mapping.score === undefined && mapping.amount !== undefined && given.amount === undefined) {
    mapping.score = mapping.amount;
  }
  return { mapping, kind: chosen };
}
