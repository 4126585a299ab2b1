// Type test: compiles with `tsc --noEmit -p tests/types` against web/index.d.ts through the
// package's own exports map, and fails to compile if the declarations drift from the intended use.

import { init, StagelineError, CompiledCondition } from 'stageline';
import type { Decision, RulesConfig, RulesEngine, Attributes, JsonValue, Classification, Condition, Profile, ProfileBuilder, SavedGroups, StageModel, StagePreset, Stageline, StagelineErrorCode } from 'stageline';
import type { Dataset, IngestIssue, KpiResult, RfmResult } from 'stageline';

export async function usage(): Promise<void> {
  const sl: Stageline = await init();
  await init({ wasmUrl: new URL('https://example.com/stageline.wasm') });
  await init({ wasmBinary: new Uint8Array(0) });
  await init({ wasmResponse: fetch('https://example.com/stageline.wasm') });
  await init({ wasmResponse: new Response(new Uint8Array(0)) });

  const condition: Condition = { $and: [{ country: { $in: ['NL', 'BE'] } }, { 'father.age': { $gt: 65 } }] };
  const attributes: Attributes = { country: 'NL', father: { age: 70 }, missing: undefined };
  const groups: SavedGroups = { admins: [1, 2, 3] };

  const matched: boolean = sl.evalCondition(attributes, condition);
  const logic: JsonValue | undefined = sl.applyJsonLogic({ if: [{ '<': [{ var: 'age' }, 18] }, 'minor', 'adult'] }, { age: 20 });
  sl.evalCondition(attributes, { id: { $inGroup: 'admins' } }, groups);
  sl.evalCondition(attributes, condition, null, { at: new Date() });

  const rulesConfig: RulesConfig = {
    stageModel: 'classic',
    slots: { hero: { default: { text: 'Hi' } } },
    rules: [{ id: 'r', slot: 'hero', priority: 2, when: { orders: { $gte: 2 } }, frequencyCap: { max: 3, windowDays: 7 }, payload: 'x' }],
  };
  const engine: RulesEngine = sl.rules(rulesConfig);
  const decision: Decision = engine.decide('hero', { customerId: 'c1', context: { url: 'https://a.example/', device: 'mobile' }, at: '2026-11-01' });
  const why: string = decision.reason;
  const stop: () => void = engine.onExposure((exposure) => exposure.ruleId.length);
  engine.dismiss(decision, { customerId: 'c1' });
  engine.restoreExposures('c1', engine.exposures('c1'));
  stop();
  engine.dispose();

  const compiled: CompiledCondition = sl.compileCondition(condition, undefined, { strict: false });
  const verdict: boolean = compiled.test(attributes, { at: Date.now() });
  const paths: string[] = compiled.attributePaths;
  const gone: boolean = compiled.disposed;
  compiled.dispose();
  compiled[Symbol.dispose]();

  try {
    sl.compileCondition({ a: { $gtee: 1 } });
  } catch (error) {
    if (error instanceof StagelineError) {
      const code: StagelineErrorCode | string = error.code;
      const path: string = error.path;
      const message: string = error.message;
      void [code, path, message];
    }
  }

  // @ts-expect-error attributes must be JSON values
  sl.evalCondition({ when: () => 1 }, condition);
  // @ts-expect-error strict is a boolean
  sl.compileCondition(condition, undefined, { strict: 'yes' });
  // @ts-expect-error handles are only made by compileCondition
  new CompiledCondition();

  void [matched, verdict, paths, gone];

  // Stage models and profile builders.
  const model: StageModel = sl.stageModel('full', { churnDays: 120 });
  const custom = sl.stageModel({ default: 'a', stages: [{ id: 'a' }, { id: 'b', when: { orders: { $gte: 1 } } }] });
  const presets: readonly StagePreset[] = sl.stagePresets;
  const people: ProfileBuilder = sl.profileBuilder({ traits: [{ name: 'orders30d', aggregate: 'count', event: 'purchase', windowDays: 30 }] });
  people.add({ customerId: 'c1', type: 'purchase', timestamp: '2025-03-02', value: 10 });
  people.addColumns({ customerId: ['c1'], type: ['visit'], timestamp: new Float64Array([0]) });
  const profile: Profile | null = people.profile('c1', new Date());
  const classification: Classification | undefined = profile ? model.classify(profile, Date.now()) : undefined;
  const stage: string | undefined = classification?.explanation[0]?.clauses[0]?.attribute;
  const all = people.classifyAll(model);
  const indices: Uint16Array = all.stageIndex;
  const timeline = people.timeline('c1', custom, '2025-06-01');
  const left: string | null | undefined = timeline[0]?.leftAt;
  const matching: number = people.count({ orders: { $gte: 1 } });
  // @ts-expect-error presets are a fixed set of names
  sl.stageModel('fancy');
  // @ts-expect-error classifyAll takes a StageModel
  people.classifyAll('full');
  model.dispose();
  custom.dispose();
  people.dispose();
  const bucket: number | null = sl.hash('seed', 'user-1', 2);
  const ranges: [number, number][] = sl.getBucketRanges(2, 1, [0.5, 0.5]);
  const variation: number = sl.chooseVariation(bucket ?? 0, ranges);
  const forced: number | null = sl.getQueryStringOverride('exp', 'https://x/?exp=1', 2);
  const inside: boolean = sl.inNamespace('user-1', ['ns', 0, 0.5]);
  void [presets, stage, indices, left, matching, variation, forced, inside, sl.getEqualWeights(3)];

  const summary = sl.summarizeTransactions(Uint32Array.of(0), ['a'], Float64Array.of(0), null, { period: 'W', observationEnd: '2024-01-01' });
  const bg = sl.fitBGNBD(summary);
  const alive: number = bg.pAlive(1, 2, 3);
  const aliveMany = bg.expectedPurchases(10, summary.frequency, summary.recency, summary.T);
  const pareto = sl.fitParetoNBD({ frequency: [0, 1], recency: [0, 2], T: [3, 4] });
  const gg = sl.fitGammaGamma({ frequency: summary.frequency, monetary: summary.monetary });
  const clv: Float64Array = sl.customerLifetimeValue({ transactionModel: pareto, spendModel: gg, ...summary, months: 6 });
  void [alive, aliveMany, clv, bg.r + pareto.beta + gg.expectedSpend(2, 10)];
}

// Datasets: loading, issues, KPIs and RFM.
export async function datasetUsage(): Promise<void> {
  const sl: Stageline = await init();
  const shop: Dataset = sl.loadTransactions('id,t,amount\na,2024-01-01,5\n', {
    customerId: 'id', timestamp: 't', amount: 'amount', zeroAmount: 'keep', onProgress: (rows: number) => void rows,
  });
  const events = sl.loadEvents({ id: ['a'], type: ['nps'], t: new Float64Array([0]), s: [9] },
    { customerId: 'id', type: 'type', timestamp: 't', score: 's' });
  const firstIssue: IngestIssue | undefined = shop.issues[0];
  const kpis: KpiResult = shop.kpis({ period: 'M', spend: { '2024-01': 100 } });
  const churn: number | null = kpis.metrics.churnRate[0];
  const nps: number | null = events.kpis().cx.nps.value[0];
  const rfm: RfmResult = shop.rfm({ at: '2024-02-01', segments: [{ name: 'All' }] });
  const recency: Float64Array = rfm.recencyDays;
  // @ts-expect-error the period is one of D W M Q Y
  shop.kpis({ period: 'fortnight' });
  const retained: number = shop.cohorts({ period: 'W' }).returned[0][0];
  const converted: number = events.funnel({ steps: ['view', 'buy'], order: 'any' }).converted;
  const model = sl.stageModel('classic');
  const counts: { [stage: string]: number } = shop.stages(model, '2024-02-01').distribution;
  const matrix: number[][] = shop.transitions(model, '2024-01-01', '2024-02-01').matrix;
  const dormant: number[] = shop.lifecycle({ period: 'W' }).dormant;
  model.dispose();
  void [firstIssue, churn, nps, recency, shop.rowCount, shop.customerCount, retained, converted, counts, matrix, dormant];
  shop.dispose();
  events.dispose();
}

import { DATASET_FIELDS, guessColumns } from 'stageline';

export function columnGuessing(): void {
  const { mapping, kind } = guessColumns(['Customer ID', 'Invoice', 'Date', 'Amount'], { given: { product: 'sku' } });
  const customer: string | undefined = mapping.customerId;
  const which: 'events' | 'transactions' = kind;
  const first: string = DATASET_FIELDS[0];
  // @ts-expect-error: not a dataset field
  guessColumns(['a'], { given: { nope: 'a' } });
  void customer; void which; void first;
}
