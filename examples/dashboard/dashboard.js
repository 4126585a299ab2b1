// The dashboard page: file picking, drag-and-drop and the column-mapping step, and rendering of the
// worker's results (KPI cards, charts, the customer table). All computation happens in worker.js;
// this thread only formats numbers and draws.

import { cohortChart, draw, funnelChart, histogramChart, ORANGE, rfmChart, sankeyChart, stagesChart, retheme, whenDrawn } from './charts.js';
import { DATASET_FIELDS as FIELDS } from '../../web/src/datasets/columns.js';
import { missingFields } from './columns.js';
import { JsonSyntaxError, lineColumn, lineRange, locateJsonPath, parsePositions } from './json_locate.js';
import { parseSpend, SpendError } from './spend.js';

const PRESETS = ['full', 'classic', 'journey', 'funnel'];
const $ = (id) => document.getElementById(id);
const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });

let inspected = null;   // the file in the mapping step
let model = null;       // the stage model shown (plain: name, stages, config)
let edited = null;      // the editor's applied config, when it replaces the preset
let lastPreset = 'full';
let customers = [];
let sort = { key: 'clv', descending: true };

// ---- formatting -------------------------------------------------------------------------------

const money = new Intl.NumberFormat('en', { maximumFractionDigits: 2, minimumFractionDigits: 2 });
const whole = new Intl.NumberFormat('en');
const show = (x, format) => {
  if (x === null || x === undefined) return '–';
  if (format === 'percent') return `${(100 * x).toFixed(1)}%`;
  if (format === 'money') return money.format(x);
  if (format === 'count') return whole.format(x);
  if (format === 'ces') return x.toFixed(2);
  return x.toFixed(1);
};
const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);

function setStatus(text, fraction) {
  $('status').textContent = text;
  if (fraction !== undefined) $('progress').value = fraction;
}

function fail(message) {
  document.body.dataset.state = 'error';
  setStatus(`Error: ${message}`, 0);
  $('status').classList.add('error');
}

// ---- the worker's messages ------------------------------------------------------------------------

worker.addEventListener('message', ({ data }) => {
  if (data.type === 'progress') setStatus(data.label, data.fraction);
  else if (data.type === 'inspected') showMapping(data);
  else if (data.type === 'result') showResult(data);
  else if (data.type === 'lifecycle') showLifecycle(data.views, data.source, data.echo);
  else if (data.type === 'model-error') showModelError(data.error, data.echo);
  else if (data.type === 'kpis') showKpis(data.figures);
  else if (data.type === 'journey') draw('chart-sankey', sankeyChart(model, data.journey));
  else if (data.type === 'error') fail(data.message);
});
worker.addEventListener('error', (event) => fail(event.message || 'the worker failed to start'));

function busy() {
  document.body.dataset.state = 'loading';
  $('status').classList.remove('error');
}

function openSample() {
  busy();
  worker.postMessage({ type: 'sample', model: modelSpec() });
}

function openFile(file) {
  busy();
  $('mapping').hidden = true;
  worker.postMessage({ type: 'inspect', file });
}

// ---- the mapping step -------------------------------------------------------------------------------

function showMapping({ name, columns, preview, mapping, kind }) {
  inspected = { name, columns };
  document.body.dataset.state = 'mapping';
  $('mapping-file').textContent = name;
  $('kind').value = kind;
  const fields = $('mapping-fields');
  fields.replaceChildren(...FIELDS.map((field) => {
    const label = document.createElement('label');
    label.textContent = field;
    const select = document.createElement('select');
    select.dataset.field = field;
    select.append(new Option('—', ''), ...columns.map((c) => new Option(c, c)));
    select.value = mapping[field] ?? '';
    label.append(select);
    return label;
  }));
  const head = document.createElement('tr');
  head.append(...columns.map((c) => Object.assign(document.createElement('th'), { scope: 'col', textContent: c })));
  $('preview').tHead.replaceChildren(head);
  $('preview').tBodies[0].replaceChildren(...preview.map((row) => {
    const tr = document.createElement('tr');
    tr.append(...columns.map((_, i) => Object.assign(document.createElement('td'), { textContent: row[i] ?? '' })));
    return tr;
  }));
  $('mapping-error').textContent = '';
  $('mapping').hidden = false;
  setStatus('Check the columns, then load.', 0);
}

function currentMapping() {
  const mapping = {};
  for (const select of $('mapping-fields').querySelectorAll('select')) if (select.value) mapping[select.dataset.field] = select.value;
  return mapping;
}

function loadMapped() {
  const kind = $('kind').value;
  const mapping = currentMapping();
  if (kind === 'transactions') delete mapping.type;
  const missing = missingFields(mapping, kind);
  $('mapping-error').textContent = missing ?? '';
  if (missing) return;
  $('mapping').hidden = true;
  busy();
  worker.postMessage({ type: 'load', kind, mapping, model: modelSpec(), name: inspected.name });
}

// ---- results ------------------------------------------------------------------------------------------

function changeText(card) {
  if (card.pointsChange !== undefined) {
    if (card.pointsChange === null) return '';
    const sign = card.pointsChange > 0 ? '+' : '';
    return `${sign}${card.pointsChange.toFixed(card.format === 'ces' ? 2 : 1)} pts vs previous`;
  }
  if (card.change === null) return '';
  return `${card.change > 0 ? '▲ +' : card.change < 0 ? '▼ ' : ''}${(100 * card.change).toFixed(1)}% vs previous period`;
}

function kpiCard(card) {
  const li = document.createElement('li');
  li.className = 'kpi';
  li.dataset.kpi = card.id;
  li.dataset.value = card.value === null ? '' : String(card.value);
  const title = Object.assign(document.createElement('h3'), { textContent: card.label });
  const value = Object.assign(document.createElement('p'), { className: 'kpi-value', textContent: show(card.value, card.format) });
  const detail = Object.assign(document.createElement('p'), { className: 'kpi-detail' });
  const parts = [];
  if (card.low !== undefined && card.low !== null) parts.push(`95% CI ${show(card.low, card.format)} – ${show(card.high, card.format)}`);
  if (card.n !== undefined) parts.push(`n = ${whole.format(card.n)}, ${card.period}`);
  if (card.hint) parts.push(card.hint);
  const change = changeText(card);
  if (change) parts.push(change);
  detail.textContent = parts.join(' · ');
  li.append(title, value, detail);
  return li;
}

/** A stage model's views; `source` 'editor' with `applied` ({text, config}) for the editor's model. */
function showLifecycle(views, source, applied) {
  model = views.model;
  if (source === 'editor') {
    edited = applied.config;
    const option = $('preset').querySelector('option[value="edited"]') ?? $('preset').appendChild(new Option('', 'edited'));
    option.textContent = `edited: ${model.name}`;
    $('preset').value = 'edited';
    clearModelError();
    setStatus(`Applied the edited model "${model.name}".`, 1);
  } else if (edited === null) {
    $('model-json').value = JSON.stringify(model.config, null, 2);
    clearModelError();
  }
  showCxByStage(views.cx);
  draw('chart-stages', stagesChart(model, views.stages.counts));
  // The counts drawn, as data (like the cards' data-value), for tests and scrapers.
  $('chart-stages').dataset.counts = JSON.stringify(Object.fromEntries(model.stages.map((stage, i) => [stage.id, views.stages.counts[i]])));
  draw('chart-funnel', funnelChart(model, views.funnel));
  draw('chart-sankey', sankeyChart(model, views.journey));
  // The worker sends the stages of the listed customers (≤ 1000) only.
  for (const row of customers) row.stage = model.stages[views.stages.listed[row.id]]?.label ?? '';
  renderCustomers();
}

function showResult(data) {
  const { source, result } = data;
  const { rows } = result;
  $('summary').textContent = `${source}: ${result.kind}, ${whole.format(rows.read)} rows read, ${whole.format(rows.loaded)} loaded`
    + `${rows.rejected ? `, ${whole.format(rows.rejected)} rejected` : ''}${rows.excluded ? `, ${whole.format(rows.excluded)} excluded` : ''}`
    + `; ${whole.format(result.customerCount)} customers; figures at ${isoDay(result.at)}.`
    + (result.issues.length ? ` First problem: row ${result.issues[0].row}, column "${result.issues[0].column}": ${result.issues[0].message}` : '');
  const last = result.kpiPeriods.at(-1);
  $('kpi-period').textContent = `— ${last}, monthly`;
  showKpis({ periods: result.kpiPeriods, cards: result.cards, spendOutside: result.spendOutside });
  showKpiSettings(data.kpiSettings);
  $('journey-from').value = isoDay(result.journey.from);
  $('journey-to').value = isoDay(result.journey.to);
  customers = result.customers.rows;
  $('customers-note').textContent = `${whole.format(result.customers.total)} customers with a purchase`
    + (result.customers.total > customers.length ? `; the ${whole.format(customers.length)} with the highest predicted CLV are listed` : '');
  $('results').hidden = false;
  showLifecycle(result);
  draw('chart-cohorts', cohortChart(result.cohorts));
  draw('chart-rfm', rfmChart(result.rfm));
  const { btyd } = result;
  if (btyd.fitted) {
    const bg = btyd.bgnbd;
    $('btyd').textContent = `BG/NBD (weekly) r ${bg.r.toPrecision(4)}, α ${bg.alpha.toPrecision(4)}, a ${bg.a.toPrecision(4)}, b ${bg.b.toPrecision(4)}`
      + `${bg.converged ? '' : ' (did not converge)'}; Gamma-Gamma p ${btyd.gammaGamma.p.toPrecision(4)}, q ${btyd.gammaGamma.q.toPrecision(4)}, v ${btyd.gammaGamma.v.toPrecision(4)}`
      + `; mean predicted 12-month CLV (1% monthly discount) ${btyd.meanClv === null ? '–' : money.format(btyd.meanClv)} over ${whole.format(btyd.customers)} customers`
      + `${btyd.nonFiniteClv ? ` (${whole.format(btyd.nonFiniteClv)} without a finite prediction: the fit is degenerate, a and b very large)` : ''}.`;
    draw('chart-palive', histogramChart(btyd.pAliveHistogram, { digits: 1, name: 'P(alive)' }));
    draw('chart-clv', histogramChart(btyd.clvHistogram, { digits: 0, name: 'CLV', color: ORANGE }));
  } else {
    $('btyd').textContent = `No prediction: ${btyd.reason}.`;
  }
  whenDrawn().then(() => {  // charts draw one per task (charts.js)
    document.body.dataset.state = 'ready';
    setStatus(`Showing ${source}.`, 1);
  });
}

function showCxByStage(cx) {
  const cell = (series, i, digits) => {
    const td = Object.assign(document.createElement('td'), { className: 'num' });
    const n = series?.n[i] ?? 0;
    td.textContent = n === 0 || series.value[i] === null ? '–' : `${series.value[i].toFixed(digits)} (n = ${whole.format(n)})`;
    return td;
  };
  $('cx-stages').tBodies[0].replaceChildren(...model.stages.map((stage, i) => {
    const tr = document.createElement('tr');
    tr.append(Object.assign(document.createElement('th'), { scope: 'row', textContent: stage.label }),
      cell(cx.nps, i, 1), cell(cx.csat, i, 1), cell(cx.ces, i, 2));
    return tr;
  }));
}

function showKpis({ periods, cards, spendOutside }) {
  $('kpis').replaceChildren(...cards.map(kpiCard));
  $('spend-note').textContent = spendOutside.length === 0 ? ''
    : `Spend for ${spendOutside.join(', ')} is outside the data's months (${periods[0]} to ${periods.at(-1)}) and not used.`;
}

// ---- the stage-model editor -------------------------------------------------------------------------

function modelSpec() {
  return edited === null ? { preset: $('preset').value === 'edited' ? lastPreset : $('preset').value || 'full' } : { config: edited };
}

function clearModelError() {
  $('model-error').textContent = '';
  delete $('model-error').dataset.path;
  $('model-json').setAttribute('aria-invalid', 'false');
}

/** Shows `message` next to the editor and selects the line holding `offset` (when the text is unchanged). */
function markModelError(message, path, text, offset) {
  const editor = $('model-json');
  $('model-error').textContent = message;
  $('model-error').dataset.path = path;
  editor.setAttribute('aria-invalid', 'true');
  if (offset === null || editor.value !== text) return;
  const { start, end } = lineRange(text, offset);
  editor.focus();
  editor.setSelectionRange(start, end);
  const lineHeight = parseFloat(getComputedStyle(editor).lineHeight) || 18;
  editor.scrollTop = Math.max(0, (lineColumn(text, start).line - 3) * lineHeight);
}

function applyModel() {
  const text = $('model-json').value;
  try {
    parsePositions(text);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    const { line, column } = lineColumn(text, error.offset);
    markModelError(`JSON syntax error at line ${line}, column ${column}: ${error.message}`, '', text, error.offset);
    return;
  }
  const config = JSON.parse(text);
  worker.postMessage({ type: 'model', model: { config }, source: 'editor', echo: { text, config },
    from: Date.parse($('journey-from').value), to: Date.parse($('journey-to').value) });
}

/** The library's error for the edited model (applied as `text`): its message, and the line its path points at. */
function showModelError({ path, message }, { text }) {
  const place = locateJsonPath(text, path);
  const where = place.found ? `line ${place.line}`
    : `line ${place.line}: ${path} is not in the text; the nearest part that is: ${place.resolved || 'the top level'}`;
  const said = message.startsWith(`${path}: `) ? message : `${path || 'the model'}: ${message}`;
  markModelError(`Not applied: ${said} (${where})`, path, text, place.start);
}

// ---- activation and spend -------------------------------------------------------------------------------

function showKpiSettings({ activationEvent, activationWindowDays, spend, eventTypes }) {
  $('activation-event').value = activationEvent;
  $('activation-days').value = String(activationWindowDays);
  $('event-types').replaceChildren(...eventTypes.map((type) => new Option(type, type)));
  $('spend').value = spend;
  $('spend').setAttribute('aria-invalid', 'false');
  $('settings-error').textContent = '';
}

function applyKpiSettings() {
  const text = $('spend').value;
  const days = $('activation-days').valueAsNumber;
  let spend;
  try {
    if (!(days >= 0)) throw new RangeError(`the activation window: expected a number of days ≥ 0, got "${$('activation-days').value}"`);
    spend = parseSpend(text);
  } catch (error) {
    if (!(error instanceof SpendError || error instanceof RangeError)) throw error;
    $('settings-error').textContent = `Not applied: ${error instanceof SpendError ? `spend ${error.message}` : error.message}`;
    if (error instanceof SpendError) {
      $('spend').setAttribute('aria-invalid', 'true');
      const offset = text.split('\n').slice(0, error.row - 1).reduce((sum, line) => sum + line.length + 1, 0);
      $('spend').focus();
      $('spend').setSelectionRange(offset, lineRange(text, offset).end);
    }
    return;
  }
  $('settings-error').textContent = '';
  $('spend').setAttribute('aria-invalid', 'false');
  worker.postMessage({ type: 'kpis', settings: {
    activationEvent: $('activation-event').value.trim(), activationWindowDays: days, spend: Object.keys(spend).length > 0 ? spend : null,
  } });
}

// ---- the customer table -------------------------------------------------------------------------------

const COLUMNS = [
  ['id', (r) => r.id], ['segment', (r) => r.segment], ['stage', (r) => r.stage], ['orders', (r) => whole.format(r.orders)],
  ['recencyDays', (r) => r.recencyDays.toFixed(0)], ['monetary', (r) => money.format(r.monetary)],
  ['pAlive', (r) => (r.pAlive === null ? '–' : r.pAlive.toFixed(3))], ['clv', (r) => (r.clv === null ? '–' : money.format(r.clv))],
];

function visibleCustomers() {
  const query = $('search').value.trim().toLowerCase();
  const matching = query === '' ? customers
    : customers.filter((r) => r.id.toLowerCase().includes(query) || r.segment.toLowerCase().includes(query) || r.stage.toLowerCase().includes(query));
  const { key, descending } = sort;
  const sign = descending ? -1 : 1;
  const sorted = [...matching].sort((x, y) => {
    const a = x[key] ?? -Infinity;
    const b = y[key] ?? -Infinity;
    return sign * (typeof a === 'string' ? a.localeCompare(b) : a - b);
  });
  return sorted.slice(0, Number($('top').value));
}

function renderCustomers() {
  $('customers').tBodies[0].replaceChildren(...visibleCustomers().map((row) => {
    const tr = document.createElement('tr');
    for (const [key, text] of COLUMNS) {
      const td = document.createElement('td');
      td.textContent = text(row);
      if (!['id', 'segment', 'stage'].includes(key)) td.className = 'num';
      tr.append(td);
    }
    return tr;
  }));
  for (const th of $('customers').tHead.rows[0].cells) {
    th.setAttribute('aria-sort', th.dataset.key === sort.key ? (sort.descending ? 'descending' : 'ascending') : 'none');
  }
}

function exportCsv() {
  const quote = (v) => (/[",\n]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v));
  const lines = [COLUMNS.map(([key]) => key).join(',')];
  for (const row of visibleCustomers()) lines.push(COLUMNS.map(([key]) => quote(row[key] ?? '')).join(','));
  const url = URL.createObjectURL(new Blob([lines.join('\n') + '\n'], { type: 'text/csv' }));
  const link = Object.assign(document.createElement('a'), { href: url, download: 'customers.csv' });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// ---- wiring -------------------------------------------------------------------------------------------

function requestLifecycle() {
  if ($('preset').value !== 'edited') {
    edited = null;
    lastPreset = $('preset').value;
    $('preset').querySelector('option[value="edited"]')?.remove();
  }
  worker.postMessage({ type: 'model', model: modelSpec(), source: 'preset', from: Date.parse($('journey-from').value), to: Date.parse($('journey-to').value) });
}

function wire() {
  $('preset').append(...PRESETS.map((p) => new Option(p, p)));
  $('file').addEventListener('change', () => { if ($('file').files[0]) openFile($('file').files[0]); $('file').value = ''; });
  $('sample').addEventListener('click', openSample);
  $('load').addEventListener('click', loadMapped);
  $('cancel-mapping').addEventListener('click', () => { $('mapping').hidden = true; document.body.dataset.state = 'ready'; setStatus('', 0); });
  $('preset').addEventListener('change', requestLifecycle);
  $('edit-model').addEventListener('click', () => {
    const open = $('model-editor').hidden;
    $('model-editor').hidden = !open;
    $('edit-model').setAttribute('aria-expanded', String(open));
    if (open) $('model-json').focus();
  });
  $('apply-model').addEventListener('click', applyModel);
  $('reset-model').addEventListener('click', () => {
    $('preset').value = lastPreset;
    requestLifecycle();
  });
  $('apply-kpis').addEventListener('click', applyKpiSettings);
  $('spend-file').addEventListener('change', async () => {
    const file = $('spend-file').files[0];
    $('spend-file').value = '';
    if (!file) return;
    $('spend').value = await file.text();
    applyKpiSettings();
  });
  for (const id of ['journey-from', 'journey-to']) {
    $(id).addEventListener('change', () => {
      const from = Date.parse($('journey-from').value);
      const to = Date.parse($('journey-to').value);
      if (Number.isFinite(from) && Number.isFinite(to) && from < to) worker.postMessage({ type: 'journey', from, to });
    });
  }
  $('search').addEventListener('input', renderCustomers);
  $('top').addEventListener('change', renderCustomers);
  $('export').addEventListener('click', exportCsv);
  for (const th of $('customers').tHead.rows[0].cells) {
    const button = Object.assign(document.createElement('button'), { type: 'button', className: 'sort', textContent: th.textContent });
    button.addEventListener('click', () => {
      sort = { key: th.dataset.key, descending: sort.key === th.dataset.key ? !sort.descending : true };
      renderCustomers();
    });
    th.replaceChildren(button);
  }
  // Drag and drop anywhere on the page.
  let depth = 0;
  addEventListener('dragenter', (e) => { e.preventDefault(); depth++; $('drop').hidden = false; });
  addEventListener('dragleave', () => { depth = Math.max(0, depth - 1); if (depth === 0) $('drop').hidden = true; });
  addEventListener('dragover', (e) => e.preventDefault());
  addEventListener('drop', (e) => {
    e.preventDefault();
    depth = 0;
    $('drop').hidden = true;
    const file = e.dataTransfer?.files?.[0];
    if (file) openFile(file);
  });
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', retheme);
}

wire();
openSample();
