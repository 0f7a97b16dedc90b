"""Benchmarks for treaty-dsl (not tests): `python -m bench --help`."""
