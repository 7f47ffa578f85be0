"""Built-in checks, one module per family. Importing this package registers them all."""

from powerlist.checks import (
    category,  # noqa: F401
    process,  # noqa: F401
    schema,  # noqa: F401
)
