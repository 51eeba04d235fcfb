"""The intake's quality against a hand annotation (issue 5, "Quality, measured").

- A row covers an item when the row's source contains the item's anchor; rows and items are
  matched one to one (a maximum matching, `must` items first), so a row counts for one item at most.
- Recall: of the `must` items, how many are covered. Target ≥ 90%.
- Precision: of all rows, how many cover a `must` or `may` item. Target ≥ 85% (75% before issue 14).
- Units: of the items with `expected_units`, how many are covered by a row whose units satisfy all
  of them: `name_contains` needs a unit whose full name contains it, `group` every unit of that kind.
  Target ≥ 80%.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

TARGET_RECALL = 0.90
TARGET_PRECISION = 0.85
# Work plans and minutes (samples/intake-genres/), each on its own.
TARGET_GENRE_PRECISION = 0.80
TARGET_UNITS = 0.80


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split())


@dataclass
class Scored:
    recall: float
    precision: float
    units: float
    must: int
    rows: int
    covered: set[str] = field(default_factory=set)
    missed: list[dict] = field(default_factory=list)
    unmatched_rows: list[str] = field(default_factory=list)
    unit_failures: list[str] = field(default_factory=list)

    @property
    def meets_targets(self) -> bool:
        return self.recall >= TARGET_RECALL and self.precision >= TARGET_PRECISION and self.units >= TARGET_UNITS


def load_gold(path: str | Path) -> list[dict]:
    return json.loads(Path(path).read_text(encoding="utf-8"))["items"]


def _match(rows_sources: list[str], items: list[dict]) -> dict[int, int]:
    """item index → row index, a maximum one-to-one matching, `must` items placed first."""
    covers = [[r for r, source in enumerate(rows_sources) if _norm(item["anchor"]) in source] for item in items]
    row_to_item: dict[int, int] = {}

    def augment(item: int, seen: set[int]) -> bool:
        for row in covers[item]:
            if row in seen:
                continue
            seen.add(row)
            if row not in row_to_item or augment(row_to_item[row], seen):
                row_to_item[row] = item
                return True
        return False

    order = sorted(range(len(items)), key=lambda i: items[i].get("kind") != "must")
    for item in order:
        augment(item, set())
    return {item: row for row, item in row_to_item.items()}


def _units_satisfy(units, expected: list[dict], all_units) -> bool:
    names = [unit.name for unit in units]
    ids = {unit.pk for unit in units}
    for want in expected:
        if "name_contains" in want:
            if not any(want["name_contains"] in name for name in names):
                return False
        elif "group" in want:
            kind_units = [unit for unit in all_units if unit.kind == want["group"]]
            if not kind_units or any(unit.pk not in ids for unit in kind_units):
                return False
    return True


def score(rows, items: list[dict], all_units) -> Scored:
    """`rows` have `.source`, `.text` and `.units`; `all_units` is the directory the units come from."""
    sources = [_norm(row.source) for row in rows]
    matched = _match(sources, items)
    must = [i for i, item in enumerate(items) if item.get("kind") == "must"]
    covered_must = [i for i in must if i in matched]
    with_units = [i for i, item in enumerate(items) if item.get("expected_units")]
    units_ok = []
    failures = []
    for i in with_units:
        if i in matched and _units_satisfy(rows[matched[i]].units, items[i]["expected_units"], all_units):
            units_ok.append(i)
        else:
            got = "、".join(u.name for u in rows[matched[i]].units) if i in matched else "(没有行覆盖)"
            failures.append(f"{items[i]['id']} {items[i]['anchor']}:找到 {got or '无'}")
    used_rows = set(matched.values())
    return Scored(
        recall=len(covered_must) / len(must) if must else 1.0,
        precision=len(used_rows) / len(rows) if rows else 0.0,
        units=len(units_ok) / len(with_units) if with_units else 1.0,
        must=len(must),
        rows=len(rows),
        covered={items[i]["id"] for i in matched},
        missed=[items[i] for i in must if i not in matched],
        unmatched_rows=[row.source for r, row in enumerate(rows) if r not in used_rows],
        unit_failures=failures,
    )
