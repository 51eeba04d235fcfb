"""Mutation score of the core rank rules (luoshi/rankings/ranking.py) against their pure tests (target ≥ 90 %).

Each mutant flips one comparison (< ↔ <=, == ↔ !=, in ↔ not in, is ↔ is not), one arithmetic or boolean operator,
one True/False, or moves one integer constant by ±1; the tests of luoshi/rankings/tests/test_ranking.py run
in-process against it (parametrized cases expanded). A mutant survives when every test still passes.

    .venv/bin/python bench/rankings_mutation.py
"""

import ast
import copy
import inspect
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET = 0.90
SWAP = {
    ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq,
    ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is,
    ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult, ast.And: ast.Or, ast.Or: ast.And,
}  # fmt: skip


def mutants(tree):
    for index, node in enumerate(ast.walk(tree)):
        edits = []
        if isinstance(node, ast.Compare):
            edits += [("比较", j) for j, op in enumerate(node.ops) if type(op) in SWAP]
        if isinstance(node, ast.BinOp | ast.BoolOp) and type(node.op) in SWAP:
            edits.append(("运算", None))
        if isinstance(node, ast.Constant) and isinstance(node.value, bool):
            edits.append(("真假", None))
        elif isinstance(node, ast.Constant) and isinstance(node.value, int):
            edits += [("常数+1", 1), ("常数-1", -1)]
        for kind, arg in edits:
            mutant = copy.deepcopy(tree)
            target = list(ast.walk(mutant))[index]
            if kind == "比较":
                target.ops[arg] = SWAP[type(target.ops[arg])]()
            elif kind == "运算":
                target.op = SWAP[type(target.op)]()
            elif kind == "真假":
                target.value = not target.value
            else:
                target.value += arg
            yield f"第{node.lineno}行 {kind}", ast.fix_missing_locations(mutant)


def passes(tests, module, namespace, original) -> bool:
    def bind(values):
        for name, value in values.items():
            if hasattr(module, name):
                setattr(module, name, value)
            if hasattr(tests, name) and not name.startswith("test_"):
                setattr(tests, name, value)

    bind({k: v for k, v in namespace.items() if not k.startswith("__")})
    try:
        for name, func in inspect.getmembers(tests, inspect.isfunction):
            if not name.startswith("test_"):
                continue
            marks = [mark for mark in getattr(func, "pytestmark", []) if mark.name == "parametrize"]
            cases = [{}]
            if marks:
                names, values = marks[0].args
                names = [n.strip() for n in (names.split(",") if isinstance(names, str) else names)]
                cases = [dict(zip(names, v if isinstance(v, list | tuple) else (v,), strict=True)) for v in values]
            for case in cases:
                try:
                    func(**case)
                except BaseException:  # noqa: BLE001 - any failure kills the mutant
                    return False
        return True
    finally:
        bind(original)


def main() -> None:
    from luoshi.rankings import ranking
    from luoshi.rankings.tests import test_ranking as tests

    tree = ast.parse(Path(ranking.__file__).read_text(encoding="utf-8"))
    original = {k: v for k, v in vars(ranking).items() if not k.startswith("__")}
    assert passes(tests, ranking, original, original), "原始代码的测试没有全部通过。"
    killed, survivors = 0, []
    for label, mutant in mutants(tree):
        namespace = {"__name__": ranking.__name__}
        try:
            exec(compile(mutant, ranking.__file__, "exec"), namespace)
        except Exception:  # noqa: BLE001 - a mutant that does not even load is killed
            killed += 1
            continue
        if passes(tests, ranking, namespace, original):
            survivors.append(label)
        else:
            killed += 1
    total = killed + len(survivors)
    score = killed / total
    for label in survivors:
        print(f"存活:{label}")
    verdict = "" if score >= TARGET else "  ← 未达标"
    print(
        f"变异体 {total} 个,杀死 {killed} 个:得分 {score:.0%},目标 ≥{TARGET:.0%},得分/目标 {score / TARGET:.2f}{verdict}"
    )


if __name__ == "__main__":
    main()
