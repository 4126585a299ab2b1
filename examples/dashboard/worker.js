// The dashboard's module worker: every computation runs here, off the page's main thread. It
// starts the WebAssembly module, reads a file (or generates the bundled sample shop), loads it into
// a Stageline dataset and posts plain results back. Messages in: {type: 'sample' | 'inspect' |
// 'load' | 'model' | 'journey', …}; out: {type: 'progress' | 'inspected' | 'result' | 'lifecycle' |
// 'error', …}.

import { guessColumns } from '../../web/src/columns.js';
import { init } from '../../web/src/index.js';
import { generateShop, toCsv } from '../data/shop-generator.js';
import { analyzeDataset, lifecycleViews } from './analysis.js';
import { inspectText } from './columns.js';

const SAMPLE_CUSTOMERS = 5000;
const LOAD_SHARE = 0.6; // of the progress bar: reading rows; the rest is the analysis

let sl = null;
let text = null;     // the file being mapped or loaded
let loaded = null;   // { dataset, kind, at }
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

function load(kind, mapping, presetName) {
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
  model = sl.stageModel(presetName);
  const result = analyzeDataset(sl, dataset, kind, model, progress);
  loaded = { dataset, kind, at: result.at };
  progress('done', 1);
  return result;
}

const handlers = {
  async sample({ preset }) {
    await ready();
    progress('generating the sample shop', 0.01);
    text = toCsv(generateShop({ customers: SAMPLE_CUSTOMERS }));
    const { columns } = inspectText(text);
    const { mapping, kind } = guessColumns(columns);
    postMessage({ type: 'result', source: `sample shop (${SAMPLE_CUSTOMERS.toLocaleString('en')} customers, 18 months)`, mapping, result: load(kind, mapping, preset) });
  },
  async inspect({ file }) {
    progress(`reading ${file.name}`, 0.01);
    text = await file.text();
    if (text.trim() === '') throw new Error(`${file.name} is empty`);
    const inspected = inspectText(text);
    postMessage({ type: 'inspected', name: file.name, ...inspected, ...guessColumns(inspected.columns) });
    progress('choose the columns', 0);
  },
  async load({ kind, mapping, preset, name }) {
    await ready();
    postMessage({ type: 'result', source: name, mapping, result: load(kind, mapping, preset) });
  },
  async model({ preset, from, to }) {
    if (loaded === null) return;
    model?.dispose();
    model = sl.stageModel(preset);
    postMessage({ type: 'lifecycle', views: lifecycleViews(loaded.dataset, model, { at: loaded.at, from, to }) });
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
