"""Checks of the evaluation harness itself: metrics, sweep, generator.

    .venv/bin/python -m unittest discover -s eval/accuracy -p 'test_*.py'
"""

from __future__ import annotations

import csv
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate_corpus as gc  # noqa: E402
import run  # noqa: E402


class Metrics(unittest.TestCase):
    def test_dedup_metrics_counts_pairs(self):
        truth = {"a": "1", "b": "1", "c": "1", "d": "2", "e": "3"}
        # {a,b} correct pair, {c,d} wrong pair, e alone; missing ids are singletons
        clusters = {"a": "x", "b": "x", "c": "y", "d": "y"}
        m = run.dedup_metrics(clusters, truth)
        self.assertEqual((m["tp"], m["predicted_pairs"], m["true_pairs"]), (1, 2, 3))
        self.assertAlmostEqual(m["precision"], 0.5)
        self.assertAlmostEqual(m["recall"], 1 / 3)

    def test_sweep_matches_direct_clustering(self):
        truth = {"a": "1", "b": "1", "c": "1", "d": "2", "e": "2"}
        edges = [(0.99, "a", "b"), (0.95, "b", "c"), (0.5, "c", "d"), (0.97, "d", "e")]
        curve = dict(run.dedup_sweep(edges, truth))
        # at 0.9: clusters {a,b,c}, {d,e}: perfect
        self.assertEqual(curve[0.95]["f1"], 1.0)
        # at 0.5 everything merges: 10 predicted pairs, 4 true
        self.assertEqual(curve[0.5]["predicted_pairs"], 10)
        self.assertEqual(curve[0.5]["tp"], 4)
        direct = run.dedup_metrics({k: "all" for k in truth}, truth)
        self.assertEqual(direct["predicted_pairs"], 10)

    def test_link_sweep(self):
        tl = {"l1": "1", "l2": "2", "l3": "9"}
        tr = {"r1": "1", "r2": "2", "r3": "2"}
        self.assertEqual(run.link_truth_count(tl, tr), 3)
        curve = run.link_sweep([(0.9, "l1", "r1"), (0.8, "l2", "r2"), (0.7, "l3", "r3")], tl, tr)
        best, at = run.best_and_at(curve, 0.85)
        self.assertEqual(at["tp"], 1)
        self.assertEqual(best["tp"], 2)
        self.assertAlmostEqual(best["precision"], 1.0)


class Generator(unittest.TestCase):
    def test_deterministic_and_truth_separate(self):
        with tempfile.TemporaryDirectory() as d1, tempfile.TemporaryDirectory() as d2:
            for d in (d1, d2):
                gc.main(["--seed", "7", "--records", "300", "--roll", "60", "--out-dir", d])
            for name in ("corpus.csv", "corpus_truth.csv", "roll.csv", "roll_truth.csv"):
                self.assertEqual(Path(d1, name).read_bytes(), Path(d2, name).read_bytes(), name)
            with open(Path(d1, "corpus.csv"), encoding="utf-8") as f:
                rows = list(csv.DictReader(f))
            self.assertEqual(len(rows), 300)
            self.assertEqual(list(rows[0].keys()), gc.COLUMNS)
            self.assertNotIn("entity_id", rows[0])

    def test_zawgyi_reorders_vowel_e_and_medials(self):
        # Kyaw: ka + medial ya + vowel e + aa + asat
        uni = "\u1000\u103b\u1031\u102c\u103a"
        self.assertEqual(gc.to_zawgyi(uni), "\u1031\u1000\u103a\u102c\u1039")
        # Phyo: pha + medial ra + i + u + visarga -> medial ra stored first
        self.assertTrue(gc.to_zawgyi("\u1016\u103c\u102d\u102f\u1038").startswith("\u103b\u1016"))

    def test_passport_misread_is_one_character(self):
        import random

        rng = random.Random(1)
        e = gc.make_entities(rng, 1, 0, 0.0, 0.0)[0]
        e.passport = "B1234505"
        seen = set()
        for _ in range(400):
            p = gc.render_passport(rng, e, gc.SOURCES["embassy"])
            p = p.replace(" ", "")
            if p and p != e.passport:
                diff = sum(1 for x, y in zip(p, e.passport) if x != y)
                self.assertEqual(diff, 1)
                seen.add(p)
        self.assertTrue(seen)


if __name__ == "__main__":
    unittest.main()
