// Starts a provenance-node for a test and stops it whatever happens.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir, homedir } from 'node:os';
import { join } from 'node:path';
import { ApiPromise, WsProvider } from '@polkadot/api';

/** A binary of the debug build in the shared target directory. */
function debugBinary(name) {
  const target = process.env.CARGO_TARGET_DIR || join(homedir(), '.cache/provenance-chain/target');
  return join(target, 'debug', name);
}

/** The node binary: $PROVENANCE_NODE, or the debug build. */
export const nodeBinary = () => process.env.PROVENANCE_NODE || debugBinary('provenance-node');

/** The `prov` CLI: $PROV, or the debug build. */
export const provBinary = () => process.env.PROV || debugBinary('prov');

/**
 * The upgrade probe's wasm (the runtime one version later with one more call, built by
 * runtime/build.rs when PROVENANCE_UPGRADE_PROBE=1): $PROVENANCE_PROBE_WASM, or the debug
 * build's (compressed when the wasm builder compacted it, as it does in release builds).
 */
export const probeWasm = () => process.env.PROVENANCE_PROBE_WASM
  || ['upgrade_probe_wasm.rs.compact.compressed.wasm', 'upgrade_probe_wasm.rs.wasm']
    .map((file) => debugBinary(`wbuild/provenance-runtime/${file}`))
    .find((path) => existsSync(path));

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `provenance-node` with `args` plus loopback-only RPC and p2p ports, waits until its
 * RPC answers, and returns { api, rpcUrl, p2pPort, logPath, stop }. `stop` is idempotent; the process
 * is also killed when the test process exits.
 *
 * The node picks its own ports (port 0) and the test reads them from the node: a port chosen
 * free beforehand can be taken by another node before this one binds it, and the node then
 * moves its RPC to a random port without failing (`retry_random_port` in sc-cli), so the test
 * would drive somebody else's chain. `rpcPort` asks for a given port instead: to restart a node
 * where its clients (an indexer) reach it; the caller checks `rpcUrl` is the one it asked for.
 */
export async function startNode(args = ['--dev', '--tmp'], { timeoutMs = 120_000, rpcPort: fixedRpcPort = 0 } = {}) {
  const logDir = mkdtempSync(join(tmpdir(), 'provenance-e2e-'));
  const logPath = join(logDir, 'node.log');
  const log = createWriteStream(logPath);
  const child = spawn(
    nodeBinary(),
    [
      ...args,
      '--rpc-port', String(fixedRpcPort),
      '--listen-addr', '/ip4/127.0.0.1/tcp/0',
      '--no-prometheus',
      '--no-telemetry',
      '--no-mdns',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let rpcPort = null;
  let output = '';
  const findRpcPort = (chunk) => {
    if (rpcPort !== null) return;
    output = (output + chunk).slice(-4096);
    const bound = /Running JSON-RPC server: addr=127\.0\.0\.1:(\d+)/.exec(output);
    if (bound) rpcPort = Number(bound[1]);
  };
  child.stdout.on('data', findRpcPort);
  child.stderr.on('data', findRpcPort);
  let exited = null;
  const exitPromise = new Promise((resolve) => child.on('exit', (code, signal) => {
    exited = { code, signal };
    resolve(exited);
  }));
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);

  let api = null;
  const stop = async () => {
    if (api) {
      await api.disconnect().catch(() => {});
      api = null;
    }
    if (exited === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exitPromise;
      clearTimeout(timer);
    }
    process.off('exit', killOnExit);
  };

  let rpcUrl = null;
  let p2pPort = null;
  const deadline = Date.now() + timeoutMs;
  try {
    while (api === null) {
      if (exited !== null) {
        await new Promise((r) => log.end(r));
        const tail = readFileSync(logPath, 'utf8').trim().split('\n').slice(-5).join('\n');
        throw new Error(`provenance-node exited (${JSON.stringify(exited)}) before its RPC answered:\n${tail}\nlog: ${logPath}`);
      }
      if (Date.now() > deadline) throw new Error(`provenance-node RPC not up within ${timeoutMs} ms; log: ${logPath}`);
      if (rpcPort !== null && await rpcAnswers(rpcPort)) {
        rpcUrl = `ws://127.0.0.1:${rpcPort}`;
        const provider = new WsProvider(rpcUrl, false);
        await provider.connect();
        api = await ApiPromise.create({ provider, throwOnConnect: true, noInitWarn: true });
        const listening = (await api.rpc.system.localListenAddresses()).map(String)
          .map((addr) => /^\/ip4\/127\.0\.0\.1\/tcp\/(\d+)\//.exec(addr)).find(Boolean);
        if (!listening) throw new Error(`provenance-node listens on no loopback TCP address; log: ${logPath}`);
        p2pPort = Number(listening[1]);
      } else {
        await sleep(500);
      }
    }
  } catch (e) {
    await stop();
    throw e;
  }
  /**
   * The API, reconnected first if the node dropped it: a test that blocks its event loop (running
   * prov synchronously) for longer than the node's WebSocket ping timeout answers no pings.
   */
  async function connectedApi() {
    if (!api.isConnected) {
      await api.connect();
      const deadline = Date.now() + 30_000;
      while (!api.isConnected) {
        if (Date.now() > deadline) throw new Error(`provenance-node: no WebSocket reconnection; log: ${logPath}`);
        await sleep(200);
      }
    }
    return api;
  }
  return { get api() { return api; }, connectedApi, rpcUrl, p2pPort, logPath, stop };
}

/** Whether an HTTP JSON-RPC `system_health` call on the port gets an answer. */
async function rpcAnswers(port) {
  try {
    const res = await fetch(`http://127.0.0.1:${port}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'system_health', params: [] }),
      signal: AbortSignal.timeout(2_000),
    });
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * Signs and sends `tx`, resolving once it is in a block and then finalized:
 * { blockHash, finalizedHash, events, dispatchError }. Rejects when the node refuses it.
 */
export function sendAndFinalize(api, tx, signer, options = {}, timeoutMs = 90_000) {
  return new Promise((resolve, reject) => {
    let unsub = () => {};
    let inBlock = null;
    const timer = setTimeout(() => {
      unsub();
      reject(new Error(`not finalized within ${timeoutMs} ms (in block: ${inBlock?.blockHash ?? 'no'})`));
    }, timeoutMs);
    tx.signAndSend(signer, options, (result) => {
      const { status, events, dispatchError } = result;
      if (status.isInBlock) {
        inBlock = { blockHash: status.asInBlock.toHex(), events, dispatchError };
      } else if (status.isFinalized) {
        clearTimeout(timer);
        unsub();
        resolve({ ...inBlock, events, dispatchError, finalizedHash: status.asFinalized.toHex() });
      } else if (status.isDropped || status.isInvalid || status.isUsurped) {
        clearTimeout(timer);
        unsub();
        reject(new Error(`transaction ${status.type}`));
      }
    }).then((u) => { unsub = u; }).catch((e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/** The data of the `section.method` events of a transaction's result, in order. */
export const eventsOf = (result, section, method) =>
  result.events.filter(({ event }) => event.section === section && event.method === method).map(({ event }) => event.data);

/**
 * A function running the `prov` CLI with its arguments against `node` (with --url and --json),
 * failing the test unless it exits 0, and returning its JSON answer.
 */
export const provAgainst = (node) => (...args) => {
  const run = spawnSync(provBinary(), [...args, '--url', node.rpcUrl, '--json'], { encoding: 'utf8', timeout: 300_000 });
  assert.equal(run.status, 0, `prov ${args.join(' ')}: ${run.stdout} ${run.stderr}`);
  return JSON.parse(run.stdout);
};

/**
 * Carries `call` by a motion of a collective (`section`: `council` or `disputePanel`): the first
 * of `members` proposes it with their number as the threshold, each of them votes aye, and the
 * proposer closes it. `send(signer, tx)` sends each transaction (default: `sendAndFinalize`);
 * resolves with what it returned for the closing one, whose events hold the collective's
 * `Executed` (the call's result) and the call's own events.
 */
export async function motion(api, section, members, call, send = (signer, tx) => sendAndFinalize(api, tx, signer)) {
  const body = api.tx[section];
  const proposal = call.method;
  const lengthBound = proposal.encodedLength;
  const index = (await api.query[section].proposalCount()).toNumber();
  const hash = proposal.hash.toHex();
  const { weight } = await api.call.transactionPaymentCallApi.queryCallInfo(proposal, lengthBound);
  await send(members[0], body.propose(members.length, proposal, lengthBound));
  // A proposer's vote is not implied: every member votes.
  await Promise.all(members.map((member) => send(member, body.vote(hash, index, true))));
  return send(members[0], body.close(hash, index, weight, lengthBound));
}
