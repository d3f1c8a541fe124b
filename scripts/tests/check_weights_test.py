"""scripts/check-weights against a weight function and timings made for it: it passes what
the weight covers and fails a point whose median run took more than 5 % longer than charged, or
whose counted reads or writes exceed those charged."""
import json
import pathlib
import subprocess
import tempfile
import unittest

SCRIPT = pathlib.Path(__file__).resolve().parents[1] / "check-weights"
# 150 us floored base (the fit said 100), 10 us, 2 reads and one write an item.
WEIGHTS = """// Generated.
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
\tfn pay(s: u32, ) -> Weight {
\t\tWeight::from_parts(100_000_000, 42)
\t\t\t.max(Weight::from_parts(150_000_000, 0))
\t\t\t.saturating_add(Weight::from_parts(10_000_000, 0).saturating_mul(s.into()))
\t\t\t.saturating_add(T::DbWeight::get().reads(2_u64))
\t\t\t.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(s.into())))
\t}
}
"""


def run(took_us, writes):
    """The check's exit status for timings of 1 and 10 items, the second taking `took_us` and
    writing `writes` keys."""
    def result(s, extrinsic_us, writes):
        return {"components": [["s", s]], "extrinsic_time": extrinsic_us * 1000, "reads": 2,
                "writes": writes}
    points = [result(1, 160, 1)] * 5 + [result(10, took_us, writes)] * 5
    batch = {"pallet": "pallet_royalties", "instance": "", "benchmark": "pay",
             "time_results": points, "db_results": points}
    with tempfile.TemporaryDirectory() as dir:
        weights, timings = pathlib.Path(dir, "weights.rs"), pathlib.Path(dir, "timings.json")
        weights.write_text(WEIGHTS)
        timings.write_text(json.dumps([batch]))
        return subprocess.run([SCRIPT, weights, timings], capture_output=True).returncode


class CheckWeights(unittest.TestCase):
    def test_passes_timings_the_weight_covers(self):
        # 10 items are charged 250 us and 10 writes.
        self.assertEqual(run(took_us=260, writes=10), 0)

    def test_fails_a_point_that_took_longer_than_charged(self):
        self.assertEqual(run(took_us=265, writes=10), 1)

    def test_fails_a_write_counted_and_not_charged(self):
        self.assertEqual(run(took_us=250, writes=11), 1)


if __name__ == "__main__":
    unittest.main()
