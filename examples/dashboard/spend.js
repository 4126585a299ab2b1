// Acquisition spend for the CAC card: a small CSV `period,spend` (one month a line, header
// optional) read into the {label: amount} object dataset.kpis({ spend }) takes.

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const NUMBER = /^[+]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A spend line that cannot be read: `row` is its 1-based line number, `column` "period" or "spend". */
export class SpendError extends Error {
  constructor(row, column, message) {
    super(`line ${row}, column ${column}: ${message}`);
    this.name = 'SpendError';
    this.row = row;
    this.column = column;
  }
}

/**
 * {label: amount} from `text`: lines `YYYY-MM,amount` (a comma, semicolon or tab between; blank
 * lines skipped; a first line with neither a month nor an amount is a header). Amounts are ≥ 0 without
 * thousands separators. A month given twice is an error (which one was meant?). Throws SpendError.
 */
export function parseSpend(text) {
  const spend = {};
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  let first = true;
  lines.forEach((raw, index) => {
    const line = raw.replace(/\r$/, '').trim();
    if (line === '') return;
    const row = index + 1;
    const fields = line.split(/[,;\t]/).map((field) => field.trim().replace(/^"(.*)"$/, '$1'));
    const header = first && !MONTH.test(fields[0]) && !NUMBER.test(fields[1] ?? '');
    first = false;
    if (header) return;
    if (fields.length !== 2) throw new SpendError(row, 'spend', `expected two fields (period,spend), got ${fields.length}`);
    const [period, amount] = fields;
    if (!MONTH.test(period)) throw new SpendError(row, 'period', `expected a month as YYYY-MM, got ${JSON.stringify(period)}`);
    if (!NUMBER.test(amount)) throw new SpendError(row, 'spend', `expected an amount ≥ 0 (digits, optional decimals), got ${JSON.stringify(amount)}`);
    if (Object.hasOwn(spend, period)) throw new SpendError(row, 'period', `${period} is given twice`);
    spend[period] = Number(amount);
  });
  return spend;
}

/**
 * The spend split by whether the analysis has its period: dataset.kpis refuses a label outside
 * its periods, so those are set aside and listed for the user instead.
 */
export function spendWithin(spend, periods) {
  const known = new Set(periods);
  const used = {};
  const outside = [];
  for (const [label, amount] of Object.entries(spend)) {
    if (known.has(label)) used[label] = amount;
    else outside.push(label);
  }
  return { used, outside: outside.sort() };
}
