// The offline-first runtime a page embeds: one object that tracks the visitor, keeps their profile
// aggregates, stage and stage timeline on the device (IndexedDB), decides content with a rules
// engine, and syncs events to a collector when it can.
//
//   const lc = await sl.createTracker({ stageModel: 'full', sync: { url: '/collect' } });
//   lc.addEventListener('stagechange', (e) => console.log(e.detail.from, '→', e.detail.to));
//   await lc.track('purchase', { value: 49.9 });
//
// Every write is one storage transaction that re-reads the stored profile first: IndexedDB runs
// read-write transactions over the same stores one after another across tabs, so tabs tracking at
// once neither lose nor double-count events (the stored record's revision says when another tab
// wrote since, and the profile is then restored from it before applying).

import { Consent } from './consent.js';
import { StagelineError } from '../common/errors.js';
import { hashIdentifier, randomId } from './identity.js';
import { createCustomerProfileApi } from '../profiles/customer_profile.js';
import { createRulesApi } from '../rules/rules.js';
import { createStageModelApi, StageModel } from '../stages/stage_model.js';
import { openStore, startOpeningStore } from './storage/open.js';
import { RECORD_VERSION, recordProblem, STORE_NAMES } from './storage/schema.js';
import { Sync } from './sync.js';
import { TabChannel } from './tab_channel.js';

const VISITOR_KEY = 'visitor';
const OUTBOX_KEY = 'outbox';  // meta record counting outbox entries dropped at sync.maxOutbox
const DEFAULT_MAX_EVENTS = 1000;
const MAX_TIMELINE = 500;

/** The storage options of createTracker's `options`, defaults filled in. */
function storageOptionsOf(options) {
  return {
    name: options.storage?.name ?? 'stageline',
    backend: options.storage?.backend ?? 'auto',
    maxEvents: options.storage?.maxEvents ?? DEFAULT_MAX_EVENTS,
  };
}

/** "stages[2].when: orders $gte 1 (was 1), …": which clauses of the winning stage held. */
function describeReason(classification) {
  const winner = classification.explanation?.find((entry) => entry.stage === classification.stage);
  const held = (winner?.clauses ?? []).filter((clause) => clause.held);
  if (held.length === 0) return classification.rule;
  const text = held.map((c) => `${c.attribute} ${c.op} ${JSON.stringify(c.expected)} (was ${JSON.stringify(c.actual)})`);
  return `${classification.rule}: ${text.join(', ')}`;
}

/** Splits track() props into the event's value and its properties. */
function eventFields(props, path) {
  if (props === undefined || props === null) return {};
  if (typeof props !== 'object' || Array.isArray(props)) {
    throw new StagelineError('invalid_argument', path, 'expected an object of event properties');
  }
  const { value, ...properties } = props;
  const fields = {};
  if (value !== undefined && value !== null) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new StagelineError('invalid_argument', `${path}.value`, `expected a finite number, got ${JSON.stringify(value)}`);
    }
    fields.value = value;
  }
  if (Object.keys(properties).length > 0) fields.properties = properties;
  return fields;
}

export class Tracker extends EventTarget {
  #profiles;      // { customerProfile, restoreProfile } of the module
  #model;
  #ownsModel;
  #rules;
  #ownsRules;
  #traits;
  #consent;
  #storageOptions;
  #syncOptions;
  #clock;

  #store = null;
  #storeKind = 'none';
  #visitor;          // { anonymousId, customerId }
  #profile;          // CustomerProfile of the current identity
  #revision = 0;     // revision of the stored record #profile reflects (0: none stored)
  #stage;            // { stage, enteredAt, rule }
  #timeline = [];    // [{ stage, enteredAt, leftAt, rule }]
  #hashes = new Map();
  #sync = null;
  #channel = null;
  #queue = Promise.resolve();
  #erasurePending = false;
  #closed = false;
  #early = [];       // events raised before createTracker() resolved
  #unsubscribe = null;  // removes the exposure listener from a rules engine the page shares

  /** Use sl.createTracker(options). */
  constructor(profiles, model, ownsModel, rules, ownsRules, options) {
    super();
    this.#profiles = profiles;
    this.#model = model;
    this.#ownsModel = ownsModel;
    this.#rules = rules;
    this.#ownsRules = ownsRules;
    this.#traits = options.traits ?? null;
    this.#consent = new Consent(options.consent ?? 'granted');
    this.#storageOptions = storageOptionsOf(options);
    this.#syncOptions = options.sync?.url ? { hashIdentifiers: true, hashSalt: '', ...options.sync } : null;
    this.#clock = options.now ?? Date.now;
    this.#visitor = { anonymousId: randomId(), customerId: null };
    this.#profile = profiles.customerProfile(this.#visitor.anonymousId, this.#traits);
    this.#stage = null;  // classified when first needed: a restore brings the stored stage
    if (this.#rules !== null && typeof this.#rules.onExposure === 'function') {
      this.#unsubscribe = this.#rules.onExposure((exposure) => this.#emit('exposure', exposure));
    }
  }

  /**
   * Opens storage (when consent allows) and restores the visitor. Called by createTracker, with
   * the storage it started opening (startOpeningStore's `result`) or null.
   */
  async start(opening = null) {
    if (this.#syncOptions !== null) {
      this.#sync = new Sync(this.#syncOptions, {
        store: () => this.#store,
        allowed: () => this.#consent.granted || this.#erasurePending,
        report: (type, detail) => this.#emit(type, detail),
        lockName: `stageline-sync:${this.#storageOptions.name}`,
      });
    }
    try {
      if (this.#consent.granted) await this.#serial(() => this.#open(opening));
    } finally {
      this.#releaseEarlyEvents();
    }
    return this;
  }

  // ---- state -------------------------------------------------------------------------------

  /** 'indexeddb', 'memory' (IndexedDB unavailable, or asked for), or 'none' (no consent yet). */
  get storage() {
    return this.#storeKind;
  }

  /** 'pending', 'granted' or 'revoked'. */
  get consent() {
    return this.#consent.state;
  }

  get anonymousId() {
    return this.#visitor.anonymousId;
  }

  /** The identified customer id, or null while anonymous. */
  get customerId() {
    return this.#visitor.customerId;
  }

  /** The current stage: { stage, enteredAt (epoch ms), rule }. */
  stage() {
    return { ...this.#currentStage() };
  }

  /** The visitor's profile now (all fields, computed traits, and `state`). */
  profile() {
    return this.#profile.profile(this.#clock());
  }

  /** The stage timeline: [{ stage, enteredAt, leftAt, rule }] (epoch ms; leftAt null for the current stay). */
  timeline() {
    return this.#timeline.map((entry) => ({ ...entry }));
  }

  // ---- tracking ----------------------------------------------------------------------------

  /**
   * Records an event of `type`: props.value (a number) becomes the event's value and every other
   * member its properties. Resolves to { id } (the event id sent to the collector), or to null
   * when consent is required and not granted (the event is then not kept anywhere).
   */
  track(type, props) {
    if (typeof type !== 'string' || type.length === 0) {
      throw new StagelineError('invalid_argument', 'type', `expected a non-empty string, got ${JSON.stringify(type)}`);
    }
    const fields = eventFields(props, 'props');
    if (!this.#consent.granted) return Promise.resolve(null);
    const event = { id: randomId(), type, timestamp: this.#clock(), ...fields };
    return this.#serial(async () => {
      if (!this.#consent.granted) return null;
      await this.#commit(event);
      return { id: event.id };
    });
  }

  /** A page_view event with the page's url, path, referrer and title (where the context has them) and `context`. */
  page(context = {}) {
    const location = globalThis.location;
    const doc = globalThis.document;
    const properties = {
      ...(location ? { url: location.href, path: location.pathname } : {}),
      ...(doc ? { referrer: doc.referrer, title: doc.title } : {}),
      ...context,
    };
    return this.track('page_view', properties);
  }

  /**
   * Identifies the visitor as `customerId`. The first identify of an anonymous visitor merges the
   * anonymous history (profile aggregates, exposures for caps, stage timeline) into the customer
   * (stored or new); identifying as someone else later switches to that customer without merging.
   * `traits` are applied as an identify event. Resolves to { id } or null without consent.
   */
  identify(customerId, traits) {
    if ((typeof customerId !== 'string' && typeof customerId !== 'number') || String(customerId).length === 0) {
      throw new StagelineError('invalid_argument', 'customerId', `expected a non-empty string, got ${JSON.stringify(customerId)}`);
    }
    const id = String(customerId);
    const fields = eventFields(traits, 'traits');
    if (fields.value !== undefined) fields.properties = { ...fields.properties, value: fields.value };
    if (!this.#consent.granted) return Promise.resolve(null);
    const event = { id: randomId(), type: 'identify', timestamp: this.#clock(), ...(fields.properties ? { properties: fields.properties } : {}) };
    return this.#serial(async () => {
      if (!this.#consent.granted) return null;
      if (this.#visitor.customerId === id) {
        await this.#commit(event);
      } else {
        await this.#switchIdentity(id, event);
      }
      return { id: event.id };
    });
  }

  // ---- decisions ---------------------------------------------------------------------------

  /**
   * The rules engine's decision for `slot` for this visitor (profile, stage, `context`). Exposure
   * history for frequency caps is read from and written back to storage in the same transaction,
   * so caps hold across reloads and tabs.
   */
  decide(slot, context) {
    return this.#decideWith((input) => this.#rules.decide(slot, input), context);
  }

  /** Every slot's decision (engine.decideAll), as decide(). */
  decideAll(context) {
    return this.#decideWith((input) => this.#rules.decideAll(input), context);
  }

  /**
   * The visitor dismissed what a rule showed (a decision, rule id or slot id): starts the rule's
   * cooldown, stored with the exposure history.
   */
  dismiss(what) {
    return this.#decideWith((input) => this.#rules.dismiss(what, { customerId: input.customerId, at: input.at }));
  }

  #decideWith(run, context) {
    if (this.#rules === null) {
      throw new StagelineError('invalid_argument', 'rules', 'this tracker has no rules engine: pass rules: sl.rules(config) to createTracker');
    }
    return this.#serial(async () => {
      const at = this.#clock();
      const customerId = this.#key();
      // The live profile: its computed traits are known to the engine, and no JSON crosses.
      const input = { customerId, profile: this.#profile, stage: this.#currentStage().stage, context: context ?? {}, at };
      if (!this.#consent.granted || this.#store === null) return run(input);
      return this.#store.run(['exposures'], 'readwrite', async (tx) => {
        const stored = await tx.get('exposures', customerId);
        if (stored !== undefined) {
          const problem = recordProblem('exposures', stored);
          if (problem === null) {
            this.#rules.restoreExposures(customerId, stored.history);
          } else {
            this.#corrupt('exposures', customerId, problem);
          }
        }
        const result = run(input);
        await tx.put('exposures', { key: customerId, v: RECORD_VERSION, history: this.#rules.exposures(customerId) });
        return result;
      });
    });
  }

  // ---- consent and privacy -----------------------------------------------------------------

  /** Allows storing and sending from now on; opens storage and restores the visitor. */
  grantConsent() {
    this.#consent.grant();
    return this.#serial(() => (this.#store === null ? this.#open() : undefined));
  }

  /** Stops storing and sending (what is stored stays until forget()). */
  revokeConsent() {
    this.#consent.revoke();
    return this.#serial(() => undefined);
  }

  /**
   * Erases every local record of the visitor (the whole database; with sync on, all but one
   * outbox entry: the erasure request sent to the collector for the visitor's ids) and starts
   * over as a new anonymous visitor. With consent 'required', consent is pending again.
   */
  forget() {
    return this.#serial(async () => {
      const ids = [this.#visitor.anonymousId, this.#visitor.customerId].filter((id) => id !== null);
      const erasure = this.#sync === null ? null : await this.#erasureEntry(ids);
      if (this.#store !== null) {
        if (erasure === null) {
          await this.#store.destroy();
          this.#store = null;
          this.#storeKind = 'none';
        } else {
          await this.#store.run(STORE_NAMES, 'readwrite', async (tx) => {
            for (const name of STORE_NAMES) await tx.clear(name);
            await tx.put('outbox', { v: RECORD_VERSION, id: erasure.id, kind: 'erasure', body: erasure });
          });
        }
      }
      if (this.#rules !== null) for (const id of ids) this.#rules.forget(id);
      this.#reset();
      this.#consent.reset();
      this.#channel?.post({ type: 'forgotten' });
      if (erasure !== null) {
        this.#sync.dropUnsent();
        this.#erasurePending = true;
        if (this.#store === null) return;
        this.#sync.queued([erasure]);
        this.#sync.schedule(0);
      }
      if (this.#consent.granted) await this.#open();
    });
  }

  /** Everything held about the visitor, as JSON-serialisable data (storage contents, or the in-memory state). */
  export() {
    return this.#serial(async () => {
      const held = {
        exportedAt: new Date(this.#clock()).toISOString(),
        storage: this.#storeKind,
        consent: this.#consent.state,
        visitor: { ...this.#visitor },
        profile: this.profile(),
        stage: this.stage(),
        timeline: this.timeline(),
      };
      if (this.#store === null) return held;
      return this.#store.run(STORE_NAMES, 'readonly', async (tx) => {
        for (const name of STORE_NAMES) held[name] = await tx.getAll(name);
        return held;
      });
    });
  }

  /** Sends the outbox now (resolves when sent, offline, or failed with a retry scheduled). */
  flush() {
    return this.#sync?.flush() ?? Promise.resolve();
  }

  /** Stops syncing and listening, closes storage, frees the WASM profile. */
  async close() {
    if (this.#closed) return;
    this.#closed = true;
    await this.#queue;
    this.#sync?.stop();
    this.#channel?.close();
    // A shared engine outlives this tracker: stop hearing its exposures (the listener would keep
    // this tracker alive), and drop the visitor's in-memory exposure history when storage holds
    // it (every decision restores it from there first).
    this.#unsubscribe?.();
    if (!this.#ownsRules && this.#rules !== null && this.#store !== null) this.#rules.forget(this.#key());
    this.#store?.close();
    this.#profile.dispose();
    if (this.#ownsModel) this.#model.dispose();
    if (this.#ownsRules) this.#rules.dispose();
  }

  // ---- internals ---------------------------------------------------------------------------

  #key() {
    return this.#visitor.customerId ?? this.#visitor.anonymousId;
  }

  /** Runs operations one at a time, in call order. */
  #serial(work) {
    const result = this.#queue.then(() => {
      if (this.#closed) throw new StagelineError('disposed', '', 'this tracker has been closed');
      return work();
    });
    this.#queue = result.catch(() => {});
    return result;
  }

  #emit(type, detail) {
    if (this.#early !== null) {
      this.#early.push([type, detail]);
      return;
    }
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  /**
   * Dispatches what happened while createTracker() was restoring (a time-driven stagechange, a
   * storage fallback, a skipped record) on a later task, so listeners added right after it hear it.
   */
  #releaseEarlyEvents() {
    const early = this.#early;
    this.#early = null;
    if (early.length > 0) setTimeout(() => { for (const [type, detail] of early) this.#emit(type, detail); }, 0);
  }

  #corrupt(store, key, problem) {
    this.#emit('error', { code: 'corrupt_record', store, key, message: `${store} record ${JSON.stringify(key)} skipped: ${problem}` });
  }

  /** The stage, classifying a visitor without a stored one on first use. */
  #currentStage() {
    if (this.#stage === null) {
      const at = this.#clock();
      this.#stage = this.#classify(this.#profile.profile(at), at, null);
    }
    return this.#stage;
  }

  #classify(profile, at, previous) {
    const classification = this.#model.classify(profile, at, previous ?? undefined);
    return { stage: classification.stage, enteredAt: at, rule: classification.rule, reason: describeReason(classification) };
  }

  /** A fresh anonymous visitor in memory. */
  #reset() {
    this.#profile.dispose();
    this.#visitor = { anonymousId: randomId(), customerId: null };
    this.#profile = this.#profiles.customerProfile(this.#visitor.anonymousId, this.#traits);
    this.#revision = 0;
    this.#stage = null;
    this.#timeline = [];
    this.#hashes.clear();  // the erasure request, if any, was made from them already
  }

  /**
   * Opens storage (or takes `opening`, the result of startOpeningStore) and restores the visitor.
   * After forget() with sync on, the store it cleared is kept: it holds the erasure request (a new
   * memory store would lose it, and a second IndexedDB connection would leave the first open).
   */
  async #open(opening = null) {
    const { store, problem } = this.#store !== null
      ? { store: this.#store, problem: null }
      : await (opening ?? openStore(this.#storageOptions));
    this.#store = store;
    this.#storeKind = store.kind;
    if (problem !== null) {
      this.#emit('error', { code: 'storage_unavailable', message: `${problem}; keeping data in memory for this page only` });
    }
    if (this.#channel === null && store.kind === 'indexeddb') {
      this.#channel = new TabChannel(`stageline:${this.#storageOptions.name}`, (message) => this.#onTabMessage(message));
    }
    const transition = await this.#restoreReadOnly(store) ? null : await store.run(['meta', 'profiles'], 'readwrite', async (tx) => {
      let meta = await tx.get('meta', VISITOR_KEY);
      const problemOfMeta = meta === undefined ? null : recordProblem('meta', meta);
      if (problemOfMeta !== null) this.#corrupt('meta', VISITOR_KEY, problemOfMeta);
      if (meta === undefined || problemOfMeta !== null) {
        meta = { key: VISITOR_KEY, v: RECORD_VERSION, anonymousId: this.#visitor.anonymousId, customerId: null, createdAt: this.#clock() };
        await tx.put('meta', meta);
      }
      if (meta.anonymousId !== this.#visitor.anonymousId || meta.customerId !== this.#visitor.customerId) {
        this.#visitor = { anonymousId: meta.anonymousId, customerId: meta.customerId };
        this.#revision = -1;  // force adopting the stored record (or a fresh profile) below
      }
      this.#adopt(await tx.get('profiles', this.#key()));
      return this.#reclassify(tx, this.#clock(), 'time');
    });
    await this.#hashIds();
    if (transition !== null) this.#emit('stagechange', transition);
    this.#sync?.schedule(0);
  }

  /**
   * The common page load, a stored visitor whose stage has not changed since: read in a readonly
   * transaction (no commit to wait for, nothing to serialise with other tabs' writes). False when
   * the read-write path must run instead: no or a corrupt visitor record or profile (it reports
   * and replaces them), or a stage change to store. Either way the in-memory state ends the same.
   */
  async #restoreReadOnly(store) {
    const read = await store.run(['meta', 'profiles'], 'readonly', async (tx) => {
      const meta = await tx.get('meta', VISITOR_KEY);
      if (meta === undefined || recordProblem('meta', meta) !== null) return null;
      const key = meta.customerId ?? meta.anonymousId;
      const stored = await tx.get('profiles', key);
      if (stored !== undefined && (recordProblem('profiles', stored) !== null || stored.profile.customerId !== key)) return null;
      return { meta, stored };
    });
    if (read === null) return false;
    const { meta, stored } = read;
    if (meta.anonymousId !== this.#visitor.anonymousId || meta.customerId !== this.#visitor.customerId) {
      this.#visitor = { anonymousId: meta.anonymousId, customerId: meta.customerId };
      this.#revision = -1;
    }
    this.#adopt(stored);
    const at = this.#clock();
    const previous = this.#currentStage();
    const next = this.#classify(this.#profile.profile(at), at, { stage: previous.stage, enteredAt: previous.enteredAt });
    return next.stage === previous.stage;
  }

  /**
   * Makes the in-memory profile, stage and timeline those of `stored` (the record read in this
   * transaction), restoring only when another tab or an earlier page wrote it since.
   */
  #adopt(stored) {
    const key = this.#key();
    let problem = null;
    if (stored !== undefined) {
      problem = recordProblem('profiles', stored);
      if (problem === null && stored.profile.customerId !== key) problem = `holds customer ${JSON.stringify(stored.profile.customerId)}`;
    }
    if (stored !== undefined && problem === null) {
      if (stored.revision === this.#revision) return;
      try {
        const restored = this.#profiles.restoreProfile(stored.profile, this.#traits);
        this.#profile.dispose();
        this.#profile = restored;
        this.#revision = stored.revision;
        this.#stage = stored.stage;
        this.#timeline = stored.timeline;
        return;
      } catch (error) {
        problem = error.message;
      }
    }
    if (problem !== null) this.#corrupt('profiles', key, problem);
    if (this.#revision === 0 && problem === null) return;  // nothing stored, nothing held
    this.#profile.dispose();
    this.#profile = this.#profiles.customerProfile(key, this.#traits);
    // A skipped record is overwritten by the next write, so continue after its revision.
    this.#revision = problem !== null && Number.isInteger(stored?.revision) ? stored.revision : 0;
    this.#stage = null;
    this.#timeline = [];
  }

  /**
   * Classifies the current profile at `at` against the stored stage (minimum dwell honoured);
   * on a change, closes the timeline's open stay, opens the new one and writes the record.
   * Returns the stagechange detail, or null.
   */
  async #reclassify(tx, at, cause, forcePut = false) {
    const previous = this.#currentStage();
    const profile = this.#profile.profile(at);
    const next = this.#classify(profile, at, { stage: previous.stage, enteredAt: previous.enteredAt });
    let transition = null;
    if (next.stage !== previous.stage) {
      const open = this.#timeline.at(-1);
      if (open !== undefined && open.leftAt === null) open.leftAt = at;
      else if (this.#timeline.length === 0) this.#timeline.push({ stage: previous.stage, enteredAt: previous.enteredAt, leftAt: at, rule: previous.rule });
      this.#timeline.push({ stage: next.stage, enteredAt: at, leftAt: null, rule: next.rule });
      if (this.#timeline.length > MAX_TIMELINE) this.#timeline.splice(0, this.#timeline.length - MAX_TIMELINE);
      this.#stage = next;
      transition = { from: previous.stage, to: next.stage, at, rule: next.rule, reason: next.reason, cause, customerId: this.#key() };
    }
    if (transition !== null || forcePut) await this.#putProfile(tx, profile);
    return transition;
  }

  /** Writes the profile record; `profile` is the profile object as of the change being stored. */
  async #putProfile(tx, profile) {
    if (this.#timeline.length === 0) {
      this.#timeline.push({ stage: this.#stage.stage, enteredAt: this.#stage.enteredAt, leftAt: null, rule: this.#stage.rule });
    }
    this.#revision += 1;
    await tx.put('profiles', {
      key: this.#key(),
      v: RECORD_VERSION,
      revision: this.#revision,
      profile,
      stage: this.#stage,
      timeline: this.#timeline,
    });
  }

  /** Applies `event` to the stored profile in one transaction, with the event log and outbox. */
  async #commit(event) {
    const outbox = this.#sync === null ? null : this.#wire(event);
    let transition = null;
    let dropped = null;
    const stores = ['profiles', 'events', ...(outbox ? ['outbox', 'meta'] : [])];
    try {
      transition = await this.#store.run(stores, 'readwrite', async (tx) => {
        this.#adopt(await tx.get('profiles', this.#key()));
        this.#profile.apply(this.#coreEvent(event));
        const found = await this.#reclassify(tx, event.timestamp, 'event', true);
        await this.#logEvent(tx, event);
        if (outbox) dropped = await this.#putOutbox(tx, outbox, event.timestamp);
        return found;
      });
    } catch (error) {
      this.#revision = -1;  // the in-memory profile may be ahead of storage: restore before the next write
      throw error;
    }
    if (outbox) this.#queued(outbox, dropped);
    this.#channel?.post({ type: 'changed', key: this.#key(), transition });
    if (transition !== null) this.#emit('stagechange', transition);
  }

  /**
   * Puts `entry` into the outbox and keeps the outbox within sync.maxOutbox entries (a long
   * offline period, or a collector that never acknowledges): the oldest events make room for the
   * newest, erasure requests are never dropped, and every drop is counted in the meta record
   * 'outbox' ({dropped, lastDroppedAt}). Returns {ids, total} of what was dropped, or null.
   */
  async #putOutbox(tx, entry, at) {
    await tx.put('outbox', { v: RECORD_VERSION, id: entry.id, kind: 'event', body: entry });
    const excess = (await tx.count('outbox')) - this.#sync.maxOutbox;
    if (excess <= 0) return null;
    // forget() leaves at most one erasure request, so excess + 1 oldest records hold `excess` events.
    const oldest = await tx.getAll('outbox', excess + 1);
    const drop = oldest.filter((record) => record.kind !== 'erasure').slice(0, excess);
    for (const record of drop) await tx.delete('outbox', record.seq);
    const counter = await tx.get('meta', OUTBOX_KEY);
    const before = counter !== undefined && recordProblem('meta', counter) === null && Number.isInteger(counter.dropped) ? counter.dropped : 0;
    const total = before + drop.length;
    await tx.put('meta', { key: OUTBOX_KEY, v: RECORD_VERSION, dropped: total, lastDroppedAt: at });
    return { ids: drop.map((record) => record.id), total };
  }

  /** Tells sync about a new outbox entry and reports what the outbox dropped for it. */
  #queued(entry, dropped) {
    if (dropped !== null) {
      this.#sync.droppedFromOutbox(dropped.ids);
      this.#emit('error', {
        code: 'outbox_full',
        dropped: dropped.ids.length,
        droppedTotal: dropped.total,
        maxOutbox: this.#sync.maxOutbox,
        message: `the outbox holds ${this.#sync.maxOutbox} unsent entries (sync.maxOutbox): dropped the oldest ${dropped.ids.length}, ${dropped.total} so far`,
      });
    }
    this.#sync.queued([entry]);
  }

  #coreEvent(event) {
    const { id, ...rest } = event;
    return { customerId: this.#key(), ...rest };
  }

  async #logEvent(tx, event) {
    await tx.put('events', { v: RECORD_VERSION, event: { ...event, customerId: this.#key() } });
    const excess = (await tx.count('events')) - this.#storageOptions.maxEvents;
    if (excess > 0) await tx.deleteOldest('events', excess);
  }

  async #switchIdentity(customerId, event) {
    const fromKey = this.#key();
    const merge = this.#visitor.customerId === null;
    await this.#hashIds([customerId]);
    const outbox = this.#sync === null ? null : { ...this.#wire(event, customerId), anonymousId: this.#hashes.get(this.#visitor.anonymousId) };
    const stores = ['meta', 'profiles', 'exposures', 'events', ...(outbox ? ['outbox'] : [])];
    let transition;
    let dropped = null;
    try {
      transition = await this.#store.run(stores, 'readwrite', async (tx) => {
        this.#adopt(await tx.get('profiles', fromKey));
        const from = { profile: this.#profile, stage: this.#currentStage(), timeline: this.#timeline };
        const known = await tx.get('profiles', customerId);
        const knownProblem = known === undefined ? 'absent' : recordProblem('profiles', known);
        if (known !== undefined && knownProblem !== null) this.#corrupt('profiles', customerId, knownProblem);
        const target = knownProblem === null
          ? this.#profiles.restoreProfile(known.profile, this.#traits)
          : this.#profiles.customerProfile(customerId, this.#traits);
        if (merge) {
          target.merge(from.profile);
          await tx.delete('profiles', fromKey);
          const histories = [];
          for (const key of [customerId, fromKey]) {
            const stored = await tx.get('exposures', key);
            if (stored !== undefined && recordProblem('exposures', stored) === null) histories.push(...stored.history);
          }
          if (this.#rules !== null) {
            const inMemory = this.#rules.exposures(fromKey);
            if (histories.length === 0) histories.push(...inMemory);
            histories.sort((a, b) => a.at - b.at);
            this.#rules.forget(fromKey);
            this.#rules.restoreExposures(customerId, histories);
          }
          await tx.delete('exposures', fromKey);
          if (histories.length > 0) await tx.put('exposures', { key: customerId, v: RECORD_VERSION, history: histories });
        }
        this.#visitor = { anonymousId: this.#visitor.anonymousId, customerId };
        await tx.put('meta', { key: VISITOR_KEY, v: RECORD_VERSION, anonymousId: this.#visitor.anonymousId, customerId, createdAt: this.#clock() });
        this.#profile.dispose();
        this.#profile = target;
        this.#revision = knownProblem === null ? known.revision : 0;
        if (knownProblem === null && !merge) {
          this.#stage = known.stage ?? this.#stage;
          this.#timeline = known.timeline;
        } else if (knownProblem === null && known.stage !== null) {
          this.#timeline = known.timeline.concat(from.timeline);  // both stays, the known customer's first
          this.#timeline.sort((a, b) => a.enteredAt - b.enteredAt);
        }
        this.#profile.apply(this.#coreEvent(event));
        const found = await this.#reclassify(tx, event.timestamp, 'identify', true);
        if (found !== null && found.from !== from.stage.stage) found.from = from.stage.stage;
        await this.#logEvent(tx, event);
        if (outbox) dropped = await this.#putOutbox(tx, outbox, event.timestamp);
        return found;
      });
    } catch (error) {
      this.#revision = -1;
      throw error;
    }
    if (outbox) this.#queued(outbox, dropped);
    this.#hashes = new Map([...this.#hashes].filter(([id]) => id === this.#visitor.anonymousId || id === customerId));
    this.#channel?.post({ type: 'identity' });
    if (transition !== null) this.#emit('stagechange', transition);
  }

  /** What the collector receives for `event`: the identifier hashed when hashIdentifiers is on. */
  #wire(event, customerId = this.#key()) {
    const body = { id: event.id, kind: 'event', customerId: this.#hashes.get(customerId), type: event.type, timestamp: new Date(event.timestamp).toISOString() };
    if (event.value !== undefined) body.value = event.value;
    if (event.properties !== undefined) body.properties = event.properties;
    return body;
  }

  async #erasureEntry(ids) {
    await this.#hashIds(ids);
    const id = randomId();
    return { id, kind: 'erasure', customerIds: ids.map((value) => this.#hashes.get(value)), requestedAt: new Date(this.#clock()).toISOString() };
  }

  /** Fills #hashes for the visitor's ids (and `extra`): SHA-256 hex, or the id itself when hashing is off. */
  async #hashIds(extra = []) {
    if (this.#syncOptions === null) return;
    const ids = [this.#visitor.anonymousId, this.#visitor.customerId, ...extra].filter((id) => id !== null && !this.#hashes.has(id));
    for (const id of ids) {
      this.#hashes.set(id, this.#syncOptions.hashIdentifiers ? await hashIdentifier(id, this.#syncOptions.hashSalt) : id);
    }
  }

  #onTabMessage(message) {
    if (this.#closed || this.#store === null) return;
    if (message?.type === 'forgotten') {
      this.#serial(async () => {
        this.#reset();
        this.#consent.reset();
        if (!this.#consent.granted) {
          this.#store?.close();
          this.#store = null;
          this.#storeKind = 'none';
        } else {
          await this.#open();
        }
      }).catch((error) => this.#emit('error', { code: 'storage_failed', message: String(error?.message ?? error) }));
      return;
    }
    // 'changed' or 'identity': follow the stored state; a transition another tab made is announced here too.
    this.#serial(async () => {
      if (!this.#consent.granted || this.#store === null) return;
      await this.#store.run(['meta', 'profiles'], 'readonly', async (tx) => {
        const meta = await tx.get('meta', VISITOR_KEY);
        if (meta !== undefined && recordProblem('meta', meta) === null
          && (meta.anonymousId !== this.#visitor.anonymousId || meta.customerId !== this.#visitor.customerId)) {
          this.#visitor = { anonymousId: meta.anonymousId, customerId: meta.customerId };
          this.#revision = -1;
        }
        this.#adopt(await tx.get('profiles', this.#key()));
      });
      await this.#hashIds();
      if (message?.type === 'changed' && message.transition !== null && message.key === this.#key()) {
        this.#emit('stagechange', { ...message.transition, source: 'other-tab' });
      }
    }).catch((error) => this.#emit('error', { code: 'storage_failed', message: String(error?.message ?? error) }));
  }
}

/** The tracker function of one module instance. */
export function createTrackerApi(module) {
  const profiles = createCustomerProfileApi(module);
  const stageModels = createStageModelApi(module);
  const rulesApi = createRulesApi(module);
  /** sl.createTracker(options): resolves once the visitor is restored (or storage is deferred until consent). */
  async function createTracker(options = {}) {
    // A returning visitor's restore is mostly waiting for IndexedDB to open: issue that request
    // first, so the browser opens the database while the model and rules compile here.
    const opening = (options.consent ?? 'granted') === 'granted' ? await startOpeningStore(storageOptionsOf(options)) : null;
    const closeOpened = () => opening?.result.then(({ store }) => store.close(), () => {});
    let model;
    let rules;
    const spec = options.stageModel ?? 'classic';
    const owns = !(spec instanceof StageModel);
    const given = options.rules ?? null;
    const ownsRules = given !== null && typeof given.decide !== 'function';
    let tracker;
    try {
      model = owns ? stageModels.stageModel(spec, options.stageParams) : spec;
      rules = ownsRules ? rulesApi.rules(given) : given;
      tracker = new Tracker(profiles, model, owns, rules, ownsRules, options);
    } catch (error) {
      if (ownsRules && rules) rules.dispose();
      if (owns && model) model.dispose();
      closeOpened();
      throw error;
    }
    try {
      return await tracker.start(opening?.result ?? null);
    } catch (error) {
      await tracker.close().catch(() => {});
      throw error;
    }
  }
  return { createTracker };
}
