// `stageline analyze <file.csv|file.ndjson>`: the lifecycle report of a whole file, from the same
// WebAssembly core the pages use — KPIs per period (with NPS/CSAT/CES when the file has surveys),
// the stage distribution under a stage model, RFM segment counts and BG/NBD parameters.
//
// Columns are matched to Stageline's fields by name (customer_id, timestamp, amount, …) unless
// --map says otherwise; a file with an event type column is read as events, otherwise as orders.

import { readFile } from 'node:fs/promises';
import { DATASET_FIELDS, guessColumns } from '../../web/src/datasets/columns.js';
import { StagelineError } from '../../web/src/index.js';

export const ANALYZE_USAGE = 'usage: stageline analyze <file.csv|file.ndjson> [--model full|classic|journey|funnel|model.json] '
  + '[--map <column>=<field> …] [--kind events|transactions] [--period D|W|M|Q|Y] [--btyd-period D|W|M] [--strict] [--json]';

const MAX_TEXT_PERIODS = 12;
const MAX_TEXT_ISSUES = 5;

function usageError(message) {
  return new StagelineError('invalid_argument', '', `${message}\n${ANALYZE_USAGE}`);
}

/** analyze's arguments (after the word "analyze"). */
export function parseAnalyzeArgs(args) {
  const options = { file: null, model: 'full', map: {}, kind: null, period: 'M', btydPeriod: 'D', strict: false, json: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = () => {
      if (i + 1 >= args.length || args[i + 1].startsWith('--')) throw usageError(`${arg} needs a value`);
      return args[++i];
    };
    if (arg === '--json') options.json = true;
    else if (arg === '--strict') options.strict = true;
    else if (arg === '--model') options.model = value();
    else if (arg === '--kind') options.kind = value();
    else if (arg === '--period') options.period = value();
    else if (arg === '--btyd-period') options.btydPeriod = value();
    else if (arg === '--map') {
      let pairs = 0;
      while (i + 1 < args.length && !args[i + 1].startsWith('--') && args[i + 1].includes('=')) {
        const [column, field] = splitPair(args[++i]);
        options.map[field] = column;
        pairs++;
      }
      if (pairs === 0) throw usageError('--map needs <column>=<field> pairs');
    } else if (arg.startsWith('--')) throw usageError(`unknown option ${arg}`);
    else if (options.file === null) options.file = arg;
    else throw usageError(`unexpected argument ${JSON.stringify(arg)} (one file at a time)`);
  }
  if (options.file === null) throw usageError('no file given');
  if (options.kind !== null && !['events', 'transactions'].includes(options.kind)) {
    throw usageError(`--kind: expected events or transactions, got ${JSON.stringify(options.kind)}`);
  }
  if (!['D', 'W', 'M', 'Q', 'Y'].includes(options.period)) throw usageError(`--period: expected D, W, M, Q or Y, got ${JSON.stringify(options.period)}`);
  if (!['D', 'W', 'M'].includes(options.btydPeriod)) throw usageError(`--btyd-period: expected D, W or M, got ${JSON.stringify(options.btydPeriod)}`);
  return options;
}

function splitPair(pair) {
  const at = pair.lastIndexOf('=');
  const column = pair.slice(0, at);
  const field = pair.slice(at + 1);
  if (column === '' || !DATASET_FIELDS.includes(field)) {
    throw usageError(`--map ${pair}: expected <column>=<field> with field one of ${DATASET_FIELDS.join(', ')}`);
  }
  return [column, field];
}

const NDJSON_LINES_FOR_NAMES = 1000;

/** The first `count` lines of `text` (without a byte order mark or CRs). */
function firstLines(text, count) {
  const lines = [];
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (lines.length < count && start < text.length) {
    const end = text.indexOf('\n', start);
    lines.push(text.slice(start, end === -1 ? undefined : end).replace(/\r$/, ''));
    start = end === -1 ? text.length : end + 1;
  }
  return lines;
}

/**
 * The column names of CSV or NDJSON text: the CSV header (delimiter as the core guesses it), or the
 * members of the first 1,000 NDJSON objects (events of different types carry different members).
 */
export function columnNames(text) {
  const [firstLine = ''] = firstLines(text, 1);
  if (firstLine.trimStart().startsWith('{')) {
    const names = new Set();
    for (const line of firstLines(text, NDJSON_LINES_FOR_NAMES)) {
      try {
        const object = JSON.parse(line);
        if (object !== null && typeof object === 'object') for (const name of Object.keys(object)) names.add(name);
      } catch {
        // a broken line: the loader reports it as an issue with its line number
      }
    }
    return [...names];
  }
  const delimiters = [',', ';', '\t', '|'];
  const counts = delimiters.map((d) => firstLine.split(d).length);
  const delimiter = delimiters[counts.indexOf(Math.max(...counts))];
  return firstLine.split(delimiter).map((name) => name.trim().replace(/^"(.*)"$/, '$1'));
}

/**
 * The mapping { field: column } and the kind: --map entries (each must name a column of the file),
 * then the library's guesses by name (guessColumns) for the fields left.
 */
export function guessMapping(columns, given, kind) {
  for (const [field, column] of Object.entries(given)) {
    if (!columns.includes(column)) {
      throw new StagelineError('invalid_config', `--map ${column}=${field}`, `no column ${JSON.stringify(column)} in the file (columns: ${columns.join(', ')})`);
    }
  }
  return guessColumns(columns, { given, kind: kind ?? undefined });
}

function requireFields(mapping, kind, columns) {
  const missing = ['customerId', 'timestamp', ...(kind === 'events' ? ['type'] : [])].filter((field) => mapping[field] === undefined);
  if (kind === 'transactions' && mapping.amount === undefined && (mapping.quantity === undefined || mapping.unitPrice === undefined)) {
    missing.push('amount (or quantity and unitPrice)');
  }
  if (missing.length > 0) {
    throw new StagelineError('invalid_config', 'mapping',
      `no column for ${missing.join(', ')}: name one with --map <column>=<field> (columns: ${columns.join(', ')})`);
  }
}

async function loadModel(sl, spec) {
  if (!spec.endsWith('.json')) return sl.stageModel(spec);
  let config;
  try {
    config = JSON.parse(await readFile(spec, 'utf8'));
  } catch (error) {
    throw new StagelineError('invalid_config', spec, `cannot read the stage model: ${error.message}`);
  }
  return sl.stageModel(config);
}

/** Runs the whole analysis; returns the report as plain data (what --json prints). */
export async function analyzeFile(sl, options, { onProgress } = {}) {
  let text;
  try {
    text = await readFile(options.file, 'utf8');
  } catch (error) {
    throw new StagelineError('invalid_argument', options.file, `cannot read the file: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  }
  if (text.trim() === '') throw new StagelineError('invalid_argument', options.file, 'the file is empty');
  const columns = columnNames(text);
  const { mapping, kind } = guessMapping(columns, options.map, options.kind);
  requireFields(mapping, kind, columns);

  const model = await loadModel(sl, options.model);
  const load = kind === 'events' ? sl.loadEvents : sl.loadTransactions;
  let dataset = null;
  try {
    dataset = load(text, { ...mapping, strict: options.strict, ...(onProgress ? { onProgress } : {}) });
    const report = dataset.report;
    if (dataset.rowCount === 0) {
      const first = dataset.issues[0];
      throw new StagelineError('invalid_argument', options.file,
        `no rows could be loaded${first ? ` (first problem: row ${first.row}, column "${first.column}": ${first.message})` : ''}`);
    }
    const rfm = dataset.rfm();
    const at = rfm.at;
    const stages = dataset.stages(model, at);
    const kpis = dataset.kpis({ period: options.period });
    const result = {
      file: options.file,
      kind,
      mapping,
      rows: { read: report.rowsRead, loaded: report.rowsLoaded, rejected: report.rowsRejected, excluded: report.rowsExcluded, guests: report.guestRows },
      issues: dataset.issues,
      customers: dataset.customerCount,
      at: new Date(at).toISOString(),
      kpis,
      stages: { model: model.name, labels: Object.fromEntries(model.stages.map((s) => [s.id, s.label])), distribution: stages.distribution },
      rfm: { customers: rfm.customerIds.length, customersWithoutPurchase: rfm.customersWithoutPurchase, segmentCounts: rfm.segmentCounts },
      bgnbd: fitBgnbd(sl, dataset, options.btydPeriod, at),
    };
    return result;
  } finally {
    dataset?.dispose();
    model.dispose();
  }
}

/** BG/NBD over the dataset's purchase summary, or why it could not be fitted. */
function fitBgnbd(sl, dataset, period, at) {
  const summary = dataset.summary({ period, observationEnd: at });
  const repeaters = summary.frequency.filter((x) => x > 0).length;
  if (repeaters === 0) return { period, customers: summary.customerIds.length, fitted: false, reason: 'no customer bought twice: nothing to fit' };
  try {
    const fit = sl.fitBGNBD(summary);
    return { period, customers: fit.customers, fitted: true, r: fit.r, alpha: fit.alpha, a: fit.a, b: fit.b,
      logLikelihood: fit.logLikelihood, iterations: fit.iterations, converged: fit.converged };
  } catch (error) {
    return { period, customers: summary.customerIds.length, fitted: false, reason: error.message };
  }
}

// ---- text report ------------------------------------------------------------------------------

const PERIOD_NAMES = { D: 'day', W: 'week', M: 'month', Q: 'quarter', Y: 'year' };

const number = (x, digits = 2) => (x === null || x === undefined ? '–' : x.toFixed(digits));
const percent = (x) => (x === null || x === undefined ? '–' : `${(100 * x).toFixed(1)}%`);
const share = (n, total) => (total === 0 ? '0.0%' : `${((100 * n) / total).toFixed(1)}%`);

function table(header, rows, alignLeft = 1) {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => String(row[c]).length)));
  const line = (cells) => cells.map((cell, c) => (c < alignLeft ? String(cell).padEnd(widths[c]) : String(cell).padStart(widths[c]))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].map((l) => `  ${l}`).join('\n');
}

function kpiTable(kpis) {
  const m = kpis.metrics;
  const from = Math.max(0, kpis.periods.length - MAX_TEXT_PERIODS);
  const rows = kpis.periods.slice(from).map((period, j) => {
    const p = from + j;
    return [period, m.activeCustomers[p], m.newCustomers[p], m.orders[p], number(m.revenue[p]), number(m.averageOrderValue[p]),
      percent(m.retentionRate[p]), percent(m.churnRate[p]), percent(m.repeatCustomerRate[p])];
  });
  const text = table(['period', 'active', 'new', 'orders', 'revenue', 'AOV', 'retention', 'churn', 'repeat'], rows);
  return from > 0 ? `${text}\n  (the last ${MAX_TEXT_PERIODS} of ${kpis.periods.length} periods; --json has all)` : text;
}

/** The latest period with answers, for each of NPS, CSAT and CES. */
function cxLines(kpis) {
  const lines = [];
  for (const [key, label, digits] of [['nps', 'NPS', 1], ['csat', 'CSAT %', 1], ['ces', 'CES', 2]]) {
    const series = kpis.cx?.[key];
    if (!series) continue;
    const p = series.n.findLastIndex((n) => n > 0);
    if (p < 0) continue;
    const interval = series.low[p] === null ? '' : ` [${number(series.low[p], digits)}, ${number(series.high[p], digits)}]`;
    lines.push(`  ${label.padEnd(7)} ${number(series.value[p], digits)}${interval}  (n = ${series.n[p]}, ${kpis.periods[p]})`);
  }
  return lines;
}

/** The report as people read it. */
export function formatReport(result, period) {
  const out = [];
  const { rows } = result;
  out.push(`${result.file}: ${result.kind}, ${rows.read} rows read, ${rows.loaded} loaded, ${rows.rejected} rejected, ${rows.excluded} excluded`
    + `${rows.guests ? `, ${rows.guests} guest rows` : ''}`);
  out.push(`columns: ${Object.entries(result.mapping).map(([field, column]) => `${field}=${column}`).join(', ')}`);
  out.push(`${result.customers} customers; figures at ${result.at.slice(0, 10)}`);
  out.push('', `KPIs by ${PERIOD_NAMES[period] ?? period}`, kpiTable(result.kpis));
  const cx = cxLines(result.kpis);
  if (cx.length > 0) out.push('', 'Customer experience (latest period with answers, 95% interval)', ...cx);

  const { distribution, labels, model } = result.stages;
  const staged = Object.values(distribution).reduce((a, b) => a + b, 0);
  out.push('', `Stages (${model} model), ${staged} customers`,
    table(['stage', 'customers', 'share'], Object.entries(distribution).map(([id, n]) => [labels[id] ?? id, n, share(n, staged)])));

  const counts = Object.entries(result.rfm.segmentCounts).filter(([, n]) => n > 0).sort((x, y) => y[1] - x[1]);
  out.push('', `RFM segments, ${result.rfm.customers} customers with a purchase`,
    table(['segment', 'customers', 'share'], counts.map(([name, n]) => [name, n, share(n, result.rfm.customers)])));

  const bg = result.bgnbd;
  out.push('', `BG/NBD (period ${bg.period}, ${bg.customers} customers)`);
  out.push(bg.fitted
    ? `  r ${bg.r.toPrecision(6)}  alpha ${bg.alpha.toPrecision(6)}  a ${bg.a.toPrecision(6)}  b ${bg.b.toPrecision(6)}  `
      + `log-likelihood ${bg.logLikelihood.toFixed(4)}${bg.converged ? '' : '  (did not converge)'}`
    : `  not fitted: ${bg.reason}`);
  return out.join('\n');
}

/** Rejected rows, for stderr. */
export function formatIssues(result) {
  const rejected = result.issues.filter((issue) => !issue.excluded);
  if (result.rows.rejected === 0) return null;
  const lines = rejected.slice(0, MAX_TEXT_ISSUES).map((issue) => `  row ${issue.row}, column "${issue.column}": ${issue.message}`);
  const more = result.rows.rejected - lines.length;
  return [`stageline: ${result.rows.rejected} row${result.rows.rejected === 1 ? '' : 's'} rejected:`, ...lines,
    ...(more > 0 ? [`  … and ${more} more (--json lists up to 10000; --strict stops at the first)`] : [])].join('\n');
}

