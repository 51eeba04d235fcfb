"""Build jionlp-time-parser.tsv from JioNLP's own test file (kept for provenance; the suite reads only the .tsv).

    python samples/intake-peer/build_table.py path/to/JioNLP/test/test_time_parser.py > samples/intake-peer/jionlp-time-parser.tsv

Every case of `time_string_list` is written, with JioNLP's base and expected span. `use` says whether
it is a deadline phrase (a point or span a task could be due by), and `reason` why not when it is not.
The expected deadline is the last day of JioNLP's span.
"""

import ast
import datetime
import re
import sys
import time
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
# JioNLP reads these as lunar dates; a county writes its deadlines in the Gregorian calendar.
LUNAR_READINGS = {"二月十五", "去年八月十五"}


def base_of(value):
    """JioNLP's base as (date, precision)."""
    if isinstance(value, (int, float)):
        return datetime.datetime.fromtimestamp(value, SHANGHAI).date(), "day"
    if isinstance(value, datetime.datetime):
        return value.date(), "day"
    if isinstance(value, list):
        parts = [*value, 1, 1]
        return datetime.date(parts[0], parts[1], parts[2]), ["year", "month", "day"][min(len(value), 3) - 1]
    if isinstance(value, dict):
        return datetime.date(value["year"], value.get("month", 1), value.get("day", 1)), (
            "month" if "month" in value else "year"
        )
    raise ValueError(value)


def reason_for(phrase, base, precision, expected):
    kind = expected.get("type")
    span = expected.get("time")
    if kind == "time_delta":
        return "时长(三天、两年间),不是一个日期"
    if kind == "time_period":
        return "周期(每周五、每天3点):时限的周期按本系统的写法另有测试"
    if not isinstance(span, list) or len(span) != 2 or not isinstance(span[1], str):
        return "没有确定的终点"
    if span[0] == "-inf":
        return "“以前”:指向过去,没有起点"
    if re.search(
        r"[0-9][:：][0-9]|[点时分秒]|晚|上午|下午|中午|凌晨|早|夜|钟头|傍晚|刻|全天|am|pm", phrase, re.I
    ) or not span[1].endswith("23:59:59"):
        return "一天之内的时刻:时限只到日"
    end = datetime.date.fromisoformat(span[1][:10])
    if base.year not in range(1990, 2101) or end.year not in range(1990, 2101):
        return "年份不在1990至2100年之间,不会是任务时限"
    if re.search(r"世纪|年代", phrase):
        return "世纪、年代,不是时限"
    if phrase in LUNAR_READINGS or re.search(
        r"腊月|正月|闰|廿|大年初|(?<![年\d])初[一二三四五六七八九十]|阴历|农历(?!元宵|春节|中秋|端午)", phrase
    ):
        return "农历日期:公文的时限写公历(春节、中秋等节日除外)"
    if re.search(r"感恩节|母亲节|教师节|愚人节|芒种|冬至|霜降|大寒|小寒|[春夏秋冬]季?$|暑假|寒假|年春", phrase):
        return "非法定节日、节气、四季:县里的季节(汛期、春耕等)由设置给出,另有测试"
    if re.search(r"未来|今后", phrase):
        return "规划期(未来两个月、今后10年):属于计划,不是事项的时限(ARCHITECTURE.md)"
    if re.search(
        r"去年|前年|前天|昨|上个?月|上一个月|上月|上个?季度|上一年|上[一上]?个?(?:周|星期|礼拜)|[年月天半]前(?!\S*[至到])|^前[两二三四五六七八九十\d]+[天年个]|以来|过去",
        phrase,
    ):
        return "相对于基准日的过去时间,不是完成时限"
    if re.search(r"几|多", phrase):
        return "约数(几、多),读不出一个日期"
    if re.search(r"前\d+天|前[两二三四五]天|最后[一二三四五六七八九十\d]+天", phrase):
        return "一个月中的头几天或最后几天,不是时限写法"
    if precision != "day" and re.search(r"后|内|以内|未来|今后", phrase):
        return "基准只给到年或月,JioNLP 按月或年给出区间,不是从文件日期起算的时限"
    if re.search(r"\d+年半?后|[一二三四五六七八九十]年半?后|第[一二三四五六七八九十\d]+年$|半年后", phrase):
        return "“N年后”指那一年整年,不是时限(时限写作“N年内”)"
    return ""


def main(path):
    with open(path, encoding="utf-8") as handle:
        src = handle.read()
    tree = ast.parse(src)
    literal = next(
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "time_string_list"
    )
    env = {"_ts_1": 1623604000, "_ts_2": 1630480532, "datetime": datetime, "time": time}
    print("line\tphrase\tbase\tbase_precision\ttype\texpected_start\texpected_end\tuse\treason")
    for element in literal.elts:
        phrase, raw_base, expected = eval(ast.get_source_segment(src, element), env)  # the test file's own literals
        if not isinstance(raw_base, (int, float, list, dict, datetime.datetime)) or raw_base == env["time"].time:
            continue
        try:
            base, precision = base_of(raw_base)
        except (ValueError, TypeError, KeyError):
            continue
        if isinstance(raw_base, float) and abs(raw_base - time.time()) < 86400 * 2:
            continue  # based on the day the test runs: no fixed answer
        span = expected.get("time") if isinstance(expected.get("time"), list) else ["", ""]
        reason = reason_for(phrase, base, precision, expected)
        clean = phrase.replace("\t", " ").replace("\n", "\\n")
        start, end = (str(x) for x in span[:2]) if len(span) >= 2 else ("", "")
        print(
            f"{element.lineno}\t{clean}\t{base.isoformat()}\t{precision}\t{expected.get('type')}\t{start}\t{end}\t"
            f"{'no' if reason else 'yes'}\t{reason}"
        )


if __name__ == "__main__":
    main(sys.argv[1])
