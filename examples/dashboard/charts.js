// ECharts options for the dashboard's charts, from the worker's plain results. Tooltips are drawn
// on the canvas (renderMode 'richText'): ECharts' HTML tooltips carry inline style attributes,
// which the page's Content-Security-Policy (style-src 'self') refuses.

import * as echarts from 'echarts';

// Okabe–Ito: distinguishable with the common colour-vision deficiencies.
const BLUE = '#0072B2';
const ORANGE = '#E69F00';
// For stages without a colour (an edited model need not give one): the rest of Okabe–Ito by position.
const STAGE_FALLBACK = ['#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7', '#E69F00', '#999999'];
const stageColor = (stages, i) => stages[i].color || STAGE_FALLBACK[i % STAGE_FALLBACK.length];
const charts = new Map();

const dark = () => matchMedia('(prefers-color-scheme: dark)').matches;
const common = () => ({
  backgroundColor: 'transparent',
  textStyle: { fontFamily: 'system-ui, sans-serif' },
  tooltip: { renderMode: 'richText', confine: true },
  animation: false,
  aria: { enabled: true },
});

/** Draws (or redraws) the chart in element `id`. */
export function draw(id, option) {
  const element = document.getElementById(id);
  let chart = charts.get(id);
  if (chart === undefined || chart.isDisposed()) {
    chart = echarts.init(element, dark() ? 'dark' : null, { renderer: 'canvas' });
    charts.set(id, chart);
  }
  chart.setOption({ ...common(), ...option }, { notMerge: true });
  element.dataset.drawn = 'true';
}

/** Re-creates every chart in the current colour scheme (their options are kept). */
export function retheme() {
  for (const [id, chart] of charts) {
    const option = chart.getOption();
    chart.dispose();
    charts.delete(id);
    draw(id, option);
  }
}

addEventListener('resize', () => { for (const chart of charts.values()) chart.resize(); });

export function stagesChart(model, counts) {
  return {
    grid: { left: 110, right: 40, top: 10, bottom: 30 },
    xAxis: { type: 'value', name: 'customers' },
    yAxis: { type: 'category', inverse: true, data: model.stages.map((s) => s.label) },
    series: [{ type: 'bar', data: counts.map((n, i) => ({ value: n, itemStyle: { color: stageColor(model.stages, i) } })),
      label: { show: true, position: 'right' } }],
  };
}

export function funnelChart(model, funnel) {
  const label = new Map(model.stages.map((s) => [s.id, s.label]));
  return {
    grid: { left: 110, right: 90, top: 10, bottom: 30 },
    xAxis: { type: 'value', name: 'reached' },
    yAxis: { type: 'category', inverse: true, data: funnel.map((f) => label.get(f.stage) ?? f.stage) },
    series: [{
      type: 'bar', data: funnel.map((f) => f.reached), itemStyle: { color: BLUE },
      label: { show: true, position: 'right',
        formatter: ({ dataIndex }) => { const c = funnel[dataIndex].conversion; return c === null ? '' : `${(100 * c).toFixed(0)}% → next`; } },
    }],
  };
}

export function sankeyChart(model, journey) {
  const stages = model.stages;
  const fromName = (i) => (i < stages.length ? `${stages[i].label} (before)` : 'Not seen yet');
  const toName = (j) => `${stages[j].label} (after)`;
  const nodes = [];
  const links = [];
  const used = new Set();
  journey.matrix.forEach((row, i) => row.forEach((n, j) => {
    if (n > 0) {
      links.push({ source: fromName(i), target: toName(j), value: n });
      used.add(`f${i}`);
      used.add(`t${j}`);
    }
  }));
  journey.matrix.forEach((_, i) => {
    if (used.has(`f${i}`)) nodes.push({ name: fromName(i), itemStyle: { color: i < stages.length ? stageColor(stages, i) : '#999999' } });
  });
  stages.forEach((s, j) => { if (used.has(`t${j}`)) nodes.push({ name: toName(j), itemStyle: { color: stageColor(stages, j) } }); });
  return {
    series: [{ type: 'sankey', data: nodes, links, nodeAlign: 'justify', emphasis: { focus: 'adjacency' },
      lineStyle: { color: 'gradient', opacity: 0.35 }, label: { fontSize: 11 }, left: 10, right: 130, top: 10, bottom: 10 }],
  };
}

export function cohortChart(cohorts) {
  const data = [];
  cohorts.rate.forEach((row, c) => row.forEach((rate, k) => {
    if (k > 0 && rate !== null) data.push([k, c, Math.round(1000 * rate) / 10]);
  }));
  const months = Math.max(1, ...cohorts.rate.map((row) => row.length)) - 1;
  return {
    grid: { left: 70, right: 20, top: 10, bottom: 70 },
    xAxis: { type: 'category', name: 'months after first purchase', nameLocation: 'middle', nameGap: 28,
      data: Array.from({ length: months + 1 }, (_, k) => String(k)), splitArea: { show: true } },
    yAxis: { type: 'category', inverse: true, data: cohorts.labels.map((l, c) => `${l} (${cohorts.size[c]})`) },
    visualMap: { min: 0, max: Math.max(1, ...data.map((d) => d[2])), calculable: true, orient: 'horizontal', left: 'center', bottom: 0,
      inRange: { color: dark() ? ['#1b2430', '#56B4E9'] : ['#f2f7fb', '#0072B2'] }, text: ['% returned', ''] },
    series: [{ type: 'heatmap', data, label: { show: months <= 12, fontSize: 9 } }],
  };
}

export function rfmChart(rfm) {
  const data = [];
  for (let r = 0; r < 5; r++) for (let f = 0; f < 5; f++) data.push([f, r, rfm.grid[r][f], rfm.cellSegment[r][f]]);
  return {
    grid: { left: 60, right: 20, top: 10, bottom: 70 },
    xAxis: { type: 'category', name: 'frequency score', nameLocation: 'middle', nameGap: 28, data: ['1', '2', '3', '4', '5'] },
    yAxis: { type: 'category', name: 'recency score', data: ['1', '2', '3', '4', '5'] },
    visualMap: { min: 0, max: Math.max(1, ...data.map((d) => d[2])), orient: 'horizontal', left: 'center', bottom: 0, dimension: 2,
      inRange: { color: dark() ? ['#1b2430', '#E69F00'] : ['#fdf6e8', '#E69F00'] }, text: ['customers', ''] },
    series: [{ type: 'heatmap', data, label: { show: true, fontSize: 10, formatter: ({ value }) => (value[2] > 0 ? `${value[3]}\n${value[2]}` : '') } }],
  };
}

export function histogramChart(histogram, { digits, color = BLUE, name }) {
  const last = histogram.counts.length - 1;
  const labels = histogram.counts.map((_, i) => (i === last && name === 'CLV'
    ? `≥ ${histogram.edges[i].toFixed(digits)}` : `${histogram.edges[i].toFixed(digits)}–${histogram.edges[i + 1].toFixed(digits)}`));
  return {
    grid: { left: 50, right: 20, top: 10, bottom: 60 },
    xAxis: { type: 'category', data: labels, axisLabel: { rotate: 40, fontSize: 10 } },
    yAxis: { type: 'value', name: 'customers' },
    series: [{ type: 'bar', data: histogram.counts, itemStyle: { color }, barCategoryGap: '5%' }],
  };
}

export { ORANGE };
