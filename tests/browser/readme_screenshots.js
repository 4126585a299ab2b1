// Makes the screenshots the README shows. The storefront (docs/img/storefront.jpg and -dark.jpg): a
// visitor who signed up, bought twice, gave an NPS of 10 and came back 50 days later (at risk,
// win-back offer), with the debug drawer open. The dashboard (docs/img/dashboard.jpg): the bundled
// sample shop in the light theme, the top of the page (KPI cards and the stage charts).
// Run after a build: node tests/browser/readme_screenshots.js

import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startStaticServer } from './static_server.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const server = await startStaticServer(repoRoot);
const browser = await chromium.launch({
  executablePath: process.env.STAGELINE_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, timezoneId: 'UTC', locale: 'en-GB' });
  await page.goto(`${server.url}/examples/shop/?now=2026-03-02T12:00:00Z`);
  await page.waitForFunction(() => document.body.dataset.state === 'ready');
  let actions = 0;
  const act = async (selector) => {
    actions += 1;
    await page.click(selector);
    await page.waitForFunction((n) => Number(document.body.dataset.actions) >= n, actions);
  };
  for (const selector of ['.simulator [data-action=visit]', '.simulator [data-action=signup]', '.product [data-sku="JKT-01"]',
    '.simulator [data-action=purchase]', '.simulator [data-action=survey]']) await act(selector);
  await page.fill('#advance-days', '50');
  await act('.simulator [data-action=advance]');
  await page.mouse.move(0, 0);  // no hover state
  await page.evaluate(() => {  // the top of the page, no focus ring
    document.activeElement?.blur();
    window.scrollTo(0, 0);
  });
  await page.screenshot({ path: `${repoRoot}docs/img/storefront.jpg`, type: 'jpeg', quality: 82 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: `${repoRoot}docs/img/storefront-dark.jpg`, type: 'jpeg', quality: 82 });
  console.log('wrote docs/img/storefront.jpg and docs/img/storefront-dark.jpg');

  // Light theme whatever the machine prefers; no service worker (nothing to cache for a picture).
  const dashboard = await browser.newPage({ viewport: { width: 1280, height: 1200 }, colorScheme: 'light', timezoneId: 'UTC', locale: 'en-GB', serviceWorkers: 'block' });
  await dashboard.goto(`${server.url}/examples/dashboard/`);
  // 'ready' once the sample is analysed and every chart is drawn.
  await dashboard.waitForFunction(() => ['ready', 'error'].includes(document.body.dataset.state), null, { timeout: 60_000 });
  if (await dashboard.getAttribute('body', 'data-state') !== 'ready') throw new Error(`dashboard: ${await dashboard.textContent('#status')}`);
  await dashboard.mouse.move(0, 0);
  await dashboard.evaluate(() => {
    document.activeElement?.blur();
    window.scrollTo(0, 0);
  });
  // Down to the end of the stage charts (where the journey map's figure starts): the first screen.
  const bottom = await dashboard.evaluate(() => Math.floor(document.getElementById('chart-sankey').closest('figure').getBoundingClientRect().top) - 2);
  await dashboard.screenshot({ path: `${repoRoot}docs/img/dashboard.jpg`, type: 'jpeg', quality: 80, clip: { x: 0, y: 0, width: 1280, height: Math.min(bottom, 1200) } });
  console.log('wrote docs/img/dashboard.jpg');
} finally {
  await browser.close();
  await server.close();
}
