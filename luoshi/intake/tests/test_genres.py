"""The annotated work plans and minutes of samples/intake-genres/ meet the issue's targets on each genre."""

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


def test_there_are_two_work_plans_and_two_sets_of_minutes():
    genres = [json.loads(path.read_text(encoding="utf-8"))["genre"] for path in GOLDS]
    assert genres.count("方案") >= 2 and genres.count("纪要") >= 2


@pytest.mark.parametrize("gold", GOLDS, ids=[path.stem for path in GOLDS])
def test_each_annotated_document_meets_the_genre_targets(gold, demo_county):
    meta = json.loads(gold.read_text(encoding="utf-8"))
    doc = GENRES / meta["file"]
    document = read_upload(doc.name, doc.read_bytes())
    rows = propose(document, base=date.fromisoformat(meta["date"]), scanner=Scanner.load()).rows
    result = score(rows, load_gold(gold), list(Unit.objects.active()))
    assert result.recall >= TARGET_RECALL, [item["anchor"] for item in result.missed]
    assert result.precision >= TARGET_GENRE_PRECISION, result.unmatched_rows
    assert result.units >= TARGET_UNITS, result.unit_failures
