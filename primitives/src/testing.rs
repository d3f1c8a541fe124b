//! Helpers for the randomized tests of the pallets and the runtime (feature `std`).

/// A xorshift generator: the same (non-zero) seed, the same sequence, on every machine.
pub struct XorShift(pub u64);

impl XorShift {
	/// A number in `[0, n)`; 0 when `n` is 0.
	pub fn below(&mut self, n: u64) -> u64 {
		self.0 ^= self.0 << 13;
		self.0 ^= self.0 >> 7;
		self.0 ^= self.0 << 17;
		self.0 % n.max(1)
	}

	/// True one time in `one_in`.
	pub fn chance(&mut self, one_in: u64) -> bool {
		self.below(one_in) == 0
	}

	/// One of `items`, which must not be empty.
	pub fn pick<T: Clone>(&mut self, items: &[T]) -> T {
		items[self.below(items.len() as u64) as usize].clone()
	}
}
