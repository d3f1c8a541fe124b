// The lineage explorer: asks the indexer's GraphQL for an asset's whole lineage and draws it
// as a layered graph (inputs on the left, what was made from them on the right). Clicking a
// node moves to it; the panel shows its record, taint, runs, licence, royalties, evaluations
// and deployments.

const NODE_W = 190;
const NODE_H = 42;
const LAYER_GAP = 90;
const ROW_GAP = 16;
const MARGIN = 20;
const SVG = 'http://www.w3.org/2000/svg';

const $ = (id) => document.getElementById(id);

async function graphql(query, variables = {}) {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data;
}

const LINEAGE = `query ($asset: String!) { lineage(asset: $asset) {
  truncated
  assets { id kind number owner uri status origin weightsHash root compromised taintKinds taintSources
           excludes runStatus runOutcome ancestor descendant }
  edges { child parent kind position } } }`;

const DETAILS = `query ($id: String!) { assetById(id: $id) {
  id kind number owner depositor deposit uri metadataHash commercial createdAt
  root recordCount byteSize origin status revokedAt revocationReason revocationSetCount
  weightsHash excludes compromised compromiseReason pipelineCodeHash
  taintKinds taintTruncated taintSources(limit: 100, orderBy: since_ASC) { origin { id } kind since }
  run { id status outcome validCount invalidCount claimant }
  licenseTerms { id fee derivatives commercialUse upstreamRoyaltyBps uri } licensePolicy licenseInherited
  royaltyStack { ancestor bps depth } royaltyStackBps
  paidIn royaltiesIn royaltiesOut
  evaluations(limit: 100, orderBy: id_ASC) { id metric score contamination contaminationFound { id } status }
  deployments(limit: 100, where: { until_isNull: true }, orderBy: from_DESC) { id operator endpoint from } } }`;

/** Turns what the person typed into an asset id: an id as is, a hash through the index. */
async function resolve(query) {
  const text = query.trim();
  if (/^(dataset|checkpoint)-\d+$/.test(text)) return text;
  if (/^0x[0-9a-fA-F]{64}$/.test(text)) {
    const hash = text.toLowerCase();
    const data = await graphql(
      `query ($hash: String!) { assets(where: { OR: [{ weightsHash_eq: $hash }, { root_eq: $hash }] },
         orderBy: createdAt_ASC, limit: 1) { id } }`,
      { hash },
    );
    if (data.assets.length) return data.assets[0].id;
    throw new Error(`no checkpoint has weights ${hash} and no dataset that root`);
  }
  throw new Error('enter dataset-<id>, checkpoint-<id>, or a 0x-prefixed 32-byte hash');
}

/** Layers by longest path from the lineage's sources, ordered to keep edges short. */
function layout(assets, edges) {
  const parents = new Map(assets.map((a) => [a.id, []]));
  const children = new Map(assets.map((a) => [a.id, []]));
  for (const e of edges) {
    parents.get(e.child)?.push(e.parent);
    children.get(e.parent)?.push(e.child);
  }
  const layer = new Map();
  const waiting = new Map(assets.map((a) => [a.id, parents.get(a.id).length]));
  const ready = assets.filter((a) => waiting.get(a.id) === 0).map((a) => a.id);
  for (const id of ready) layer.set(id, 0);
  while (ready.length) {
    const id = ready.shift();
    for (const child of children.get(id)) {
      layer.set(child, Math.max(layer.get(child) ?? 0, layer.get(id) + 1));
      waiting.set(child, waiting.get(child) - 1);
      if (waiting.get(child) === 0) ready.push(child);
    }
  }
  // An input sits just before the first asset made from it, not at the far left: a corpus
  // used late in a line is drawn next to what was trained on it.
  for (const id of [...layer.keys()].sort((a, b) => layer.get(b) - layer.get(a))) {
    const next = children.get(id).map((child) => layer.get(child));
    if (next.length) layer.set(id, Math.max(layer.get(id), Math.min(...next) - 1));
  }
  const layers = [];
  for (const a of assets) {
    const l = layer.get(a.id) ?? 0;
    (layers[l] ??= []).push(a.id);
  }
  const row = new Map();
  const place = () => layers.forEach((ids) => ids.forEach((id, i) => row.set(id, i)));
  place();
  const mean = (ids) => (ids.length ? ids.reduce((s, id) => s + row.get(id), 0) / ids.length : null);
  for (let sweep = 0; sweep < 4; sweep++) {
    const order = sweep % 2 === 0 ? layers.slice(1) : layers.slice(0, -1).reverse();
    const neighbours = sweep % 2 === 0 ? parents : children;
    for (const ids of order) {
      const weight = new Map(ids.map((id) => [id, mean(neighbours.get(id)) ?? row.get(id)]));
      ids.sort((a, b) => weight.get(a) - weight.get(b));
      ids.forEach((id, i) => row.set(id, i));
    }
  }
  const position = new Map();
  const height = Math.max(...layers.map((ids) => ids.length));
  layers.forEach((ids, l) => {
    const offset = ((height - ids.length) * (NODE_H + ROW_GAP)) / 2;
    ids.forEach((id, i) => position.set(id, {
      x: MARGIN + l * (NODE_W + LAYER_GAP),
      y: MARGIN + offset + i * (NODE_H + ROW_GAP),
    }));
  });
  return {
    position,
    width: 2 * MARGIN + layers.length * (NODE_W + LAYER_GAP) - LAYER_GAP,
    height: 2 * MARGIN + height * (NODE_H + ROW_GAP) - ROW_GAP,
  };
}

/** How an edge is drawn: it carries taint, its line was remediated, or neither. */
function edgeState(edge, byId) {
  const child = byId.get(edge.child);
  const parent = byId.get(edge.parent);
  const upstream = new Set([...parent.taintSources, parent.id]);
  if (child.taintSources.some((source) => upstream.has(source))) return 'tainted';
  const removed = child.excludes.length > 0 && child.runStatus === 'Final';
  if (edge.kind === 'Unlearning' && removed) return 'remediated';
  return '';
}

function element(name, attributes = {}, text) {
  const el = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) el.setAttribute(key, value);
  if (text !== undefined) el.textContent = text;
  return el;
}

function label(asset) {
  const kind = asset.kind === 'Dataset' ? 'dataset' : 'checkpoint';
  const what = asset.kind === 'Dataset' ? asset.origin : asset.runStatus ? `run ${asset.runStatus}` : '';
  return [`${kind} ${asset.number}`, [what, asset.taintKinds.join(', ')].filter(Boolean).join(' · ')];
}

function draw(lineage, selected) {
  const svg = $('graph');
  svg.replaceChildren();
  const byId = new Map(lineage.assets.map((a) => [a.id, a]));
  const { position, width, height } = layout(lineage.assets, lineage.edges);
  // Scaled down to the pane's width when wider, never below half size (then it scrolls).
  const scale = Math.max(0.5, Math.min(1, ($('graph-pane').clientWidth - 4) / width));
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('width', Math.round(width * scale));
  svg.setAttribute('height', Math.round(height * scale));
  const edgeLayer = element('g');
  const nodeLayer = element('g');
  svg.append(edgeLayer, nodeLayer);
  for (const edge of lineage.edges) {
    const from = position.get(edge.parent);
    const to = position.get(edge.child);
    const [x1, y1, x2, y2] = [from.x + NODE_W, from.y + NODE_H / 2, to.x, to.y + NODE_H / 2];
    const bend = (x2 - x1) / 2;
    const state = edgeState(edge, byId);
    const path = element('path', {
      class: `edge ${state}`,
      d: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`,
      'data-child': edge.child,
      'data-parent': edge.parent,
      'data-kind': edge.kind,
      'data-state': state || 'plain',
    });
    path.append(element('title', {}, `${edge.parent} → ${edge.child}: ${edge.kind}`));
    edgeLayer.append(path);
    edgeLayer.append(element('text', {
      class: 'edge-label', x: (x1 + x2) / 2, y: (y1 + y2) / 2 - 4, 'text-anchor': 'middle',
    }, edge.kind));
  }
  for (const asset of lineage.assets) {
    const { x, y } = position.get(asset.id);
    const tainted = asset.taintKinds.length > 0;
    const classes = ['node', asset.kind.toLowerCase(), tainted ? 'tainted' : 'clean'];
    if (asset.id === selected) classes.push('selected');
    const group = element('g', {
      class: classes.join(' '),
      transform: `translate(${x},${y})`,
      'data-asset': asset.id,
      tabindex: 0,
    });
    const [title, subtitle] = label(asset);
    group.append(
      element('rect', { width: NODE_W, height: NODE_H }),
      element('text', { x: 8, y: 16 }, title),
      element('text', { x: 8, y: 32 }, subtitle),
      element('title', {}, `${asset.id}${tainted ? `\ntainted by ${asset.taintSources.join(', ')}` : ''}`),
    );
    group.addEventListener('click', () => (location.hash = asset.id));
    nodeLayer.append(group);
  }
}

const row = (name, value) => (value === null || value === undefined || value === '' ? '' :
  `<dt>${name}</dt><dd>${escape(String(value))}</dd>`);
const escape = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const list = (items, render) => (items.length ? `<ul>${items.map((i) => `<li>${render(i)}</li>`).join('')}</ul>` : '<p>none</p>');
const prov = (planck) => `${(Number(BigInt(planck) / 10n ** 8n) / 1e4).toLocaleString()} PROV`;

async function showDetails(id) {
  const { assetById: a } = await graphql(DETAILS, { id });
  if (!a) return;
  const taint = a.taintKinds.length
    ? `<span class="bad">tainted: ${escape(a.taintKinds.join(', '))}</span>${list(a.taintSources, (s) =>
      `${escape(s.origin.id)} (${escape(s.kind)}, since block ${escape(s.since)})`)}`
    : '<span class="good">clean</span>';
  const live = a.deployments;
  $('details').innerHTML = `
    <h2>${escape(a.id)}</h2>
    <dl>${row('owner', a.owner)}${row('uri', a.uri)}${row('created at block', a.createdAt)}
      ${row('deposit', prov(a.deposit))}${row('origin', a.origin)}${row('status', a.status)}
      ${row('revoked at', a.revokedAt)}${row('reason', a.revocationReason)}
      ${row('records', a.recordCount)}${row('root', a.root)}${row('weights', a.weightsHash)}
      ${row('compromised', a.compromised ? a.compromiseReason : null)}
      ${row('removed by unlearning', a.excludes?.length ? a.excludes.join(', ') : null)}</dl>
    <h3>Taint</h3>${taint}
    <h3>Attested run</h3>${a.run ? `<dl>${row('run', a.run.id)}${row('status', a.run.status)}
      ${row('outcome', a.run.outcome)}${row('verdicts', `${a.run.validCount} valid, ${a.run.invalidCount} invalid`)}</dl>`
      : '<p>none linked</p>'}
    <h3>Licence</h3>${a.licenseTerms ? `<dl>${row('policy', a.licensePolicy)}${row('terms', a.licenseTerms.id)}
      ${row('fee', prov(a.licenseTerms.fee))}${row('derivatives', a.licenseTerms.derivatives)}
      ${row('upstream royalty', `${a.licenseTerms.upstreamRoyaltyBps / 100}%`)}
      ${row('inherited', a.licenseInherited ? 'yes' : 'no')}</dl>` : '<p>none set</p>'}
    <h3>Royalties</h3><dl>${row('stack', `${a.royaltyStackBps / 100}% to ancestors`)}
      ${row('paid in', prov(a.paidIn))}${row('royalties in', prov(a.royaltiesIn))}
      ${row('royalties out', prov(a.royaltiesOut))}</dl>
      ${a.royaltyStack.length ? list(a.royaltyStack, (s) => `${escape(s.ancestor)}: ${s.bps / 100}% (depth ${s.depth})`) : ""}
    <h3>Evaluations</h3>${list(a.evaluations, (e) => `${escape(e.metric)} ${escape(e.score)} — ${escape(e.status)},
      <span class="${e.contamination === 'Clean' ? 'good' : 'bad'}">${escape(e.contamination)}${e.contaminationFound ? ` (${escape(e.contaminationFound.id)})` : ''}</span>`)}
    <h3>Live deployments</h3>${list(live, (d) => `${escape(d.endpoint.slice(0, 18))}… by ${escape(d.operator)} since block ${escape(d.from)}`)}`;
}

async function show(id) {
  const started = performance.now();
  $('status').textContent = `loading ${id}…`;
  try {
    const { lineage } = await graphql(LINEAGE, { asset: id });
    if (!lineage) throw new Error(`${id} is not in the index`);
    draw(lineage, id);
    const ms = Math.round(performance.now() - started);
    window.explorer = { asset: id, assets: lineage.assets.length, edges: lineage.edges.length, ms };
    $('status').textContent = `${id}: ${lineage.assets.length} assets, ${lineage.edges.length} edges` +
      `${lineage.truncated ? ' (truncated)' : ''}, drawn in ${ms} ms`;
    await showDetails(id);
  } catch (error) {
    $('status').textContent = error.message;
  }
}

$('search').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    location.hash = await resolve($('query').value);
  } catch (error) {
    $('status').textContent = error.message;
  }
});
/** The asset the address names (`#checkpoint-7`), or null for none or a malformed one. */
function fromHash() {
  try {
    return location.hash.length > 1 ? decodeURIComponent(location.hash.slice(1)) : null;
  } catch {
    return null;
  }
}
window.addEventListener('hashchange', () => fromHash() && show(fromHash()));
if (fromHash()) show(fromHash());
