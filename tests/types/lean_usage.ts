// Type test of the lean entry point: the personalization API is there, the batch parts are not.
import { init, StagelineError, type StagelineLean, type Tracker } from 'stageline/lean';

const sl: StagelineLean = await init();
const matched: boolean = sl.evalCondition({ country: 'NL' }, { country: { $in: ['NL', 'BE'] } });
const engine = sl.rules({ slots: { hero: {} }, rules: [{ id: 'a', slot: 'hero', payload: 1 }] });
const payload: unknown = engine.decide('hero', { customerId: 'c1' }).payload;
engine.dispose();
const used: number = sl.memoryStats().usedBytes;
// @ts-expect-error the lean module has no ProfileBuilder
sl.profileBuilder();
// @ts-expect-error nor applyJsonLogic
sl.applyJsonLogic({ var: 'a' }, { a: 1 });
// @ts-expect-error nor datasets
sl.loadTransactions('a,b\n', { customerId: 'a', timestamp: 'b' });
// @ts-expect-error nor BTYD models
sl.fitBGNBD({ frequency: [], recency: [], T: [] });
// @ts-expect-error nor the GrowthBook evaluator
sl.growthbook({ features: {} });
const tracker: Promise<Tracker> = sl.createTracker({ storage: { backend: 'memory' } });
export { matched, tracker, payload, used, StagelineError };
