//! A progress line on stderr for long inputs: bytes done, share, throughput.

use std::{
	io::{IsTerminal, Write},
	sync::atomic::{AtomicBool, AtomicU64, Ordering},
	time::{Duration, Instant},
};

/// Counts bytes processed; [`Progress::show_while`] draws them while work runs.
pub struct Progress {
	done: AtomicU64,
	total: AtomicU64,
	visible: bool,
}

/// How long work runs before a progress line appears: short inputs print nothing.
const QUIET_FOR: Duration = Duration::from_millis(800);
const REDRAW_EVERY: Duration = Duration::from_millis(250);

impl Progress {
	/// Progress shown only when `wanted` and stderr is a terminal (never in pipes and logs).
	pub fn new(wanted: bool) -> Self {
		Self {
			done: AtomicU64::new(0),
			total: AtomicU64::new(0),
			visible: wanted && std::io::stderr().is_terminal(),
		}
	}

	pub fn set_total(&self, bytes: u64) {
		self.total.store(bytes, Ordering::Relaxed);
	}

	pub fn advance(&self, bytes: u64) {
		self.done.fetch_add(bytes, Ordering::Relaxed);
	}

	/// Runs `work`, redrawing the progress line on stderr while it runs.
	pub fn show_while<T: Send>(&self, work: impl FnOnce() -> T + Send) -> T {
		if !self.visible {
			return work();
		}
		let finished = AtomicBool::new(false);
		std::thread::scope(|scope| {
			scope.spawn(|| self.draw_until(&finished));
			let result = work();
			finished.store(true, Ordering::Relaxed);
			result
		})
	}

	fn draw_until(&self, finished: &AtomicBool) {
		let started = Instant::now();
		let mut drawn = false;
		while !finished.load(Ordering::Relaxed) {
			std::thread::sleep(REDRAW_EVERY);
			if started.elapsed() < QUIET_FOR {
				continue;
			}
			let (done, total) =
				(self.done.load(Ordering::Relaxed), self.total.load(Ordering::Relaxed));
			let rate = done as f64 / started.elapsed().as_secs_f64() / MIB;
			let share = if total > 0 { done as f64 * 100.0 / total as f64 } else { 0.0 };
			eprint!(
				"\r  {:.0} / {:.0} MiB ({share:.1}%), {rate:.0} MiB/s   ",
				done as f64 / MIB,
				total as f64 / MIB
			);
			let _ = std::io::stderr().flush();
			drawn = true;
		}
		if drawn {
			eprintln!();
		}
	}
}

const MIB: f64 = (1 << 20) as f64;
