// The storefront example (examples/shop) in Debian's Chromium through playwright-core, served by
// the examples' server under its strict CSP: a visitor is walked through every stage of the `full`
// preset by clicking the page's buttons, and at each step the badge, the hero, offer and help
// texts and the debug drawer's reasons are checked. Expected texts are copied by hand from
// examples/shop/rules.js, and expected stages and reasons worked out by hand from the `full`
// preset's definition (README, "Presets"); rule indexes count the rules in rules.js from 0.
// Screenshots go to test-output/shop/.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import { startStaticServer } from './static_server.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const shots = fileURLToPath(new URL('../../test-output/shop/', import.meta.url));
const chromiumPath = process.env.STAGELINE_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];
// Noon UTC: the walk's same-day events never cross midnight, so active days are what the walk says.
const START = '2026-03-02T12:00:00Z';

// What each stage shows, from rules.js.
const NEW_VISITOR = {
  tone: 'welcome',
  headline: '15% off your first order',
  offer: 'WELCOME15: 15% off your first order',
  help: 'Not sure about sizing? Chat with a fitter, free.',
};
const ONBOARDING_HERO = { tone: 'onboarding', headline: 'Get the most out of your gear' };
const MEMBER = { tone: 'member', headline: 'The autumn layering kit', offer: 'Members: free returns for 60 days', help: 'Questions? Our team answers within an hour.' };
const ADVOCATE = {
  tone: 'advocate',
  headline: 'Give 20%, get €20',
  offer: 'Refer a friend: they get 20% off, you get €20',
  help: 'Join our product testers and try new gear first.',
};
const WIN_BACK = {
  tone: 'winback',
  headline: 'Come back for 20% off',
  offer: 'COMEBACK20: 20% off, for the next 14 days',
  help: 'Something not right? Tell us, a person reads every message.',
};
const OPEN_TICKET_HELP = 'We are on your support ticket and will reply within 4 hours.';

let server;
let browser;
let context;
let page;
const problems = [];

before(async () => {
  await mkdir(shots, { recursive: true });
  server = await startStaticServer(repoRoot);
  browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ARGS });
  // Dates in the drawer are local time: pin the zone and locale the expectations are written in.
  // No service worker (offline use is offline.test.js's): page.route() cannot reach what it answers.
  context = await browser.newContext({ viewport: { width: 1360, height: 1000 }, colorScheme: 'light', timezoneId: 'UTC', locale: 'en-GB', serviceWorkers: 'block' });
  // Injected by the DevTools protocol, so the page's CSP does not apply to it.
  await context.addInitScript(() => {
    globalThis.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => globalThis.cspViolations.push(`${e.violatedDirective}: ${e.blockedURI}`));
  });
  page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
});

after(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

async function waitReady() {
  await page.waitForFunction(() => ['ready', 'error'].includes(document.body.dataset.state), null, { timeout: 20_000 });
  assert.equal(await page.getAttribute('body', 'data-state'), 'ready', await page.textContent('#status'));
}

/** Clicks `selector` and waits until the page has finished that action. */
async function act(selector) {
  const before = Number(await page.getAttribute('body', 'data-actions'));
  await page.click(selector);
  await page.waitForFunction((n) => Number(document.body.dataset.actions) > n, before, { timeout: 20_000 });
  assert.doesNotMatch(await page.textContent('#status'), /^Error/);
}
const button = (action) => act(`.simulator button[data-action="${action}"]`);

async function advance(days) {
  await page.fill('#advance-days', String(days));
  await button('advance');
}

async function survey(score) {
  await page.selectOption('#nps-score', String(score));
  await button('survey');
}

/** The page as a reviewer reads it. */
function shown() {
  return page.evaluate(() => {
    const text = (id) => document.getElementById(id).textContent;
    const decision = (slot) => {
      const row = document.querySelector(`#debug-decisions tr[data-slot="${slot}"]`);
      return { rule: row.querySelector('.rule-id').textContent, reason: row.querySelector('.reason').textContent };
    };
    return {
      badge: text('stage-badge'),
      stage: document.getElementById('stage-badge').dataset.stage,
      tone: document.getElementById('hero').dataset.tone,
      headline: text('hero-headline'),
      offer: text('offer'),
      help: text('help'),
      drawerStage: text('debug-stage'),
      stageRule: text('debug-rule'),
      stageReason: text('debug-reason'),
      decisions: { hero: decision('hero'), offer: decision('offer'), help: decision('help') },
      profile: Object.fromEntries([...document.querySelectorAll('#debug-profile dt')].map((dt) => [dt.textContent, dt.nextElementSibling.textContent])),
      timeline: [...document.querySelectorAll('#debug-timeline li strong')].map((node) => node.textContent),
      log: text('debug-log'),
      storage: text('debug-storage'),
    };
  });
}

function assertShows(view, stage, label, expected) {
  assert.equal(view.stage, stage);
  assert.equal(view.badge, label);
  assert.equal(view.drawerStage, `${label} (${stage})`);
  assert.equal(view.tone, expected.tone);
  assert.equal(view.headline, expected.headline);
  if (expected.offer !== undefined) assert.equal(view.offer, expected.offer);
  if (expected.help !== undefined) assert.equal(view.help, expected.help);
}

test('a visitor walks through every stage, and the storefront follows', async () => {
  await page.goto(`${server.url}/examples/shop/?now=${START}`);
  await waitReady();

  // 1. A new visitor: nothing matches, so the model's default stage; first-purchase offer everywhere.
  let view = await shown();
  assertShows(view, 'awareness', 'Awareness', NEW_VISITOR);
  assert.equal(view.stageRule, 'default');
  assert.equal(view.decisions.hero.rule, 'hero_first_order');
  assert.equal(view.decisions.hero.reason, "rule 'hero_first_order' chose variant 'hero_first_order'");
  assert.equal(view.decisions.help.reason, "rule 'help_fit_advice' chose variant 'help_fit_advice'; passed over 'help_open_ticket': "
    + 'condition failed at rules[11].when.openTickets {"openTickets":{"$gte":1}}');
  assert.match(view.storage, /^Storage: IndexedDB/);
  await page.screenshot({ path: `${shots}01-new-visitor.png` });

  await button('visit');
  view = await shown();
  assertShows(view, 'awareness', 'Awareness', NEW_VISITOR);
  assert.equal(view.profile.Events, '1');
  assert.equal(view.profile.Sessions, '1');

  // 2. Signed up: onboarding (signed up within 30 days); no order yet, so the welcome code reminder (priority 10).
  await button('signup');
  view = await shown();
  assertShows(view, 'onboarding', 'Onboarding', { ...ONBOARDING_HERO, offer: 'Your WELCOME15 code is waiting: 15% off your first order', help: 'New gear? Watch the 2-minute care video.' });
  assert.equal(view.stageRule, 'stages[2].when');
  assert.match(view.stageReason, /^stages\[2\]\.when: signedUpAt \$withinLastDays 30 \(was 2 Mar 2026, 12:00\)$/);
  assert.equal(view.decisions.offer.rule, 'offer_welcome_reminder');
  assert.match(view.log, /stage Awareness → Onboarding \(event\)/);

  // 3. First order (the jacket, €129): still onboarding; the reminder's condition fails now.
  await act('.product button[data-sku="JKT-01"]');
  view = await shown();
  assertShows(view, 'onboarding', 'Onboarding', { ...ONBOARDING_HERO, offer: 'Getting started: register your gear for a free 2-year warranty' });
  assert.equal(view.decisions.offer.rule, 'offer_warranty');
  assert.equal(view.decisions.offer.reason, "rule 'offer_warranty' chose variant 'offer_warranty'; passed over 'offer_welcome_reminder': "
    + 'condition failed at rules[6].when.orders {"orders":{"$lt":1}}; \'offer_first_order\': stage not in [awareness, acquisition]');
  assert.equal(view.profile.Orders, '1');
  assert.equal(view.profile.Revenue, '129');
  await page.screenshot({ path: `${shots}02-onboarding.png` });

  // 4. Visits on the next two days: 3 active days, seen today, acquired: engagement outranks onboarding.
  await advance(1);
  view = await shown();
  assert.equal(view.stage, 'onboarding', 'a day without a visit changes nothing');
  await button('visit');
  await advance(1);
  await button('visit');
  view = await shown();
  assertShows(view, 'engagement', 'Engagement', MEMBER);
  assert.equal(view.profile['Active days'], '3');
  assert.equal(view.stageRule, 'stages[3].when');
  assert.match(view.decisions.help.reason, /^no rule applied, showing the default; /);

  // 5. A second order: retention (orders >= 2).
  await button('purchase');
  view = await shown();
  assertShows(view, 'retention', 'Retention', MEMBER);
  assert.equal(view.stageReason, 'stages[4].when: orders $gte 2 (was 2)');
  assert.equal(view.profile.Revenue, '188');

  // 6. NPS 10: advocacy (ordered, last NPS >= 9); the referral ask.
  await survey(10);
  view = await shown();
  assertShows(view, 'advocacy', 'Advocacy', ADVOCATE);
  assert.equal(view.stageReason, 'stages[6].when: orders $gte 1 (was 2), lastNps $gte 9 (was 10)');
  assert.equal(view.decisions.hero.reason, "rule 'hero_referral' chose variant 'hero_referral'; passed over "
    + "'hero_first_order': stage not in [awareness, acquisition]; 'hero_getting_started': stage not in [onboarding]; "
    + "'hero_member': stage not in [engagement, retention, growth]");
  await button('referral');
  view = await shown();
  assert.equal(view.profile.Referrals, '1');
  // The drawer gives the reason the visitor entered the stage, so a referral within it changes nothing there.
  assert.equal(view.stageReason, 'stages[6].when: orders $gte 1 (was 2), lastNps $gte 9 (was 10)');
  await page.screenshot({ path: `${shots}03-advocate.png` });

  // 7. 50 quiet days: at risk (not seen for >= 45 days outranks advocacy), noticed when the page loads.
  // The reason lists every clause of the stage that held: with GrowthBook's semantics a missing
  // pAlive (no such trait here) is null and null < 0.3 holds, though its $type guard keeps the
  // branch false.
  await advance(50);
  view = await shown();
  assertShows(view, 'at_risk', 'At risk', WIN_BACK);
  assert.match(view.stageReason, /^stages\[7\]\.when: signedUpAt \$exists true \(was 2 Mar 2026, 12:00\), orders \$gte 1 \(was 2\), daysSinceLastSeen \$gte 45 \(was 50(\.00)?\), lastNps \$exists true \(was 10\), pAlive \$lt 0\.3 \(was null\)$/);
  assert.match(view.log, /stage Advocacy → At risk \(time\)/);
  await page.screenshot({ path: `${shots}04-at-risk.png` });

  // 8. Coming back brings them back to advocacy; two open tickets put them at risk again.
  await button('visit');
  assert.equal((await shown()).stage, 'advocacy');
  await button('ticket');
  view = await shown();
  assert.equal(view.stage, 'advocacy', 'one open ticket is not enough');
  assert.equal(view.help, OPEN_TICKET_HELP);
  await button('ticket');
  view = await shown();
  assertShows(view, 'at_risk', 'At risk', { ...WIN_BACK, help: OPEN_TICKET_HELP });
  assert.match(view.stageReason, /openTickets \$gte 2 \(was 2\), pAlive \$lt 0\.3 \(was null\)$/);
  assert.equal(view.decisions.help.reason, "rule 'help_open_ticket' chose variant 'help_open_ticket'");
  await button('resolve');
  view = await shown();
  assert.equal(view.stage, 'advocacy');
  assert.equal(view.profile['Open tickets'], '1');
  assert.equal(view.help, OPEN_TICKET_HELP, 'one ticket is still open');

  // 9. A detractor score: at risk again (last NPS <= 6).
  await survey(3);
  view = await shown();
  assertShows(view, 'at_risk', 'At risk', { ...WIN_BACK, help: OPEN_TICKET_HELP });
  assert.match(view.stageReason, /lastNps \$exists true \(was 3\), lastNps \$lte 6 \(was 3\), pAlive \$lt 0\.3 \(was null\)$/);

  // 10. 100 quiet days: churn (not seen for >= 90 days), still the win-back offer.
  await advance(100);
  view = await shown();
  assertShows(view, 'churn', 'Churn', { ...WIN_BACK, help: OPEN_TICKET_HELP });
  assert.equal(view.stageRule, 'stages[8].when');
  assert.deepEqual(view.timeline, ['Awareness', 'Onboarding', 'Engagement', 'Retention', 'Advocacy', 'At risk',
    'Advocacy', 'At risk', 'Advocacy', 'At risk', 'Churn']);
  await page.screenshot({ path: `${shots}05-churn.png` });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: `${shots}05-churn-dark.png` });
  await page.emulateMedia({ colorScheme: 'light' });

  // 11. Offline-first: coming back to the page (without ?now, so the simulated clock runs on)
  // restores the same visitor and stage from IndexedDB.
  await page.goto(`${server.url}/examples/shop/`);
  await waitReady();
  view = await shown();
  assert.equal(view.stage, 'churn');
  assert.equal(view.profile.Orders, '2');

  // 12. Forgetting the visitor starts over as a new one.
  await button('reset');
  view = await shown();
  assertShows(view, 'awareness', 'Awareness', NEW_VISITOR);
  assert.equal(view.profile.Events, '0');
  assert.deepEqual(view.timeline, []);

  assert.deepEqual(await page.evaluate(() => globalThis.cspViolations), []);
  assert.deepEqual(problems, []);
});

/** WCAG 2 contrast ratio of two '#rrggbb' colours (relative luminance from the sRGB definition). */
function contrast(first, second) {
  const luminance = (hex) => {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
      .map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [light, dark] = [luminance(first), luminance(second)].sort((a, b) => b - a);
  return (light + 0.05) / (dark + 0.05);
}

test('every hero tone keeps its white text at a contrast of at least 4.5:1 across the gradient', async () => {
  await page.goto(`${server.url}/examples/shop/`);
  await waitReady();
  const tones = await page.evaluate(() => {
    const hero = document.getElementById('hero');
    return ['neutral', 'welcome', 'onboarding', 'member', 'advocate', 'winback'].map((tone) => {
      hero.dataset.tone = tone;
      const style = getComputedStyle(hero);
      return { tone, text: style.color, from: style.getPropertyValue('--hero-from').trim(), to: style.getPropertyValue('--hero-to').trim() };
    });
  });
  for (const { tone, text, from, to } of tones) {
    assert.equal(text, 'rgb(255, 255, 255)', tone);
    for (const stop of [from, to]) assert.ok(contrast('#ffffff', stop) >= 4.5, `${tone}: white on ${stop} is ${contrast('#ffffff', stop).toFixed(2)}:1`);
  }
  assert.ok(Math.abs(contrast('#ffffff', '#000000') - 21) < 1e-9, 'the formula gives 21:1 for white on black');
});

test('the page fetches the lean bundle, its tracker file and the .wasm once each, all started by its preloads', async () => {
  const fresh = await context.newPage();
  const requested = [];
  fresh.on('request', (request) => requested.push(new URL(request.url()).pathname));
  try {
    await fresh.goto(`${server.url}/examples/shop/?now=${START}`);
    await fresh.waitForFunction(() => ['ready', 'error'].includes(document.body.dataset.state), null, { timeout: 20_000 });
    assert.equal(await fresh.getAttribute('body', 'data-state'), 'ready', await fresh.textContent('#status'));
    const stageline = requested.filter((path) => path.startsWith('/web/')).sort();
    assert.deepEqual(stageline, ['/web/dist/stageline-lean-tracker.min.js', '/web/dist/stageline-lean.min.js', '/web/dist/stageline-lean.wasm']);
    // Resource Timing: one entry per file (a preload that the import or the glue's fetch did not
    // use would show as a second one), and each started before the file that imports or fetches
    // it had arrived: without the preloads the bundle waits for shop.js, and the tracker file and
    // the .wasm for the bundle.
    const timings = await fresh.evaluate(() => performance.getEntriesByType('resource')
      .filter((entry) => /\/(web|examples\/shop)\/.*\.(js|wasm)$/.test(entry.name))
      .map((entry) => ({ path: new URL(entry.name).pathname, startTime: entry.startTime, responseEnd: entry.responseEnd })));
    const one = (path) => {
      const entries = timings.filter((entry) => entry.path === path);
      assert.equal(entries.length, 1, `${path}: ${JSON.stringify(timings)}`);
      return entries[0];
    };
    const bundle = one('/web/dist/stageline-lean.min.js');
    assert.ok(bundle.startTime < one('/examples/shop/shop.js').responseEnd, JSON.stringify(timings));
    assert.ok(one('/web/dist/stageline-lean-tracker.min.js').startTime < bundle.responseEnd, JSON.stringify(timings));
    assert.ok(one('/web/dist/stageline-lean.wasm').startTime < bundle.responseEnd, JSON.stringify(timings));
  } finally {
    await fresh.close();
  }
});

test('without the WebAssembly module the page says what to do instead of hanging', async () => {
  const broken = await context.newPage();
  try {
    await broken.route('**/web/dist/stageline-lean.wasm', (route) => route.fulfill({ status: 404, body: '' }));
    await broken.goto(`${server.url}/examples/shop/`);
    await broken.waitForFunction(() => document.body.dataset.state === 'error', null, { timeout: 20_000 });
    assert.match(await broken.textContent('#status'), /^Error: cannot load the WebAssembly module \(.*\); build it with npm run build$/);
    await broken.click('.simulator button[data-action="visit"]');  // ignored, nothing to run
    assert.equal(await broken.getAttribute('body', 'data-actions'), '0');
  } finally {
    await broken.close();
  }
});

test('the index page links to the storefront, and the demo panel can be hidden', async () => {
  await page.goto(`${server.url}/examples/`);
  await Promise.all([page.waitForURL('**/examples/shop/'), page.click('text=Open the storefront')]);
  await waitReady();
  assert.equal(await page.getAttribute('#drawer-toggle', 'aria-expanded'), 'true');
  await page.click('#drawer-toggle');
  assert.equal(await page.getAttribute('#drawer-toggle', 'aria-expanded'), 'false');
  assert.equal(await page.isVisible('#panel'), false);
  await page.screenshot({ path: `${shots}06-panel-hidden.png` });
  assert.deepEqual(await page.evaluate(() => globalThis.cspViolations), []);
  assert.deepEqual(problems, []);
});
