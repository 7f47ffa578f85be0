"""Built-in checks, one module per family. Importing this package registers them all."""

from powerlist.checks import (
    abolished,  # noqa: F401
    basis,  # noqa: F401
    category,  # noqa: F401
    codes,  # noqa: F401
    duplicates,  # noqa: F401
    jurisdiction,  # noqa: F401
    process,  # noqa: F401
    registries,  # noqa: F401
    schema,  # noqa: F401
)
