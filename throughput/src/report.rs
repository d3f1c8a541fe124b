//! What a phase measured, from the blocks that held it and the node's log of the blocks it
//! authored.

use crate::{load::Phase, tracker::BlockRecord};
use serde::Serialize;
use std::{
	collections::{BTreeMap, HashMap},
	time::Duration,
};

/// Transactions the node refused at submission for one reason.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Refusal {
	pub count: u64,
}

/// How the node built one block (its `Prepared block for proposing` log line).
#[derive(Clone, Debug, Serialize)]
pub struct Proposal {
	pub millis: u64,
	pub end: String,
}

/// One full block of a phase: how long it took to build against what its weight says.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FullBlock {
	pub number: u32,
	pub extrinsics: usize,
	/// Bytes of the extrinsics.
	pub length: usize,
	pub proposal_ms: u64,
	pub weight_ms: f64,
	/// Time to build the block over the time its weight accounts for.
	pub time_over_weight: f64,
	pub end: String,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PhaseReport {
	pub name: String,
	pub kind: String,
	pub submitted: u64,
	pub accepted: u64,
	pub refused: BTreeMap<String, Refusal>,
	/// Submission time of the whole phase, in seconds.
	pub submit_seconds: f64,
	pub included: u64,
	pub failed: u64,
	pub finalized: u64,
	/// Accepted and never included while the chain went on.
	pub lost: u64,
	pub blocks: usize,
	pub max_per_block: u32,
	/// Included over the chain time from the block before the first that held some to the
	/// last that did.
	pub per_second: f64,
	/// Records (anchors, checkpoints, transfers) per second: `per_second` times the records
	/// each transaction carries.
	pub records_per_second: f64,
	pub max_finality_lag: u32,
	pub full_blocks: Vec<FullBlock>,
	pub first_block: Option<u32>,
	pub last_block: Option<u32>,
}

impl PhaseReport {
	#[allow(clippy::too_many_arguments)]
	pub fn new(
		id: usize,
		phase: &Phase,
		submitted: u64,
		accepted: u64,
		refused: BTreeMap<String, Refusal>,
		submit_time: Duration,
		blocks: &[BlockRecord],
		finalized: u32,
		max_finality_lag: u32,
	) -> Self {
		let holding: Vec<&BlockRecord> =
			blocks.iter().filter(|b| b.included.contains_key(&id)).collect();
		let count = |b: &BlockRecord| b.included.get(&id).copied().unwrap_or(0);
		let included: u64 = holding.iter().map(|b| u64::from(count(b))).sum();
		let failed =
			holding.iter().map(|b| u64::from(b.failed.get(&id).copied().unwrap_or(0))).sum();
		let finalized =
			holding.iter().filter(|b| b.number <= finalized).map(|b| u64::from(count(b))).sum();
		let (first, last) = (holding.first().map(|b| b.number), holding.last().map(|b| b.number));
		let per_second = match (first, holding.last()) {
			(Some(first), Some(last)) => {
				let before = blocks.iter().find(|b| b.number + 1 == first);
				let start = before.map_or(0, |b| b.timestamp_ms);
				let span = last.timestamp_ms.saturating_sub(start);
				if start == 0 || span == 0 {
					0.0
				} else {
					included as f64 * 1000.0 / span as f64
				}
			},
			_ => 0.0,
		};
		PhaseReport {
			name: phase.name.clone(),
			kind: phase.kind.to_owned(),
			submitted,
			accepted,
			refused,
			submit_seconds: submit_time.as_secs_f64(),
			included,
			failed,
			finalized,
			lost: accepted.saturating_sub(included),
			blocks: holding.len(),
			max_per_block: holding.iter().map(|b| count(b)).max().unwrap_or(0),
			per_second,
			records_per_second: per_second * f64::from(phase.records_per_tx),
			max_finality_lag,
			full_blocks: Vec::new(),
			first_block: first,
			last_block: last,
		}
	}

	/// Adds the blocks of this phase that the node ended early (by weight, size or time) with
	/// how long it took to build them.
	pub fn add_full_blocks(&mut self, blocks: &[BlockRecord], proposals: &HashMap<u32, Proposal>) {
		let (Some(first), Some(last)) = (self.first_block, self.last_block) else { return };
		for block in blocks.iter().filter(|b| (first..=last).contains(&b.number)) {
			let Some(proposal) = proposals.get(&block.number) else { continue };
			if proposal.end == "NoMoreTransactions" || block.weight_ps == 0 {
				continue;
			}
			let weight_ms = block.weight_ps as f64 / 1e9;
			self.full_blocks.push(FullBlock {
				number: block.number,
				extrinsics: block.extrinsics,
				length: block.length,
				proposal_ms: proposal.millis,
				weight_ms,
				time_over_weight: proposal.millis as f64 / weight_ms,
				end: proposal.end.clone(),
			});
		}
	}
}

/// The node's `Prepared block for proposing at N (T ms) ... end: E; ...` lines, by block.
pub fn proposals(log: &str) -> HashMap<u32, Proposal> {
	let mut found = HashMap::new();
	for line in log.lines() {
		let Some(rest) = line.split("Prepared block for proposing at ").nth(1) else { continue };
		let mut words = rest.split_whitespace();
		let number = words.next().and_then(|n| n.parse().ok());
		let millis = words.next().and_then(|m| m.trim_start_matches('(').parse().ok());
		let end = rest.split("end: ").nth(1).and_then(|e| e.split(';').next());
		if let (Some(number), Some(millis), Some(end)) = (number, millis, end) {
			found.insert(number, Proposal { millis, end: end.trim().to_owned() });
		}
	}
	found
}

/// One answered query: when it was asked (wall clock, milliseconds since the Unix epoch, as the
/// blocks' timestamps) and how long the answer took.
#[derive(Clone, Copy, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Call {
	pub asked_at_ms: u64,
	pub millis: f64,
}

/// Latencies of one query method, on the idle node or under load.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryReport {
	pub method: String,
	pub calls: usize,
	/// Items the method returned (the last call).
	pub items: usize,
	pub p50_ms: f64,
	pub p99_ms: f64,
	pub max_ms: f64,
	/// The calls slower than the p99, in the order they were asked: to set beside the blocks'
	/// timestamps and the node's log, to see what the node was doing meanwhile.
	pub slowest: Vec<Call>,
}

impl QueryReport {
	pub fn new(method: &str, calls: Vec<Call>, items: usize) -> Self {
		let mut millis: Vec<f64> = calls.iter().map(|call| call.millis).collect();
		millis.sort_by(f64::total_cmp);
		let at = |q: f64| {
			if millis.is_empty() {
				return 0.0;
			}
			let index = ((millis.len() as f64 * q).ceil() as usize).clamp(1, millis.len()) - 1;
			millis[index]
		};
		let p99_ms = at(0.99);
		QueryReport {
			method: method.to_owned(),
			calls: millis.len(),
			items,
			p50_ms: at(0.5),
			p99_ms,
			max_ms: millis.last().copied().unwrap_or(0.0),
			slowest: calls.into_iter().filter(|call| call.millis > p99_ms).collect(),
		}
	}
}

/// The run as Markdown tables, for BENCHMARKS.md.
pub fn markdown(phases: &[PhaseReport], idle: &[QueryReport], loaded: &[QueryReport]) -> String {
	let mut out = String::from(
		"| phase | call | submitted | refused | included | failed | finalized | lost | blocks | max per block | tx per second | records per second | max finality lag |\n\
		 | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n",
	);
	for p in phases {
		let refused: u64 = p.refused.values().map(|r| r.count).sum();
		out += &format!(
			"| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.0} | {:.0} | {} |\n",
			p.name,
			p.kind,
			p.submitted,
			refused,
			p.included,
			p.failed,
			p.finalized,
			p.lost,
			p.blocks,
			p.max_per_block,
			p.per_second,
			p.records_per_second,
			p.max_finality_lag
		);
	}
	let refusals: Vec<String> = phases
		.iter()
		.flat_map(|p| {
			p.refused.iter().map(move |(why, r)| format!("- {}: {} × {why}", p.name, r.count))
		})
		.collect();
	if !refusals.is_empty() {
		out += &format!("\nRefused at submission:\n{}\n", refusals.join("\n"));
	}
	out += "\n| phase | full block | extrinsics | bytes | build time (ms) | weight (ms) | time / weight | ended by |\n\
	        | --- | --- | --- | --- | --- | --- | --- | --- |\n";
	for p in phases {
		for b in &p.full_blocks {
			out += &format!(
				"| {} | #{} | {} | {} | {} | {:.0} | {:.2} | {} |\n",
				p.name,
				b.number,
				b.extrinsics,
				b.length,
				b.proposal_ms,
				b.weight_ms,
				b.time_over_weight,
				b.end
			);
		}
	}
	if !idle.is_empty() || !loaded.is_empty() {
		out += "\n| query | load | calls | items | p50 (ms) | p99 (ms) | max (ms) |\n\
		        | --- | --- | --- | --- | --- | --- | --- |\n";
		let rows = idle.iter().map(|q| ("idle", q)).chain(loaded.iter().map(|q| ("anchors", q)));
		for (load, q) in rows {
			out += &format!(
				"| {} | {load} | {} | {} | {:.2} | {:.2} | {:.2} |\n",
				q.method, q.calls, q.items, q.p50_ms, q.p99_ms, q.max_ms
			);
		}
	}
	out
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_query_report_keeps_the_calls_slower_than_its_p99_in_the_order_they_were_asked() {
		// 200 calls of 1 to 200 ms, asked slowest first.
		let calls: Vec<Call> = (1..=200u64)
			.rev()
			.enumerate()
			.map(|(i, ms)| Call { asked_at_ms: 1_000 + i as u64, millis: ms as f64 })
			.collect();
		let report = QueryReport::new("provenance_ancestors", calls, 64);
		assert_eq!((report.calls, report.items), (200, 64));
		assert_eq!((report.p50_ms, report.p99_ms, report.max_ms), (100.0, 198.0, 200.0));
		let slowest: Vec<(u64, f64)> =
			report.slowest.iter().map(|call| (call.asked_at_ms, call.millis)).collect();
		assert_eq!(slowest, vec![(1_000, 200.0), (1_001, 199.0)]);
	}
}
