"""Benchmarks and evaluation suites, scored on the labeled dev sets in evals/datasets/."""
