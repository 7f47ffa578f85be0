"""What a comparison holds, for the writers: the lists, their distance from the majority, and the
items side by side (read from DuckDB in batches, never all at once)."""

from __future__ import annotations

from dataclasses import dataclass, field

from powerlist.i18n import T, Text

# The attributes compared, in column order: (key, 中文, English).
ATTRS: tuple[tuple[str, str, str], ...] = (
    ("name", "事项名称", "name"),
    ("category", "职权类别", "category"),
    ("basis", "设定依据", "basis"),
    ("time_limit", "时限（法定/承诺）", "time limit (statutory/promised)"),
    ("body_type", "实施主体类型", "body type"),
)
ATTR_KEYS: tuple[str, ...] = tuple(a for a, _, _ in ATTRS)


class CompareError(Exception):
    """The comparison cannot run (an input missing or unreadable, an unknown output suffix)."""

    def __init__(self, message: Text, hint: Text | None = None) -> None:
        super().__init__(message.en)
        self.message = message
        self.hint = hint


def error(zh: str, en: str, hint: Text | None = None) -> CompareError:
    return CompareError(T(zh, en), hint)


@dataclass
class ListStat:
    """One catalogue's place among its siblings."""

    index: int
    label: str
    source: str
    items: int = 0  # distinct items it carries
    missing: int = 0  # majority items (carried by more than half the lists) it lacks
    minority: int = 0  # items it carries that at most half the lists carry
    differs: dict[str, int] = field(default_factory=dict)  # attribute -> items where it departs from the majority
    differing_items: int = 0  # items with at least one departing attribute

    @property
    def distance(self) -> float:
        """Departures per item: (differing + missing + minority) / (majority items + its minority items)."""
        base = self.items + self.missing
        return (self.differing_items + self.missing + self.minority) / base if base else 0.0


@dataclass
class Summary:
    lists: int
    items: int  # distinct items over all lists
    in_all: int  # carried by every list
    majority: int  # carried by more than half
    with_differences: int  # items where some list departs from the majority on some attribute


@dataclass
class Side:
    """One list's values for one item (None: the list does not carry it)."""

    values: dict[str, str]
    differs: tuple[str, ...]  # attributes departing from the majority


@dataclass
class Item:
    key: str
    code: str | None
    lists: int  # how many lists carry it
    majority: dict[str, str]  # attribute -> the majority's value (as displayed)
    sides: dict[int, Side]  # list index -> its values; absent lists are not keys

    @property
    def differing(self) -> tuple[str, ...]:
        """Attributes on which some list departs from the majority."""
        seen = {a for s in self.sides.values() for a in s.differs}
        return tuple(a for a in ATTR_KEYS if a in seen)
