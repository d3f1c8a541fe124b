//! Attesting: verdicts committed and revealed with their salts kept on disk, and the `serve`
//! loop that makes an attester a node: it follows new runs, asks the operator's verifier for a
//! verdict on each, commits in the commit phase and reveals in the reveal phase. A vote is
//! written to disk before its commitment is sent, so a restart neither loses a reveal nor
//! commits twice.

use crate::{
	calls::call,
	chain::Chain,
	fields,
	keys::Signer,
	parse_hash, to_hex,
	types::{self, AccountId, BlockNumber, Statement, Verdict},
	Failure,
};
use jsonrpsee::rpc_params;
use provenance_primitives::{merkle::Hash, RunId};
use serde_json::{json, Value};
use sha2::Digest;
use std::{
	io::Write,
	path::{Path, PathBuf},
	process::Stdio,
	time::Duration,
};
use tokio::io::AsyncWriteExt;

/// A verdict this attester committed to (or is about to), with its salt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vote {
	pub run: RunId,
	pub statement: Statement,
	pub salt: Hash,
	/// The commitment is on chain.
	pub committed: bool,
	/// The verdict is revealed on chain.
	pub revealed: bool,
}

impl Vote {
	fn to_json(&self) -> Value {
		json!({
			"run": self.run,
			"verdict": verdict_name(self.statement.verdict),
			"outputHash": to_hex(&self.statement.output_hash),
			"reportHash": to_hex(&self.statement.report_hash),
			"salt": to_hex(&self.salt),
			"committed": self.committed,
			"revealed": self.revealed,
		})
	}

	fn from_json(value: &Value) -> Option<Self> {
		let hash = |key: &str| value[key].as_str().and_then(|text| parse_hash(text).ok());
		Some(Vote {
			run: value["run"].as_u64()?,
			statement: Statement {
				verdict: parse_verdict(value["verdict"].as_str()?).ok()?,
				output_hash: hash("outputHash")?,
				report_hash: hash("reportHash")?,
			},
			salt: hash("salt")?,
			committed: value["committed"].as_bool()?,
			revealed: value["revealed"].as_bool()?,
		})
	}

	/// What goes on chain in the commit phase.
	pub fn commitment(&self, attester: &AccountId) -> Hash {
		types::commitment(self.run, attester, &self.statement, &self.salt)
	}
}

pub fn verdict_name(verdict: Verdict) -> &'static str {
	match verdict {
		Verdict::Valid => "valid",
		Verdict::Invalid => "invalid",
	}
}

pub fn parse_verdict(text: &str) -> Result<Verdict, String> {
	match text.to_ascii_lowercase().as_str() {
		"valid" => Ok(Verdict::Valid),
		"invalid" => Ok(Verdict::Invalid),
		_ => Err(format!("{text}: a verdict is valid or invalid")),
	}
}

/// Votes on disk, one JSON file per run (`run-<id>.json`), and where `serve` left off.
pub struct Store {
	dir: PathBuf,
}

impl Store {
	pub fn open(dir: &Path) -> Result<Self, Failure> {
		std::fs::create_dir_all(dir)
			.map_err(|e| Failure::Input(format!("{}: {e}", dir.display())))?;
		Ok(Store { dir: dir.to_path_buf() })
	}

	/// The default place of an attester's votes: `$XDG_DATA_HOME/prov/<account>` or
	/// `~/.local/share/prov/<account>` (the account in SS58).
	pub fn default_dir(attester: &str) -> PathBuf {
		let base = std::env::var_os("XDG_DATA_HOME").map(PathBuf::from).unwrap_or_else(|| {
			PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".local/share")
		});
		base.join("prov").join(attester)
	}

	fn vote_path(&self, run: RunId) -> PathBuf {
		self.dir.join(format!("run-{run}.json"))
	}

	pub fn load(&self, run: RunId) -> Result<Option<Vote>, Failure> {
		let Some(value) = self.read_json(&self.vote_path(run))? else { return Ok(None) };
		Vote::from_json(&value)
			.map(Some)
			.ok_or_else(|| Failure::Input(format!("{}: not a vote", self.vote_path(run).display())))
	}

	/// Writes `vote` durably: to a temporary file, synced, then renamed over the old one.
	pub fn save(&self, vote: &Vote) -> Result<(), Failure> {
		self.write_json(&self.vote_path(vote.run), &vote.to_json())
	}

	/// The first run `serve` has not finished with.
	pub fn cursor(&self) -> Result<RunId, Failure> {
		Ok(self
			.read_json(&self.dir.join("cursor.json"))?
			.and_then(|v| v["next"].as_u64())
			.unwrap_or(0))
	}

	pub fn save_cursor(&self, next: RunId) -> Result<(), Failure> {
		self.write_json(&self.dir.join("cursor.json"), &json!({ "next": next }))
	}

	fn read_json(&self, path: &Path) -> Result<Option<Value>, Failure> {
		match std::fs::read(path) {
			Ok(bytes) => serde_json::from_slice(&bytes)
				.map(Some)
				.map_err(|e| Failure::Input(format!("{}: {e}", path.display()))),
			Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
			Err(e) => Err(Failure::Input(format!("{}: {e}", path.display()))),
		}
	}

	fn write_json(&self, path: &Path, value: &Value) -> Result<(), Failure> {
		let error = |e: std::io::Error| Failure::Input(format!("{}: {e}", path.display()));
		let partial = path.with_extension("json.partial");
		let mut file = std::fs::File::create(&partial).map_err(error)?;
		file.write_all(value.to_string().as_bytes()).map_err(error)?;
		file.sync_all().map_err(error)?;
		std::fs::rename(&partial, path).map_err(error)?;
		std::fs::File::open(&self.dir).and_then(|dir| dir.sync_all()).map_err(error)
	}
}

/// A fresh secret salt.
fn new_salt() -> Result<Hash, Failure> {
	let mut salt = [0u8; 32];
	getrandom::getrandom(&mut salt)
		.map_err(|e| Failure::Input(format!("no randomness for a salt: {e}")))?;
	Ok(salt)
}

/// Commits `statement` on `run`: the vote and its new salt go to disk first. Committing to a run
/// that already has a vote on disk resumes that vote (same statement and salt) instead.
pub async fn commit(
	chain: &Chain,
	signer: &Signer,
	store: &Store,
	run: RunId,
	statement: Statement,
) -> Result<Vote, Failure> {
	let mut vote = match store.load(run)? {
		Some(vote) if vote.committed => {
			return Err(Failure::Usage(format!("already committed to run {run}: reveal it")))
		},
		Some(vote) if vote.statement != statement => {
			return Err(Failure::Usage(format!(
				"a vote with another statement on run {run} is on disk and may be on chain; reveal \
				 that one"
			)))
		},
		Some(vote) => vote,
		None => {
			let vote =
				Vote { run, statement, salt: new_salt()?, committed: false, revealed: false };
			store.save(&vote)?;
			vote
		},
	};
	if !has_committed(chain, run, &signer.ss58()).await? {
		let commitment = vote.commitment(&signer.account());
		chain
			.submit(
				&call("Attestations", "commit_verdict", fields![run, commitment]),
				signer,
				false,
			)
			.await?;
	}
	vote.committed = true;
	store.save(&vote)?;
	Ok(vote)
}

/// Reveals the vote on `run` kept on disk.
pub async fn reveal(
	chain: &Chain,
	signer: &Signer,
	store: &Store,
	run: RunId,
) -> Result<Vote, Failure> {
	let mut vote = store.load(run)?.ok_or_else(|| {
		Failure::Input(format!("no vote on run {run} in {}", store.dir.display()))
	})?;
	if vote.revealed {
		return Ok(vote);
	}
	let (statement, salt) = (vote.statement, vote.salt);
	let reveal = call("Attestations", "reveal_verdict", fields![run, statement, salt]);
	match chain.submit(&reveal, signer, false).await {
		Ok(_) => {},
		Err(Failure::Rejected(reason)) if reason.contains("AlreadyRevealed") => {},
		Err(failure) => return Err(failure),
	}
	vote.revealed = true;
	store.save(&vote)?;
	Ok(vote)
}

/// Whether `attester` has a commitment on `run` on chain.
async fn has_committed(chain: &Chain, run: RunId, attester: &str) -> Result<bool, Failure> {
	let verdicts: Value = chain.request("provenance_verdicts", rpc_params![run]).await?;
	Ok(verdicts.as_array().into_iter().flatten().any(|pair| pair[0].as_str() == Some(attester)))
}

/// A run as `serve` needs to see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunView {
	pub claimant: String,
	pub commit_end: BlockNumber,
	pub deadline: BlockNumber,
	/// Final or expired: no verdict can be committed or revealed any more.
	pub settled: bool,
}

impl RunView {
	fn from_json(run: &Value) -> Option<Self> {
		let status = &run["status"];
		Some(RunView {
			claimant: run["claimant"].as_str()?.to_owned(),
			commit_end: run["commitEnd"].as_u64()?.try_into().ok()?,
			deadline: run["deadline"].as_u64()?.try_into().ok()?,
			settled: status == "Expired" || status.get("final").is_some(),
		})
	}
}

/// What `serve` does next about a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
	/// Ask the verifier, then commit.
	Verify,
	/// The vote on disk is not known to be on chain yet: commit it.
	Commit,
	/// Reveal the vote on disk.
	Reveal,
	/// Not yet: the reveal phase has not started.
	Wait,
	/// Nothing more to do: revealed, or too late, or the attester's own run.
	Done,
}

/// The next step on `run` at best block `best`, for the attester `me` with `vote` on disk.
/// A transaction sent now lands in block `best + 1` at the earliest: commits are taken up to
/// `commit_end`, reveals after it up to `deadline`.
pub fn next_step(run: &RunView, best: BlockNumber, me: &str, vote: Option<&Vote>) -> Step {
	let next_block = best.saturating_add(1);
	let can_commit = next_block <= run.commit_end;
	if run.settled || next_block > run.deadline {
		return Step::Done;
	}
	match vote {
		None if run.claimant == me || !can_commit => Step::Done,
		None => Step::Verify,
		Some(vote) if !vote.committed => {
			if can_commit {
				Step::Commit
			} else {
				Step::Done
			}
		},
		Some(vote) if vote.revealed => Step::Done,
		Some(_) if can_commit => Step::Wait,
		Some(_) => Step::Reveal,
	}
}

/// How `serve` runs the operator's verifier.
pub struct Verifier {
	/// A shell command: gets the run as JSON on stdin, prints `{"verdict": "valid"|"invalid",
	/// "outputHash"?, "report"? | "reportHash"?}` on stdout.
	pub command: String,
	pub timeout: Duration,
}

impl Verifier {
	/// The verifier's statement on `run` (the `provenance_run` answer, with `"run": id`).
	async fn judge(&self, run: &Value, declared_output: Hash) -> Result<Statement, Failure> {
		let failed = |why: String| Failure::Input(format!("verifier `{}`: {why}", self.command));
		let mut child = tokio::process::Command::new("sh")
			.arg("-c")
			.arg(&self.command)
			.stdin(Stdio::piped())
			.stdout(Stdio::piped())
			.kill_on_drop(true)
			.spawn()
			.map_err(|e| failed(e.to_string()))?;
		let mut stdin = child.stdin.take().ok_or_else(|| failed("no stdin".into()))?;
		// A verifier that does not read the run may exit first: that is its right.
		match stdin.write_all(run.to_string().as_bytes()).await {
			Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
				return Err(failed(e.to_string()))
			},
			_ => drop(stdin),
		}
		let output = tokio::time::timeout(self.timeout, child.wait_with_output())
			.await
			.map_err(|_| failed(format!("no answer in {:?}", self.timeout)))?
			.map_err(|e| failed(e.to_string()))?;
		if !output.status.success() {
			return Err(failed(format!("exited with {}", output.status)));
		}
		let answer: Value = serde_json::from_slice(&output.stdout)
			.map_err(|e| failed(format!("stdout is not JSON: {e}")))?;
		let verdict =
			parse_verdict(answer["verdict"].as_str().unwrap_or_default()).map_err(failed)?;
		let hash_or = |key: &str, default: Hash| match answer[key].as_str() {
			Some(text) => parse_hash(text).map_err(failed),
			None => Ok(default),
		};
		let report_digest = answer["report"]
			.as_str()
			.map(|report| sha2::Sha256::digest(report.as_bytes()).into())
			.unwrap_or_default();
		Ok(Statement {
			verdict,
			output_hash: hash_or("outputHash", declared_output)?,
			report_hash: hash_or("reportHash", report_digest)?,
		})
	}
}

/// Follows runs from the first one not yet finished with, forever: verifies and commits new
/// runs in their commit phase, reveals in their reveal phase. Each action is reported as JSON
/// through `report`; a failed action is reported and retried on the next round.
pub async fn serve(
	chain: &Chain,
	signer: &Signer,
	store: &Store,
	verifier: &Verifier,
	poll: Duration,
	report: impl Fn(Value),
) -> Result<(), Failure> {
	let me = signer.ss58();
	loop {
		if let Err(failure) = serve_round(chain, signer, store, verifier, &me, &report).await {
			if matches!(failure, Failure::Usage(_)) {
				return Err(failure);
			}
			report(
				json!({ "event": "error", "kind": failure.kind(), "message": failure.message() }),
			);
		}
		tokio::time::sleep(poll).await;
	}
}

/// One look at every run not finished with.
async fn serve_round(
	chain: &Chain,
	signer: &Signer,
	store: &Store,
	verifier: &Verifier,
	me: &str,
	report: &impl Fn(Value),
) -> Result<(), Failure> {
	let (_, best) = chain.best().await?;
	let mut cursor = store.cursor()?;
	let mut all_done_so_far = true;
	for id in cursor.. {
		let mut run: Value = chain.request("provenance_run", rpc_params![id]).await?;
		if run.is_null() {
			break;
		}
		let view = RunView::from_json(&run)
			.ok_or_else(|| Failure::Node(format!("run {id}: unexpected answer {run}")))?;
		let vote = store.load(id)?;
		let step = next_step(&view, best, me, vote.as_ref());
		let outcome = match step {
			Step::Verify => {
				let declared =
					run["outputHash"].as_str().and_then(|h| parse_hash(h).ok()).unwrap_or_default();
				run["run"] = json!(id);
				match verifier.judge(&run, declared).await {
					Ok(statement) => commit(chain, signer, store, id, statement)
						.await
						.map(|vote| Some(("committed", vote))),
					Err(failure) => Err(failure),
				}
			},
			Step::Commit => {
				let statement = vote
					.as_ref()
					.map(|v| v.statement)
					.ok_or_else(|| Failure::Input("vote vanished".into()))?;
				commit(chain, signer, store, id, statement)
					.await
					.map(|vote| Some(("committed", vote)))
			},
			Step::Reveal => {
				reveal(chain, signer, store, id).await.map(|vote| Some(("revealed", vote)))
			},
			Step::Wait | Step::Done => Ok(None),
		};
		match outcome {
			Ok(Some((event, vote))) => report(json!({
				"event": event,
				"run": id,
				"verdict": verdict_name(vote.statement.verdict),
				"block": best,
			})),
			Ok(None) => {},
			Err(failure) => report(
				json!({ "event": "error", "run": id, "kind": failure.kind(), "message": failure.message() }),
			),
		}
		// The cursor moves over runs finished with, so later rounds start after them.
		all_done_so_far &= step == Step::Done;
		if all_done_so_far {
			cursor = id + 1;
			store.save_cursor(cursor)?;
		}
	}
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;

	const ME: &str = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
	const LAB: &str = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";

	fn run() -> RunView {
		RunView { claimant: LAB.into(), commit_end: 100, deadline: 200, settled: false }
	}

	fn vote(committed: bool, revealed: bool) -> Vote {
		let statement =
			Statement { verdict: Verdict::Valid, output_hash: [1; 32], report_hash: [2; 32] };
		Vote { run: 7, statement, salt: [3; 32], committed, revealed }
	}

	#[test]
	fn a_new_run_is_verified_while_a_commit_can_still_land() {
		assert_eq!(next_step(&run(), 98, ME, None), Step::Verify);
		assert_eq!(next_step(&run(), 99, ME, None), Step::Verify, "lands in block 100, the last");
		assert_eq!(next_step(&run(), 100, ME, None), Step::Done, "too late to commit");
		assert_eq!(
			next_step(&run(), 5, LAB, None),
			Step::Done,
			"the lab does not attest its own run"
		);
	}

	#[test]
	fn a_vote_on_disk_is_committed_once_then_revealed_in_the_reveal_phase() {
		assert_eq!(next_step(&run(), 50, ME, Some(&vote(false, false))), Step::Commit);
		assert_eq!(next_step(&run(), 100, ME, Some(&vote(false, false))), Step::Done);
		assert_eq!(next_step(&run(), 50, ME, Some(&vote(true, false))), Step::Wait);
		assert_eq!(next_step(&run(), 99, ME, Some(&vote(true, false))), Step::Wait);
		assert_eq!(next_step(&run(), 100, ME, Some(&vote(true, false))), Step::Reveal);
		assert_eq!(next_step(&run(), 199, ME, Some(&vote(true, false))), Step::Reveal);
		assert_eq!(
			next_step(&run(), 200, ME, Some(&vote(true, false))),
			Step::Done,
			"past the deadline"
		);
		assert_eq!(next_step(&run(), 150, ME, Some(&vote(true, true))), Step::Done);
		let settled = RunView { settled: true, ..run() };
		assert_eq!(next_step(&settled, 150, ME, Some(&vote(true, false))), Step::Done);
	}

	#[test]
	fn votes_survive_a_restart_byte_for_byte() {
		let dir = tempfile::tempdir().unwrap();
		let store = Store::open(dir.path()).unwrap();
		assert_eq!(store.load(7).unwrap(), None);
		assert_eq!(store.cursor().unwrap(), 0);
		store.save(&vote(true, false)).unwrap();
		store.save_cursor(7).unwrap();
		let reopened = Store::open(dir.path()).unwrap();
		assert_eq!(reopened.load(7).unwrap(), Some(vote(true, false)));
		assert_eq!(reopened.cursor().unwrap(), 7);
		std::fs::write(dir.path().join("run-8.json"), "{\"run\": 8}").unwrap();
		assert!(matches!(reopened.load(8), Err(Failure::Input(_))));
	}

	#[test]
	fn salts_are_fresh() {
		assert_ne!(new_salt().unwrap(), new_salt().unwrap());
	}

	#[tokio::test]
	async fn the_verifier_gets_the_run_and_its_answer_becomes_the_statement() {
		let verifier = Verifier {
			command:
				r#"grep -q '"run":7' && echo '{"verdict": "invalid", "report": "loss diverged"}'"#
					.into(),
			timeout: Duration::from_secs(10),
		};
		let statement = verifier.judge(&json!({ "run": 7 }), [9; 32]).await.unwrap();
		assert_eq!(statement.verdict, Verdict::Invalid);
		assert_eq!(
			statement.output_hash, [9; 32],
			"the declared output unless the verifier names one"
		);
		assert_eq!(statement.report_hash, <[u8; 32]>::from(sha2::Sha256::digest(b"loss diverged")));
		let deaf = Verifier {
			command: r#"echo '{"verdict": "valid"}'"#.into(),
			timeout: Duration::from_secs(10),
		};
		let large_run = json!({ "run": 8, "padding": "x".repeat(1 << 20) });
		let statement = deaf.judge(&large_run, [9; 32]).await.unwrap();
		assert_eq!(statement.verdict, Verdict::Valid, "a verifier need not read the run");
		let failing = Verifier { command: "exit 3".into(), timeout: Duration::from_secs(10) };
		assert!(matches!(failing.judge(&json!({}), [0; 32]).await, Err(Failure::Input(_))));
		let slow = Verifier { command: "sleep 5".into(), timeout: Duration::from_millis(200) };
		assert!(matches!(slow.judge(&json!({}), [0; 32]).await, Err(Failure::Input(_))));
	}
}
