"""powerlist: check, diff and publish administrative-power catalogues (权力清单)."""

__version__ = "0.1.0"
