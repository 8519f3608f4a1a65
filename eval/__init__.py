"""Evaluation: gold data, deterministic metrics, reports, baselines and benchmarks."""
