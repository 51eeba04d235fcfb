"""The deadline phrases of a public peer's test suite, read as the peer expects, through `parse` and in sentences.

Source: JioNLP (https://github.com/dongrixinyu/JioNLP, Apache-2.0), `test/test_time_parser.py` at commit
783abc5, the `time_string_list` table of `TestTimeParser.test_time_parser`. Every case of that table is in
samples/intake-peer/jionlp-time-parser.tsv with JioNLP's base and expected span (built by
samples/intake-peer/build_table.py). A case is used when it is a deadline phrase: a point or a span a task
could be due by. The expected deadline is the last day of JioNLP's span. The cases left out each say why
in the `reason` column:
- times of day (下午3点, 18:30) and periods (每天3点): a deadline is a day, and cadences have their own tests;
- durations that are not dates (三天, 两年间), ages, approximate counts (几, 多);
- the past relative to the base (去年, 上周, 三年前): a deadline is not set in the past;
- lunar dates other than festivals, centuries and decades, western festivals, solar terms and the four
  seasons (the county's own seasons, 汛期 and 春耕, are tested below);
- years outside 1990–2100, and planning horizons (今后10年, 未来两个月), which belong to plans.

Where we read a used case differently the test names it: 月初 is the first ten days (上旬) in Luoshi, as
offices use it, and the first five in JioNLP.
"""

import csv
from datetime import date

import pytest

from luoshi.intake.extract import propose
from luoshi.intake.reading import read_text
from luoshi.lib import deadlines
from luoshi.testing import SAMPLES

TABLE = SAMPLES / "intake-peer" / "jionlp-time-parser.tsv"
TARGET = 0.95
# Read differently on purpose, and counted as misses (see the module docstring).
OUR_READING = {"本月初": date(2021, 6, 10), "8月初前": date(2021, 8, 10)}


def _cases() -> list[dict]:
    with TABLE.open(encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle, delimiter="\t") if row["use"] == "yes"]


def _expected(row: dict) -> date:
    return date.fromisoformat(row["expected_end"][:10])


def test_the_table_keeps_every_case_of_the_peer_with_a_reason_for_each_left_out():
    with TABLE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert len(rows) >= 350
    used = [row for row in rows if row["use"] == "yes"]
    assert len(used) >= 100
    assert all(row["reason"] for row in rows if row["use"] == "no")
    assert {"一天之内的时刻:时限只到日", "相对于基准日的过去时间,不是完成时限"} <= {row["reason"] for row in rows}


def test_parse_reads_at_least_95_percent_of_the_peers_deadlines():
    cases = _cases()
    wrong = []
    for row in cases:
        got = deadlines.parse(row["phrase"], base=date.fromisoformat(row["base"]))
        if got.date != _expected(row):
            wrong.append((row["line"], row["phrase"], got.date, _expected(row)))
    assert 1 - len(wrong) / len(cases) >= TARGET, wrong
    assert {phrase for _, phrase, _, _ in wrong} <= set(OUR_READING), wrong


def test_decompose_reads_the_same_phrases_inside_sentences():
    cases = _cases()
    wrong = []
    for row in cases:
        base = date.fromisoformat(row["base"])
        document = read_text(f"一、重点工作\n各乡镇要在{row['phrase']}完成排查整治工作。", name="通知.txt")
        rows = propose(document, base=base).rows
        got = rows[0].deadline.date if rows and rows[0].deadline else None
        if got != _expected(row):
            wrong.append((row["line"], row["phrase"], got, _expected(row)))
    assert 1 - len(wrong) / len(cases) >= TARGET, wrong
    assert {phrase for _, phrase, _, _ in wrong} <= set(OUR_READING), wrong


@pytest.mark.parametrize("phrase, ours", sorted(OUR_READING.items()))
def test_the_early_month_is_its_first_ten_days(phrase, ours):
    assert deadlines.parse(phrase, base=date(2021, 6, 14)).date == ours
