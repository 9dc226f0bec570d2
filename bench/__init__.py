"""Benchmarks at scale (issue 7): `make bench` or `python -m bench --help`.

Seeds a synthetic load into a database of its own, measures every figure against its floor (the
bare SQL that gives the same answer, a do-nothing view on the same server), prints a table and
writes it into docs/BENCHMARKS.md. Not a test suite: nothing here asserts a time.
"""
