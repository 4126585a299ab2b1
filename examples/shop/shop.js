// The Fernway storefront: personalization by lifecycle stage, offline. The page embeds Stageline's
// runtime (sl.createTracker) with the `full` stage model and the rules in rules.js; after every
// simulated event it asks the tracker what each slot should show (decideAll) and renders the
// payloads as text (renderPayload). The demo panel's buttons are the visitor. It loads the lean
// module as pages get it from the package (`stageline/lean`): the minified bundle, which index.html
// preloads with its tracker file and .wasm. The page fetches the .wasm itself as it starts
// importing the bundle and hands the response to init(), so that the response (the preload's) is
// ready when init() needs it: the fastest start (README § The lean personalization module).

import { simulatedClock } from './clock.js';
import { debugDrawer, formatTime, readableReason } from './debug.js';
import { shopRules, STAGE_MODEL } from './rules.js';

const wasmResponse = fetch(new URL('../../web/dist/stageline-lean.wasm', import.meta.url));
wasmResponse.catch(() => {});  // init() reports a failed fetch; this only keeps it from being "unhandled" first
const { init, renderPayload } = await import('../../web/dist/stageline-lean.min.js');

const STORAGE_NAME = 'stageline-shop';
const CLOCK_KEY = 'stageline-shop:clock-offset-ms';
// Hero colour schemes shop.css defines; a payload naming another falls back to neutral.
const TONES = new Set(['neutral', 'welcome', 'onboarding', 'member', 'advocate', 'winback']);
const MAX_ADVANCE_DAYS = 3650;

const $ = (id) => document.getElementById(id);
const drawer = debugDrawer(document);
const status = $('status');
let completed = 0;  // actions finished (data-actions on <body>: lets tests and scripts wait for one)

function setState(state) {
  document.body.dataset.state = state;
  document.body.dataset.actions = String(completed);
}

function report(error) {
  const message = error?.message ?? String(error);
  status.textContent = `Error: ${message}`;
  drawer.log(`error: ${message}`, 'error');
  console.error(error);
}

function startClock() {
  try {
    return simulatedClock(CLOCK_KEY, new URLSearchParams(location.search).get('now'));
  } catch (error) {
    report(error);  // a malformed ?now= is reported, and the stored clock used
    return simulatedClock(CLOCK_KEY);
  }
}

const clock = startClock();
let sl = null;
let stages = new Map();  // id → { label, color, … } of the stage model, for display
const label = (id) => stages.get(id)?.label ?? id;

let tracker = null;
let restoreMs = 0;

/** Opens (or reopens) the visitor's tracker: restores them from IndexedDB, reclassifying at the clock's now. */
async function openTracker() {
  const started = performance.now();
  const lc = await sl.createTracker({
    stageModel: STAGE_MODEL,
    rules: shopRules,
    storage: { name: STORAGE_NAME },
    now: clock.now,
  });
  restoreMs = performance.now() - started;
  lc.addEventListener('stagechange', ({ detail }) => {
    drawer.log(`stage ${label(detail.from)} → ${label(detail.to)} (${detail.cause}${detail.source ? `, ${detail.source}` : ''}): ${readableReason(detail.reason)}`, 'stage');
  });
  lc.addEventListener('error', ({ detail }) => drawer.log(`${detail.code}: ${detail.message}`, 'error'));
  return lc;
}

/** What the page is, for rules that look at the context (url, device, local hour). */
function pageContext() {
  return {
    url: location.href,
    device: matchMedia('(max-width: 40rem)').matches ? 'mobile' : 'desktop',
    locale: navigator.language,
    utcOffsetMinutes: -new Date(clock.now()).getTimezoneOffset(),
  };
}

function renderHero(payload) {
  const hero = $('hero');
  const fields = payload !== null && typeof payload === 'object' && !('text' in payload) && !('html' in payload)
    ? payload : { headline: payload };
  hero.dataset.tone = TONES.has(fields.tone) ? fields.tone : 'neutral';
  renderPayload($('hero-eyebrow'), fields.eyebrow ?? null);
  renderPayload($('hero-headline'), fields.headline ?? null);
  renderPayload($('hero-body'), fields.body ?? null);
  const cta = renderPayload($('hero-cta'), fields.cta ?? null);
  cta.hidden = cta.textContent === '';
}

function renderSlot(id, payload) {
  const node = renderPayload($(id), payload);
  node.hidden = node.textContent === '';
}

/** Asks for every slot's decision and shows it, with the stage and the drawer. */
async function refresh() {
  const decisions = await tracker.decideAll(pageContext());
  const bySlot = Object.fromEntries(decisions.map((decision) => [decision.slot, decision]));
  renderHero(bySlot.hero.payload);
  renderSlot('offer', bySlot.offer.payload);
  renderSlot('help', bySlot.help.payload);

  const stage = tracker.stage();
  const badge = $('stage-badge');
  badge.textContent = label(stage.stage);
  badge.dataset.stage = stage.stage;
  badge.style.setProperty('--stage-color', stages.get(stage.stage)?.color ?? 'currentColor');
  $('clock').textContent = formatTime(clock.now());
  $('clock').dateTime = new Date(clock.now()).toISOString();
  drawer.show({
    stage,
    decisions,
    timeline: tracker.timeline(),
    profile: tracker.profile(),
    storage: tracker.storage,
    restoreMs,
  }, stages);
  return stage;
}

function advanceDays() {
  const input = $('advance-days');
  const days = Number(input.value);
  if (!Number.isInteger(days) || days < 1 || days > MAX_ADVANCE_DAYS) {
    throw new RangeError(`Days: expected a whole number from 1 to ${MAX_ADVANCE_DAYS}, got "${input.value}"`);
  }
  return days;
}

// What each button does to the visitor; the text is what the status line and log say.
const ACTIONS = {
  visit: async () => { await tracker.page(); return 'Visit tracked'; },
  signup: async () => { await tracker.track('signup', { method: 'email' }); return 'Sign-up tracked'; },
  purchase: async (button) => {
    const value = Number(button.dataset.value);
    await tracker.track('purchase', { value, sku: button.dataset.sku });
    return `Purchase of €${value} tracked`;
  },
  ticket: async () => { await tracker.track('ticket', { topic: 'sizing' }); return 'Support ticket opened'; },
  resolve: async () => { await tracker.track('ticket_closed'); return 'Support ticket resolved'; },
  referral: async () => { await tracker.track('referral'); return 'Referral tracked'; },
  survey: async () => {
    const score = Number($('nps-score').value);
    await tracker.track('survey', { metric: 'nps', value: score });
    return `NPS survey answered: ${score}`;
  },
  // Time-driven moves (at risk after 45 quiet days, churn after 90) are noticed when the page
  // loads, so the visitor "comes back" after the pause: the tracker is reopened from storage.
  advance: async () => {
    const days = advanceDays();
    clock.advance(days);
    await tracker.close();
    tracker = await openTracker();
    return `${days} day${days === 1 ? '' : 's'} later, the visitor comes back`;
  },
  reset: async () => {
    clock.reset();
    await tracker.forget();
    return 'Visitor forgotten: a new anonymous visitor, clock back to today';
  },
};

let queue = Promise.resolve();

/** Runs actions one after another, in click order. */
function run(name, button) {
  if (tracker === null) return;  // the page did not start (the status line says why)
  queue = queue.then(async () => {
    setState('busy');
    try {
      const before = tracker.stage().stage;
      const done = await ACTIONS[name](button);
      const after = (await refresh()).stage;
      const change = after === before ? `Stage: ${label(after)}.` : `Stage: ${label(before)} → ${label(after)}.`;
      status.textContent = `${done}. ${change}`;
      drawer.log(`${formatTime(clock.now())}: ${done}`);
    } catch (error) {
      report(error);
    } finally {
      completed += 1;
      setState('ready');
    }
  });
}

document.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-action]');
  if (button !== null && Object.hasOwn(ACTIONS, button.dataset.action)) run(button.dataset.action, button);
});

$('drawer-toggle').addEventListener('click', (event) => {
  const toggle = event.currentTarget;
  const open = toggle.getAttribute('aria-expanded') !== 'true';
  toggle.setAttribute('aria-expanded', String(open));
  toggle.textContent = open ? 'Hide demo panel' : 'Show demo panel';
  $('panel').hidden = !open;
  document.body.classList.toggle('panel-closed', !open);
});

try {
  try {
    sl = await init({ wasmResponse });
  } catch (error) {
    throw new Error(`cannot load the WebAssembly module (${error.message}); build it with npm run build`);
  }
  const model = sl.stageModel(STAGE_MODEL);
  stages = new Map(model.stages.map((stage) => [stage.id, stage]));
  model.dispose();
  tracker = await openTracker();
  await refresh();
  drawer.log(`${formatTime(clock.now())}: storefront opened (${tracker.storage})`);
  setState('ready');
} catch (error) {
  report(error);
  setState('error');
}
