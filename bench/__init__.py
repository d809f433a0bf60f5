"""Benchmarks, run apart from the test suite (`make bench`)."""
