"""Built-in checks, one module per family. Importing this package registers them all."""

from powerlist.checks import schema  # noqa: F401
