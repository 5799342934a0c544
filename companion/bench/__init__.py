"""Benchmarks behind `yiwaiwai bench` (the store comparison now; end to end later)."""
