// Type test for the offline-first runtime's declarations (web/index.d.ts, "Offline-first runtime").

import { init, renderPayload } from 'stageline';
import type { CustomerProfile, Decision, Profile, StageChange, Tracker, TrackerStage } from 'stageline';

export async function runtimeUsage(): Promise<void> {
  const sl = await init();
  const profile: CustomerProfile = sl.customerProfile('c1', { traits: [{ name: 'orders30d', aggregate: 'count', event: 'purchase', windowDays: 30 }] });
  profile.apply([{ type: 'purchase', timestamp: '2025-03-01', value: 10 }]);
  const saved: Profile = profile.profile(Date.now());
  const restored: CustomerProfile = sl.restoreProfile(JSON.stringify(saved));
  restored.merge(profile);
  profile.dispose();

  const lc: Tracker = await sl.createTracker({
    stageModel: 'full',
    storage: { name: 'shop', maxEvents: 500 },
    sync: { url: '/collect', hashIdentifiers: true, maxOutbox: 5000 },
    consent: 'required',
  });
  const { liveHandles, emvalHandles }: { liveHandles: number; emvalHandles: number } = sl.memoryStats();
  console.log(liveHandles, emvalHandles);
  lc.addEventListener('stagechange', (event) => {
    const change: StageChange = event.detail;
    console.log(change.from, change.to, change.reason, change.cause);
  });
  lc.addEventListener('error', (event) => console.warn(event.detail.code, event.detail.message));
  await lc.grantConsent();
  const tracked: { id: string } | null = await lc.track('purchase', { value: 49.9, sku: 'A-1' });
  await lc.identify('c-42', { plan: 'pro' });
  await lc.page({ campaign: 'spring' });
  const stage: TrackerStage = lc.stage();
  const storage: 'indexeddb' | 'memory' | 'none' = lc.storage;
  const decisions: Decision[] = await lc.decideAll({ device: 'mobile' });
  renderPayload({ textContent: '', innerHTML: '' }, decisions[0]?.payload as string);
  await lc.export();
  await lc.forget();
  await lc.close();
  void tracked; void stage; void storage;
}
