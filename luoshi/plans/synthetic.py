"""Random but reproducible projects, for the scheduler's bench and its comparison with TaskJuggler."""

from __future__ import annotations

import random

from .scheduling import FS, SS


def random_plan(
    steps: int, deps: int, *, seed: int = 1, window: int = 40, ss_share: float = 0.2, max_lag: int = 3
) -> tuple[list[str], list[int], list[tuple[int, int, str, int]]]:
    """(names, durations, dependencies): a DAG whose links go from a step to one of the `window` before it."""
    rng = random.Random(seed)
    names = [f"步骤{i + 1}" for i in range(steps)]
    durations = [rng.randint(1, 10) for _ in range(steps)]
    links: set[tuple[int, int]] = set()
    result: list[tuple[int, int, str, int]] = []
    while len(result) < deps and steps > 1:
        succ = rng.randrange(1, steps)
        pred = rng.randrange(max(0, succ - window), succ)
        if (pred, succ) in links:
            continue
        links.add((pred, succ))
        kind = SS if rng.random() < ss_share else FS
        result.append((pred, succ, kind, rng.randint(0, max_lag)))
    return names, durations, result
