"""The canonical key order of catalogue files, taken from the models: what :mod:`powerlist.fmt`
writes and :mod:`powerlist.fmtfast` proves."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from powerlist.models import REGISTRY_MODELS, Model, Power, model_in

# Lists of ids read best on one line; everything else known is written in block style.
FLOW_LISTS = frozenset({"next", "articles", "co_bodies", "delegated_to", "levels"})

# ------------------------------------------------------------------------------------- shapes


@dataclass(frozen=True)
class Shape:
    """The canonical key order of one mapping and the shapes of its values (for a list value: of
    its mapping items)."""

    order: tuple[str, ...]
    fields: dict[str, Shape | None]

    def child(self, key: str) -> Shape | None:
        return self.fields.get(key)


@cache
def shape_of(model: type[Model]) -> Shape:
    """Key order straight from the model: its fields are declared in the documented order."""
    fields: dict[str, Shape | None] = {}
    for name, info in model.model_fields.items():
        sub = model_in(info.annotation)
        fields[name] = shape_of(sub) if sub is not None else None
    return Shape(tuple(model.model_fields), fields)


def root_shape(kind: str) -> Shape:
    """The shape of a whole file of this kind (a registry file is a list of its items)."""
    return shape_of(Power) if kind == "power" else shape_of(REGISTRY_MODELS[kind])
