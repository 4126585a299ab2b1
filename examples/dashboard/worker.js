// The dashboard's module worker: every computation runs here, off the page's main thread. It
// starts the WebAssembly module, reads a file (or generates the bundled sample shop), loads it into
// a Stageline dataset and posts plain results back. Messages in: {type: 'sample' | 'inspect' |
// 'load' | 'model' | 'journey' | 'kpis', …}; out: {type: 'progress' | 'inspected' | 'result' |
// 'lifecycle' | 'model-error' | 'kpis' | 'error', …}. A stage model is named by a spec:
// {preset} or {config} (the editor's JSON); a 'model' message's `echo` comes back with its answer.

import { guessColumns } from '../../web/src/datasets/columns.js';
import { init } from '../../web/src/index.js';
import { acquisitionSpend, generateShop, spendCsv, toCsv } from '../data/shop-generator.js';
import { analyzeDataset, kpiFigures, lifecycleViews } from './analysis.js';
import { eventTypes, inspectText } from './columns.js';

const SAMPLE_CUSTOMERS = 5000;
const LOAD_SHARE = 0.6; // of the progress bar: reading rows; the rest is the analysis
// The sample's activation: its buyers sign up, then place a first order (7 days on average later).
const ACTIVATION_EVENT = 'purchase';
const ACTIVATION_WINDOW_DAYS = 7;

let sl = null;
let text = null;     // the file being mapped or loaded
let loaded = null;   // { dataset, kind, at, listedIds: the customer table's ids }
let model = null;

const progress = (label, fraction) => postMessage({ type: 'progress', label, fraction });

async function ready() {
  if (sl === null) {
    progress('starting the WebAssembly module', 0.01);
    sl = await init();
  }
  return sl;
}

function countLines(source) {
  let lines = 0;
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) lines++;
  return Math.max(1, lines);
}

/** The stage model a spec names; throws the library's StagelineError for a bad config. */
function compileModel({ preset, config }) {
  return config === undefined ? sl.stageModel(preset) : sl.stageModel(config);
}

function load(kind, mapping, modelSpec, kpiSettings) {
  loaded?.dataset.dispose();
  loaded = null;
  const lines = countLines(text);
  const progressEvery = Math.max(10_000, Math.ceil(lines / 40));
  progress('reading rows', 0.02);
  const read = kind === 'events' ? sl.loadEvents : sl.loadTransactions;
  const dataset = read(text, {
    ...mapping, progressEvery,
    onProgress: (rows) => progress(`reading rows: ${rows.toLocaleString('en')}`, 0.02 + LOAD_SHARE * Math.min(1, rows / lines)),
  });
  if (dataset.rowCount === 0) {
    const issue = dataset.issues[0];
    dataset.dispose();
    throw new Error(`no rows could be loaded${issue ? ` (first problem: row ${issue.row}, column "${issue.column}": ${issue.message})` : ''}`);
  }
  model?.dispose();
  model = null;  // until the next one compiles: never a disposed handle
  model = compileModel(modelSpec);
  const result = analyzeDataset(sl, dataset, kind, model, progress, kpiSettings);
  loaded = { dataset, kind, at: result.at, listedIds: result.customers.rows.map((row) => row.id) };
  progress('done', 1);
  return result;
}

const handlers = {
  async sample({ model: modelSpec }) {
    await ready();
    progress('generating the sample shop', 0.01);
    const shop = generateShop({ customers: SAMPLE_CUSTOMERS });
    text = toCsv(shop);
    const spend = acquisitionSpend(shop);
    const { columns } = inspectText(text);
    const { mapping, kind } = guessColumns(columns);
    const settings = {
      activationEvent: ACTIVATION_EVENT, activationWindowDays: ACTIVATION_WINDOW_DAYS,
      spend: Object.fromEntries(spend.map(({ period, spend: amount }) => [period, amount])),
    };
    const result = load(kind, mapping, modelSpec, settings);
    postMessage({
      type: 'result', source: `sample shop (${SAMPLE_CUSTOMERS.toLocaleString('en')} customers, 18 months)`, mapping, result,
      kpiSettings: { ...settings, spend: spendCsv(spend), eventTypes: eventTypes(text, mapping.type) },
    });
  },
  async inspect({ file }) {
    progress(`reading ${file.name}`, 0.01);
    text = await file.text();
    if (text.trim() === '') throw new Error(`${file.name} is empty`);
    const inspected = inspectText(text);
    postMessage({ type: 'inspected', name: file.name, ...inspected, ...guessColumns(inspected.columns) });
    progress('choose the columns', 0);
  },
  async load({ kind, mapping, model: modelSpec, name }) {
    await ready();
    // A new file starts without spend (the user's months may not be the file's); activation
    // defaults to a first purchase when the file has purchase events.
    const types = kind === 'events' ? eventTypes(text, mapping.type) : [];
    const settings = {
      activationEvent: types.includes(ACTIVATION_EVENT) ? ACTIVATION_EVENT : '', activationWindowDays: ACTIVATION_WINDOW_DAYS, spend: null,
    };
    postMessage({ type: 'result', source: name, mapping, result: load(kind, mapping, modelSpec, settings),
      kpiSettings: { ...settings, spend: '', eventTypes: types } });
  },
  async model({ model: modelSpec, from, to, source, echo }) {
    if (loaded === null) throw new Error('load a file (or the sample) before choosing a stage model');
    let next;
    try {
      next = compileModel(modelSpec);
    } catch (error) {
      // The editor shows this next to the JSON; the model shown so far stays.
      postMessage({ type: 'model-error', echo, error: { code: error.code ?? 'error', path: error.path ?? '', message: error.message ?? String(error) } });
      return;
    }
    model?.dispose();
    model = next;
    postMessage({ type: 'lifecycle', source, echo, views: lifecycleViews(loaded.dataset, model, { at: loaded.at, from, to }, loaded.listedIds) });
  },
  async kpis({ settings }) {
    if (loaded === null) throw new Error('load a file (or the sample) before changing the KPI settings');
    postMessage({ type: 'kpis', figures: kpiFigures(loaded.dataset, loaded.kind, settings) });
  },
  async journey({ from, to }) {
    if (loaded === null || model === null) return;
    const journey = loaded.dataset.transitions(model, from, to);
    postMessage({ type: 'journey', journey: { from: journey.from, to: journey.to, matrix: journey.matrix } });
  },
};

// One message at a time, in order (a model change waits for the load before it).
let queue = Promise.resolve();
addEventListener('message', ({ data }) => {
  queue = queue.then(() => handlers[data.type](data)).catch((error) => {
    postMessage({ type: 'error', message: error.message ?? String(error) });
  });
});
