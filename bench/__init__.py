"""Benchmark for ``powerlist check`` (issue 5): synthetic catalogues, timing side by side with the
tools a user would otherwise run, and a profile summary. ``make bench`` runs ``python -m bench.run``.

Modules: ``vocab`` (words the generator builds Chinese text from), ``generate`` (the catalogue
generator), ``measure`` (wall time and peak memory of a subprocess), ``floors`` (read-all and
libyaml baselines), ``profiling`` (cProfile summary), ``report`` (tables and docs/performance.md),
``run`` (the command).
"""
