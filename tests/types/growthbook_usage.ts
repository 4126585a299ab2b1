// Type test for sl.growthbook (tsc --noEmit): GrowthBook payloads, results and sticky buckets.
import { init } from 'stageline';
import type { GrowthBookEvaluator, GrowthBookFeatureResult, GrowthBookResult, StickyAssignmentsDocument } from 'stageline';

export async function growthbookUsage(): Promise<void> {
  const sl = await init();
  const gb: GrowthBookEvaluator = sl.growthbook(
    { features: { banner: { defaultValue: false, rules: [{ condition: { country: 'NL' }, force: true }] } }, savedGroups: { vip: ['u1'] } },
    { id: 'u1', country: 'NL' },
    { url: 'https://shop.example/?exp=1', forcedFeatures: new Map([['banner', true]]), stickyBucketAssignmentDocs: {} },
  );
  const result: GrowthBookFeatureResult = gb.evalFeature('banner');
  const source: 'force' | string = result.source;
  const on: boolean = gb.isOn('banner');
  const run: GrowthBookResult = gb.run({ key: 'exp', variations: ['a', 'b'], hashVersion: 2 });
  const bucket: number | undefined = run.bucket;
  const docs: { [key: string]: StickyAssignmentsDocument } = gb.getStickyBucketAssignmentDocs();
  gb.loadStickyBucketAssignmentDocs(Object.values(docs));
  gb.setAttributes({ id: 'u2' });
  // @ts-expect-error run() needs an experiment key
  gb.run({ variations: [0, 1] });
  gb.dispose();
  void [source, on, bucket];
}
