// The dashboard's computation, run inside the worker (worker.js) on a loaded Stageline dataset:
// every figure the page shows, as plain data (arrays and numbers) ready to post to the page.
// Definitions are the library's (README, "Datasets and metrics" and "Predictive CLV"); this file
// only chooses which figures to show and shapes them for charts.

import { spendWithin } from './spend.js';

const DAY = 86_400_000;
export const KPI_PERIOD = 'M';
export const BTYD_PERIOD = 'W';
export const CLV_MONTHS = 12;
export const CLV_MONTHLY_DISCOUNT = 0.01;
export const TOP_CUSTOMERS = 1000;
const MAX_COHORTS = 24;

/**
 * The KPI cards: the last period of `kpis`, each with its change from the period before.
 * `activation` ({event, windowDays} or a reason it is not computed) and `spend` ({label: amount}
 * given for the periods of `kpis`) shape the activation and CAC cards.
 */
export function kpiCards(kpis, { activation, spend }) {
  const last = kpis.periods.length - 1;
  const m = kpis.metrics;
  const card = (id, label, format, p = last) => ({
    id, label, format, period: kpis.periods[p], value: m[id][p], change: kpis.change[id]?.[p] ?? null,
  });
  const cards = [
    card('retentionRate', 'Retention', 'percent'),
    card('churnRate', 'Churn', 'percent'),
    card('repeatCustomerRate', 'Repeat customers', 'percent'),
    card('averageOrderValue', 'Average order value', 'money'),
    card('clv', 'CLV (historical)', 'money'),
    card('activeCustomers', 'Active customers', 'count'),
    activationCard(kpis, card, activation),
    cacCard(kpis, card, spend),
  ];
  // Survey scores: the latest period with answers, its 95% interval, and the change in points from
  // the previous period with answers.
  for (const [key, label, format] of [['nps', 'NPS', 'score'], ['csat', 'CSAT', 'score'], ['ces', 'CES (1–7)', 'ces']]) {
    const series = kpis.cx?.[key];
    if (!series) continue;
    const p = series.n.findLastIndex((n) => n > 0);
    if (p < 0) continue;
    const q = series.n.findLastIndex((n, i) => i < p && n > 0);
    cards.unshift({
      id: key, label, format, period: kpis.periods[p], value: series.value[p], low: series.low[p], high: series.high[p], n: series.n[p],
      pointsChange: q < 0 || series.value[q] === null ? null : series.value[p] - series.value[q],
    });
  }
  return cards;
}

function activationCard(kpis, card, activation) {
  if (activation.event === undefined) return { ...card('activationRate', 'Activation', 'percent'), value: null, change: null, hint: activation.reason };
  const shown = card('activationRate', `Activation (${activation.windowDays} days)`, 'percent');
  const what = `"${activation.event}" within ${activation.windowDays} days of signing up`;
  return { ...shown, hint: shown.value === null ? `${what}; nobody signed up in ${shown.period}` : what };
}

// CAC for the latest period with spend given (spend need not run up to the data's last period).
function cacCard(kpis, card, spend) {
  const p = kpis.periods.findLastIndex((label) => Object.hasOwn(spend, label));
  if (p < 0) return { ...card('cac', 'CAC', 'money'), value: null, change: null, hint: 'enter acquisition spend per month to see CAC' };
  const shown = card('cac', 'CAC', 'money', p);
  const newCustomers = kpis.metrics.newCustomers[p];
  return { ...shown, hint: `spend ${spend[shown.period].toFixed(2)} / ${newCustomers} new customers, ${shown.period}` };
}

/**
 * The KPI cards under the user's settings: activationEvent ('' for none) and activationWindowDays
 * for the activation card (events datasets only), spend ({label: amount} or null) for CAC. Spend
 * for a month outside the data's periods is not used and listed in `spendOutside`.
 */
export function kpiFigures(dataset, kind, { activationEvent = '', activationWindowDays = 7, spend = null } = {}) {
  let activation;
  let options = { period: KPI_PERIOD };
  if (kind !== 'events') activation = { reason: 'needs an events file with signup events' };
  else if (activationEvent === '') activation = { reason: 'choose an activation event' };
  else {
    activation = { event: activationEvent, windowDays: activationWindowDays };
    options = { ...options, activationEvent, activationWindowDays };
  }
  let kpis = dataset.kpis(options);
  const { used, outside } = spendWithin(spend ?? {}, kpis.periods);
  if (Object.keys(used).length > 0) kpis = dataset.kpis({ ...options, spend: used });
  return { periods: kpis.periods, cards: kpiCards(kpis, { activation, spend: used }), spendOutside: outside };
}

function histogram(values, { min, max, bins }) {
  const counts = new Array(bins).fill(0);
  const width = (max - min) / bins;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    const bin = width > 0 ? Math.min(bins - 1, Math.max(0, Math.floor((v - min) / width))) : 0;
    counts[bin]++;
  }
  return { edges: Array.from({ length: bins + 1 }, (_, i) => min + i * width), counts };
}

function quantile(values, q) {
  const sorted = Float64Array.from(values).sort();
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** BG/NBD + Gamma-Gamma over the dataset's weekly purchase summary, or why they could not be fitted. */
export function predictive(sl, dataset, at) {
  const summary = dataset.summary({ period: BTYD_PERIOD, observationEnd: at });
  if (!summary.frequency.some((x) => x > 0)) return { fitted: false, reason: 'nobody bought twice: there is nothing to fit' };
  try {
    const bg = sl.fitBGNBD(summary);
    const gg = sl.fitGammaGamma(summary);
    const pAlive = bg.pAlive(summary.frequency, summary.recency, summary.T);
    const clv = sl.customerLifetimeValue({
      transactionModel: bg, spendModel: gg, ...summary, months: CLV_MONTHS, discountRate: CLV_MONTHLY_DISCOUNT, period: BTYD_PERIOD,
    });
    return {
      fitted: true,
      bgnbd: { r: bg.r, alpha: bg.alpha, a: bg.a, b: bg.b, converged: bg.converged },
      gammaGamma: { p: gg.p, q: gg.q, v: gg.v, converged: gg.converged },
      customerIds: summary.customerIds, pAlive, clv,
    };
  } catch (error) {
    return { fitted: false, reason: error.message };
  }
}

/**
 * Stage distribution, journey map and stage funnel for one stage model. Stages of single
 * customers go to the page only for `listedIds` (the customer table's), as {id: stageIndex}: a
 * 1M-row file has ~100k customers, and their ids would cost the page's main thread a long task to
 * receive.
 */
export function lifecycleViews(dataset, model, { at, from, to }, listedIds = []) {
  const stages = dataset.stages(model, at);
  const wanted = new Set(listedIds);
  const listed = {};
  stages.customerIds.forEach((id, i) => { if (wanted.has(id)) listed[id] = stages.stageIndex[i]; });
  const journey = dataset.transitions(model, from, to);
  const flow = dataset.stageFlow(model, at);
  const { cx } = dataset.cxByStage(model, { to: at });
  return {
    model: { name: model.name, stages: model.stages.map(({ id, label, color }) => ({ id, label, color })), config: model.config },
    stages: { counts: Array.from(stages.counts), listed },
    journey: { from: journey.from, to: journey.to, matrix: journey.matrix },
    funnel: flow.funnel,
    cx: Object.fromEntries(Object.entries(cx).map(([key, series]) => [key, { n: series.n, value: series.value }])),
  };
}

/**
 * Everything the page shows, from a loaded dataset. `step(label, fraction)` reports progress;
 * `kpiSettings` are kpiFigures' settings.
 */
export function analyzeDataset(sl, dataset, kind, model, step, kpiSettings) {
  step('KPIs', 0.62);
  const kpis = kpiFigures(dataset, kind, kpiSettings);
  step('RFM', 0.66);
  const rfm = dataset.rfm();
  const at = rfm.at;
  step('cohorts', 0.7);
  const cohorts = dataset.cohorts({ period: 'M' });
  step('predictive CLV', 0.74);
  const btyd = predictive(sl, dataset, at);
  const customers = topCustomers(rfm, btyd);
  step('stages and journeys', 0.8);
  const from = at - 182 * DAY;
  const views = lifecycleViews(dataset, model, { at, from, to: at }, customers.rows.map((row) => row.id));
  for (const row of customers.rows) row.stage = views.model.stages[views.stages.listed[row.id]]?.label ?? '';

  // RFM: customers per (R, F) cell and each cell's segment (the default segments partition R × F).
  const grid = Array.from({ length: 5 }, () => new Array(5).fill(0));
  const cellSegment = Array.from({ length: 5 }, () => new Array(5).fill(''));
  for (let i = 0; i < rfm.customerIds.length; i++) {
    grid[rfm.r[i] - 1][rfm.f[i] - 1]++;
    cellSegment[rfm.r[i] - 1][rfm.f[i] - 1] = rfm.segments[i];
  }

  const first = Math.max(0, cohorts.cohorts.length - MAX_COHORTS);
  const report = dataset.report;
  return {
    at,
    kind,
    rows: { read: report.rowsRead, loaded: report.rowsLoaded, rejected: report.rowsRejected, excluded: report.rowsExcluded, guests: report.guestRows },
    issues: dataset.issues.slice(0, 5),
    customerCount: dataset.customerCount,
    kpiPeriods: kpis.periods,
    cards: kpis.cards,
    spendOutside: kpis.spendOutside,
    ...views,
    cohorts: { labels: cohorts.cohorts.slice(first), size: cohorts.size.slice(first), rate: cohorts.returnedRate.slice(first) },
    rfm: { grid, cellSegment, segmentCounts: rfm.segmentCounts, customers: rfm.customerIds.length },
    btyd: btydView(btyd),
    customers,
  };
}

function btydView(btyd) {
  if (!btyd.fitted) return { fitted: false, reason: btyd.reason };
  // A degenerate fit (a, b → ∞: the data show no dropout) can give non-finite CLVs for some customers;
  // they are shown as "–" and counted, never averaged or binned.
  const finite = btyd.clv.filter(Number.isFinite);
  const clvMax = quantile(finite, 0.99);
  return {
    fitted: true, bgnbd: btyd.bgnbd, gammaGamma: btyd.gammaGamma,
    customers: btyd.customerIds.length,
    meanClv: finite.length === 0 ? null : finite.reduce((a, b) => a + b, 0) / finite.length,
    nonFiniteClv: btyd.clv.length - finite.length,
    pAliveHistogram: histogram(btyd.pAlive, { min: 0, max: 1, bins: 10 }),
    clvHistogram: histogram(finite, { min: 0, max: clvMax > 0 ? clvMax : 1, bins: 20 }),
  };
}

/**
 * The customers with a purchase, highest predicted CLV first (by revenue when nothing was
 * fitted): their count and the first TOP_CUSTOMERS rows (stage labels are added by the caller).
 */
function topCustomers(rfm, btyd) {
  const prediction = new Map();
  if (btyd.fitted) btyd.customerIds.forEach((id, i) => prediction.set(id, [btyd.pAlive[i], Number.isFinite(btyd.clv[i]) ? btyd.clv[i] : null]));
  const rows = rfm.customerIds.map((id, i) => {
    const [pAlive = null, clv = null] = prediction.get(id) ?? [];
    return { id, segment: rfm.segments[i], stage: '', orders: rfm.frequency[i],
      recencyDays: rfm.recencyDays[i], monetary: rfm.monetary[i], pAlive, clv };
  });
  rows.sort((x, y) => (y.clv ?? -Infinity) - (x.clv ?? -Infinity) || y.monetary - x.monetary);
  return { total: rows.length, rows: rows.slice(0, TOP_CUSTOMERS) };
}
