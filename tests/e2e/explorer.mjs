// The lineage explorer page in a real headless browser: Debian's Chromium, driven by
// playwright-core (no browser download).
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
/** Where screenshots go, for people to look at. */
export const SCREENSHOTS = process.env.PROVENANCE_SCREENSHOTS || join(tmpdir(), 'provenance-explorer');

/**
 * Opens the explorer served at `url`. The returned page shows an asset's lineage
 * (`show(id)`), clicks a node (`click(id)`), and reads what is drawn: each node's state
 * ('tainted' or 'clean') and each edge's ('tainted', 'remediated' or 'plain').
 */
export async function openExplorer(url) {
  // --no-sandbox: CI runs as root, where Chromium's sandbox cannot start.
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);

  /** Waits for the drawing of `asset` and its panel; what is drawn, and the panel's text. */
  async function waitForDrawn(asset) {
    await page.waitForFunction((id) => window.explorer?.asset === id
      && document.querySelector('#details h2')?.textContent === id, asset, { timeout: 60_000 });
    if (errors.length) throw new Error(`the page failed: ${errors.join('; ')}`);
    const drawn = await page.evaluate(() => ({
      ...window.explorer,
      status: document.getElementById('status').textContent,
      details: document.getElementById('details').innerText,
      nodes: Object.fromEntries([...document.querySelectorAll('g.node')]
        .map((n) => [n.dataset.asset, n.classList.contains('tainted') ? 'tainted' : 'clean'])),
      edges: Object.fromEntries([...document.querySelectorAll('path.edge')]
        .map((e) => [`${e.dataset.child}<-${e.dataset.parent}`, e.dataset.state])),
    }));
    return {
      ...drawn,
      node: (id) => drawn.nodes[id],
      edge: (child, parent) => drawn.edges[`${child}<-${parent}`],
    };
  }

  return {
    /** Types the asset into the search box, as a person would, and waits for the drawing. */
    async show(asset) {
      await page.fill('#query', asset);
      await page.click('#search button');
      return waitForDrawn(asset);
    },
    async click(asset) {
      await page.click(`g.node[data-asset="${asset}"]`);
    },
    waitForDrawn,
    async screenshot(name) {
      mkdirSync(SCREENSHOTS, { recursive: true });
      const path = join(SCREENSHOTS, name);
      await page.screenshot({ path });
      return path;
    },
    async close() {
      await browser.close();
    },
  };
}
