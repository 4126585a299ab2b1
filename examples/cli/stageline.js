#!/usr/bin/env node
// The Stageline CLI: batch use of the same core the web pages use.
//
//   node examples/cli/stageline.js demo [--customers 5000] [--json]
//       classify the bundled synthetic shop (examples/data/shop-generator.js) with every preset
//   node examples/cli/stageline.js classify <events.csv|events.ndjson> [--model full] [--at ISO] [--json]
//       load your own events (columns customer_id,type,timestamp[,value]) and print the stage
//       distribution; errors name the row and column and exit non-zero
//   node examples/cli/stageline.js analyze <file.csv|file.ndjson> [--model full] [--map col=field …] [--json]
//       KPIs per period, stage distribution, RFM segment counts and BG/NBD parameters of a file of
//       orders or events (see analyze.js); progress on stderr for big files

import { readFile } from 'node:fs/promises';
import { init, StagelineError } from '../../web/src/index.js';
import { generateShop } from '../data/shop-generator.js';
import { analyzeFile, formatIssues, formatReport, parseAnalyzeArgs } from './analyze.js';

function option(args, name, fallback) {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
}

/** A clause value for people: timestamps as dates, fractional numbers to one decimal. */
function shown(attribute, value) {
  if (typeof value !== 'number') return JSON.stringify(value);
  if (/At$/.test(attribute) || attribute === 'firstSeen' || attribute === 'lastSeen') return new Date(value).toISOString().slice(0, 10);
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function pad(text, width) {
  return String(text).padEnd(width);
}

function printDistribution(model, result) {
  const total = result.stages.length;
  for (const stage of model.stages) {
    const n = result.distribution[stage.id];
    const share = total === 0 ? 0 : (100 * n) / total;
    console.log(`  ${pad(stage.label, 20)} ${String(n).padStart(7)}  ${share.toFixed(1).padStart(5)}%  ${'█'.repeat(Math.round(share / 2))}`);
  }
}

/** RFC 4180 CSV: quoted fields, "" escapes, embedded newlines, CRLF, a leading BOM. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

function columnsFromCsv(text, file) {
  const [header, ...rows] = parseCsv(text);
  const find = (...names) => header.findIndex((h) => names.includes(h.trim().toLowerCase()));
  const idCol = find('customer_id', 'customerid', 'customer', 'user_id', 'userid');
  const typeCol = find('type', 'event', 'event_type');
  const timeCol = find('timestamp', 'time', 'date', 'ts');
  const valueCol = find('value', 'amount', 'score');
  for (const [name, col] of [['customer_id', idCol], ['type', typeCol], ['timestamp', timeCol]]) {
    if (col < 0) throw new StagelineError('invalid_argument', `${file}:1`, `no "${name}" column in the header (${header.join(',')})`);
  }
  const columns = { customerId: [], type: [], timestamp: [], value: [] };
  rows.forEach((row, r) => {
    if (row.length !== header.length) {
      throw new StagelineError('invalid_argument', `${file}: row ${r + 2}`, `expected ${header.length} fields, got ${row.length}`);
    }
    const time = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(row[timeCol]) ? `${row[timeCol]}T00:00:00Z` : row[timeCol]);
    const epoch = /^\d+$/.test(row[timeCol]) ? Number(row[timeCol]) : time;
    if (!Number.isFinite(epoch)) {
      throw new StagelineError('invalid_timestamp', `${file}: row ${r + 2}, column "${header[timeCol]}"`, `cannot read ${JSON.stringify(row[timeCol])} as a timestamp`);
    }
    columns.customerId.push(row[idCol]);
    columns.type.push(row[typeCol]);
    columns.timestamp.push(epoch);
    columns.value.push(valueCol >= 0 && row[valueCol] !== '' ? Number(row[valueCol]) : NaN);
  });
  return columns;
}

async function demo(sl, args) {
  const customers = Number(option(args, 'customers', 5000));
  const started = performance.now();
  const shop = generateShop({ customers });
  const people = sl.profileBuilder().addColumns(shop);
  const at = shop.end;
  const loaded = performance.now();
  const summary = { customers: people.size, events: people.eventCount, at: new Date(at).toISOString(), models: {} };
  if (!args.includes('--json')) {
    console.log(`Stageline demo: a synthetic shop, ${people.size} customers, ${people.eventCount} events, ` +
      `18 months to ${summary.at.slice(0, 10)} (loaded in ${(loaded - started).toFixed(0)} ms)\n`);
  }
  for (const preset of sl.stagePresets) {
    const model = sl.stageModel(preset);
    const t0 = performance.now();
    const result = people.classifyAll(model, at);
    const ms = performance.now() - t0;
    summary.models[preset] = result.distribution;
    if (!args.includes('--json')) {
      console.log(`${preset} (${ms.toFixed(1)} ms for ${people.size} customers)`);
      printDistribution(model, result);
      console.log('');
    }
    model.dispose();
  }
  const full = sl.stageModel('full');
  const example = people.customerIds().find((id) => people.profile(id, at).orders >= 3) ?? people.customerIds()[0];
  const why = full.classify(people.profile(example, at), at);
  const timeline = people.timeline(example, full, at);
  summary.example = { customerId: example, stage: why.stage, rule: why.rule, timeline };
  if (args.includes('--json')) {
    console.log(JSON.stringify(summary, null, 2));
  } else {
    console.log(`Why is ${example} in "${why.stage}" (full model)? rule ${why.rule}`);
    for (const tried of why.explanation) {
      const clauses = tried.clauses.map((c) => `${c.attribute} ${c.op} ${JSON.stringify(c.expected)} (is ${shown(c.attribute, c.actual)}) ${c.held ? '✓' : '✗'}`);
      console.log(`  ${tried.matched ? '→' : ' '} ${pad(tried.stage, 10)} ${clauses.join('; ')}`);
    }
    console.log(`\nTimeline of ${example}:`);
    for (const span of timeline) console.log(`  ${span.enteredAt.slice(0, 10)} → ${(span.leftAt ?? 'now').slice(0, 10)}  ${span.stage}`);
  }
  full.dispose();
  people.dispose();
}

async function classify(sl, args) {
  const file = args[1];
  if (!file) throw new StagelineError('invalid_argument', '', 'usage: stageline classify <events.csv|events.ndjson> [--model full] [--at ISO] [--json]');
  const text = await readFile(file, 'utf8');
  const people = sl.profileBuilder();
  if (/\.(nd)?jsonl?$/i.test(file)) {
    const events = text.split('\n').map((line, i) => [line, i]).filter(([line]) => line.trim() !== '').map(([line, i]) => {
      try { return JSON.parse(line); } catch (e) { throw new StagelineError('invalid_json', `${file}: line ${i + 1}`, e.message); }
    });
    people.add(events);
  } else {
    people.addColumns(columnsFromCsv(text, file));
  }
  const model = sl.stageModel(option(args, 'model', 'full'));
  const at = option(args, 'at', undefined);
  const result = people.classifyAll(model, at);
  if (args.includes('--json')) console.log(JSON.stringify({ customers: people.size, events: people.eventCount, distribution: result.distribution }));
  else {
    console.log(`${people.size} customers, ${people.eventCount} events, model "${model.name}"`);
    printDistribution(model, result);
  }
  model.dispose();
  people.dispose();
}

async function analyze(sl, args) {
  const options = parseAnalyzeArgs(args.slice(1));
  // The core reports every 100,000 rows, so only big files show progress.
  const onProgress = (rows) => process.stderr.write(`stageline: ${rows.toLocaleString('en-US')} rows read\n`);
  const result = await analyzeFile(sl, options, { onProgress });
  const issues = formatIssues(result);
  if (issues !== null) console.error(issues);
  console.log(options.json ? JSON.stringify(result, null, 2) : formatReport(result, options.period));
}

const args = process.argv.slice(2);
try {
  const sl = await init();
  if (args[0] === 'demo' || args.length === 0) await demo(sl, args);
  else if (args[0] === 'classify') await classify(sl, args);
  else if (args[0] === 'analyze') await analyze(sl, args);
  else throw new StagelineError('invalid_argument', '', `unknown command "${args[0]}" (expected demo, classify or analyze)`);
} catch (error) {
  console.error(`stageline: ${error.message}`);
  process.exitCode = error.code === 'disposed' ? 70 : 1;
}
