/// <reference lib="dom" />
// The catalog as a person sees it: every page opened in headless Chromium
// from the file system. No console error and no network request on any page;
// the trend shows one point per period at the hand-worked values, with the
// bands drawn at the thresholds' values (measured on the rendered SVG); the
// search finds a KPI by its title; every link resolves; the theme switches;
// screenshots are kept in test-results/catalog/.
//
// Chromium comes from Debian's `chromium` package (.ci/run installs it). On a
// developer machine without it the suite is skipped with the reason printed;
// in CI (CI=true) a missing browser fails.

import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kpic } from '../cli/helpers.ts';
import { fixtureProject } from './fixture.ts';

const CHROMIUM = process.env['KPIC_CHROMIUM'] ?? '/usr/bin/chromium';
const ARTEFACTS = resolve(import.meta.dirname, '../../test-results/catalog');
const available = existsSync(CHROMIUM);
if (!available && process.env['CI'] === 'true')
  throw new Error(`Chromium not found at ${CHROMIUM}: .ci/run installs Debian's chromium package`);
if (!available)
  console.warn(
    `catalog browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set KPIC_CHROMIUM)`,
  );

let project: { dir: string; cleanup: () => void };
let browser: Browser;
let site: string;

beforeAll(async () => {
  if (!available) return;
  project = fixtureProject();
  const built = await kpic(project.dir, ['docs', '--out', 'site', '--values']);
  if (built.code !== 0) throw new Error(`kpic docs failed: ${built.stderr}`);
  site = join(project.dir, 'site');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  mkdirSync(ARTEFACTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  project?.cleanup();
});

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? htmlFiles(join(dir, entry.name))
      : entry.name.endsWith('.html')
        ? [join(dir, entry.name)]
        : [],
  );
}

/** Open a page, recording console errors, page errors and every request that is not a file of the catalog. */
async function open(file: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => {
    if (!request.url().startsWith('file://')) problems.push(`network: ${request.url()}`);
  });
  page.on('requestfailed', (request) => problems.push(`failed: ${request.url()}`));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, problems };
}

describe.skipIf(!available)('the catalog in a browser', () => {
  it('loads every page with no console error, no network request, and links that resolve', async () => {
    const files = htmlFiles(site);
    expect(files.length).toBe(6);
    for (const file of files) {
      const { page, problems } = await open(file);
      const hrefs = await page.$$eval('a[href]', (links) => links.map((a) => a.getAttribute('href') ?? ''));
      await page.close();
      expect(problems, file).toEqual([]);
      for (const href of hrefs) {
        if (href.startsWith('#')) continue;
        expect(href, `${file}: ${href}`).not.toMatch(/^[a-z]+:/);
        expect(existsSync(resolve(dirname(file), href.split('#')[0]!)), `${file}: ${href}`).toBe(true);
      }
    }
  }, 120_000);

  it('draws one point per period at its value, and the bands at the thresholds', async () => {
    const { page, problems } = await open(join(site, 'kpi/nps.html'));
    const chart = page.locator('figure[data-chart="trend"] svg');
    const points = await chart.locator('path[aria-label^="period:"]').evaluateAll((nodes) =>
      nodes.map((node) => {
        const box = (node as SVGGraphicsElement).getBoundingClientRect();
        return { label: node.getAttribute('aria-label') ?? '', y: box.top + box.height / 2 };
      }),
    );
    // The hand-worked series: Jan 50, Feb -25, Mar 0, Apr 100 (incomplete).
    expect(points.map((p) => p.label)).toEqual([
      'period: 2024-01-01; value: 50; status: ok',
      'period: 2024-02-01; value: -25; status: critical',
      'period: 2024-03-01; value: 0; status: warn',
      'period: 2024-04-01; value: 100; status: ok; incomplete period',
    ]);
    const band = async (level: string) => {
      const box = await chart.locator(`path[aria-label^="${level} band"]`).evaluate((node) => {
        const r = (node as SVGGraphicsElement).getBoundingClientRect();
        return { top: r.top, bottom: r.bottom };
      });
      return box;
    };
    // Pixels per unit from two points, then each band edge where its threshold value lies.
    const [jan, feb, mar] = points;
    const perUnit = (feb!.y - jan!.y) / (50 - -25);
    const yOf = (value: number) => jan!.y + (50 - value) * perUnit;
    expect(Math.abs(mar!.y - yOf(0))).toBeLessThan(1.5);
    expect(Math.abs((await band('critical')).top - yOf(0))).toBeLessThan(1.5);
    expect(Math.abs((await band('warn')).top - yOf(10))).toBeLessThan(1.5);
    expect(Math.abs((await band('target')).bottom - yOf(30))).toBeLessThan(1.5);
    await page.screenshot({ path: join(ARTEFACTS, 'kpi-nps.png'), fullPage: true });
    await page.close();
    expect(problems).toEqual([]);
  }, 120_000);

  it('finds a KPI by its title, filters by status, and groups by owner', async () => {
    const { page, problems } = await open(join(site, 'index.html'));
    const visible = () => page.locator('[data-grouping]:not([hidden]) .tile:not([hidden]) h3').allInnerTexts();
    expect(await visible()).toEqual(['Net Promoter Score <beta>', 'NPS change']);
    await page.fill('#search', 'promoter score');
    expect(await visible()).toEqual(['Net Promoter Score <beta>']);
    await expect.poll(() => page.locator('#shown').textContent()).toBe('1 KPI shown');
    await page.fill('#search', '');
    await page.selectOption('#filter-status', 'warn');
    expect(await visible()).toEqual(['Net Promoter Score <beta>']);
    await page.selectOption('#filter-status', '');
    await page.selectOption('#group', 'owner');
    expect(await page.locator('[data-grouping="owner"] h2').allInnerTexts()).toEqual(['customer-success']);
    await page.screenshot({ path: join(ARTEFACTS, 'scorecard.png'), fullPage: true });
    await page.close();
    expect(problems).toEqual([]);
  }, 120_000);

  it('is usable from the keyboard: a skip link first, the theme switch on Enter', async () => {
    const { page, problems } = await open(join(site, 'index.html'));
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.focus('[data-theme-toggle]');
    await page.keyboard.press('Enter');
    const theme = await page.evaluate(() => document.documentElement.getAttribute('data-theme'));
    expect(['dark', 'light']).toContain(theme);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.documentElement.getAttribute('data-theme'))).not.toBe(theme);
    await page.close();
    expect(problems).toEqual([]);
  }, 120_000);

  it('prints without navigation and with the SQL unfolded', async () => {
    const { page } = await open(join(site, 'kpi/nps.html'));
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header.top').isVisible()).toBe(false);
    expect(await page.locator('details pre').isVisible()).toBe(true);
    await page.close();
  }, 60_000);
});
