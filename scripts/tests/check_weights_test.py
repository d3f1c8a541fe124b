"""scripts/check-weights against a weight function and timings made for it: it passes what
the weight covers and fails a point whose median run took more than 5 % longer than charged, or
whose counted reads or writes exceed those charged; `--cover-counts` rewrites counts the fit
charged short so that every point is charged its count."""
import json
import pathlib
import subprocess
import tempfile
import unittest

SCRIPT = pathlib.Path(__file__).resolve().parents[1] / "check-weights"
# 150 us floored base (the fit said 100), 10 us, 2 reads and one write an item; the second
# impl, for tests, charges the same accesses at RocksDB's weights.
FUNCTION = """\tfn pay(s: u32, ) -> Weight {{
\t\tWeight::from_parts(100_000_000, 42)
\t\t\t.max(Weight::from_parts(150_000_000, 0))
\t\t\t.saturating_add(Weight::from_parts(10_000_000, 0).saturating_mul(s.into()))
\t\t\t.saturating_add({db}::get().reads(2_u64))
\t\t\t.saturating_add({db}::get().writes((1_u64).saturating_mul(s.into())))
\t\t\t.saturating_add(Weight::from_parts(0, 2654).saturating_mul(s.into()))
\t}}
"""
WEIGHTS = (
    "// Generated.\nimpl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {\n"
    + FUNCTION.format(db="T::DbWeight")
    + "}\n\nimpl WeightInfo for () {\n"
    + FUNCTION.format(db="RocksDbWeight")
    + "}\n"
)


def result(s, took_us, writes):
    return {"components": [["s", s]], "extrinsic_time": took_us * 1000, "reads": 2,
            "writes": writes}


def check(points, *flags, weights_rs=WEIGHTS):
    """The check's exit status for `points`, and the weights file it leaves."""
    batch = {"pallet": "pallet_royalties", "instance": "", "benchmark": "pay",
             "time_results": points, "db_results": points}
    with tempfile.TemporaryDirectory() as dir:
        weights, timings = pathlib.Path(dir, "weights.rs"), pathlib.Path(dir, "timings.json")
        weights.write_text(weights_rs)
        timings.write_text(json.dumps([batch]))
        status = subprocess.run([SCRIPT, *flags, weights, timings], capture_output=True)
        return status.returncode, weights.read_text()


def run(took_us, writes):
    """The check's exit status for timings of 1 and 10 items, the second taking `took_us` and
    writing `writes` keys."""
    return check([result(1, 160, 1)] * 5 + [result(10, took_us, writes)] * 5)[0]


class CheckWeights(unittest.TestCase):
    def test_passes_timings_the_weight_covers(self):
        # 10 items are charged 250 us and 10 writes.
        self.assertEqual(run(took_us=260, writes=10), 0)

    def test_fails_a_point_that_took_longer_than_charged(self):
        self.assertEqual(run(took_us=265, writes=10), 1)

    def test_fails_a_write_counted_and_not_charged(self):
        self.assertEqual(run(took_us=250, writes=11), 1)


    def test_refuses_runs_of_a_benchmark_whose_components_changed(self):
        before = {"pallet": "pallet_royalties", "instance": "", "benchmark": "pay",
                  "time_results": [result(1, 160, 1)], "db_results": [result(1, 160, 1)]}
        changed = dict(before, time_results=[{**result(1, 160, 1), "components": [["e", 1]]}])
        with tempfile.TemporaryDirectory() as dir:
            weights, timings = pathlib.Path(dir, "weights.rs"), pathlib.Path(dir, "timings.json")
            weights.write_text(WEIGHTS)
            timings.write_text(json.dumps([before, changed]))
            status = subprocess.run([SCRIPT, weights, timings], capture_output=True, text=True)
        self.assertEqual(status.returncode, 1)
        self.assertIn("runs with components", status.stderr)


class CoverCounts(unittest.TestCase):
    # Four writes every three items: least squares says 1.33 an item, rounded to the one charged.
    POINTS = [result(s, 150 + 10 * s, s + s // 3) for s in (0, 3, 6, 9, 12)]

    def test_the_fit_as_written_charges_a_fractional_count_short(self):
        self.assertEqual(check(self.POINTS)[0], 1)

    def test_covers_every_point_with_the_fewest_writes_charged(self):
        status, weights = check(self.POINTS, "--cover-counts")
        self.assertEqual(status, 0)
        # One write an item and four more charge 10 writes in all over the points; two an item
        # would charge 20.
        for db in ("T::DbWeight", "RocksDbWeight"):
            self.assertIn(
                f"\t\t\t.saturating_add({db}::get().reads(2_u64))\n"
                f"\t\t\t.saturating_add({db}::get().writes(4_u64))\n"
                f"\t\t\t.saturating_add({db}::get().writes((1_u64).saturating_mul(s.into())))\n"
                "\t\t\t.saturating_add(Weight::from_parts(0, 2654)",
                weights,
            )

    def test_names_a_component_it_starts_charging(self):
        # The template writes `_s` for a component no term of the function uses.
        unused = "".join(
            line
            for line in WEIGHTS.replace("pay(s: u32", "pay(_s: u32").splitlines(keepends=True)
            if "s.into()" not in line
        )
        points = [result(s, 150, s) for s in (0, 5, 10)]
        status, weights = check(points, "--cover-counts", weights_rs=unused)
        self.assertEqual(status, 0)
        self.assertEqual(weights.count("fn pay(s: u32, ) -> Weight {"), 2)
        self.assertNotIn("_s: u32", weights)

    def test_covers_the_corner_the_benchmark_never_measures(self):
        # Two components, each varied with the other at its highest (as the CLI does): a count
        # of 10 - c - d is 0 at the highest point and 10 at (0, 0), which is never measured.
        two = WEIGHTS.replace("pay(s: u32, )", "pay(c: u32, d: u32, )")
        two = two.replace("s.into()", "c.into()")
        points = [
            {"components": [["c", c], ["d", d]], "extrinsic_time": 150_000, "reads": 2,
             "writes": 10 - c - d}
            for c, d in [(c, 5) for c in range(6)] + [(5, d) for d in range(5)]
        ]
        status, weights = check(points, "--cover-counts", weights_rs=two)
        self.assertEqual(status, 0)
        self.assertIn("T::DbWeight::get().writes(10_u64))\n", weights)

    def test_leaves_a_function_that_charges_its_counts(self):
        points = [result(1, 160, 1)] * 5 + [result(10, 250, 10)] * 5
        self.assertEqual(check(points, "--cover-counts"), (0, WEIGHTS))


if __name__ == "__main__":
    unittest.main()
