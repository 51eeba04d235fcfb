"""python manage.py decompose FILE [--date YYYY-MM-DD] [--json]: a document's proposed 任务分解表.

Offices batch old speeches through it and scripts read its JSON. Nothing is written.
"""

import json
import sys
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from luoshi.intake.extract import propose
from luoshi.intake.mentions import current_scanner
from luoshi.intake.reading import read_upload
from luoshi.intake.services import own_date, table_rows
from luoshi.lib.errors import ActionError


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--date {text!r} 应写成 2022-03-15。") from None


class Command(BaseCommand):
    help = "把讲话、会议纪要或工作报告(.docx/.txt/.pdf)分解为任务分解表,输出表格或 JSON。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="文件路径(.docx、.txt 或 .pdf)")
        parser.add_argument("--date", type=_date, help="文件日期 YYYY-MM-DD;不填则取文件自身的日期,再不行取今天")
        parser.add_argument("--json", action="store_true", help="输出 JSON")
        parser.add_argument(
            "--minutes", action="store_true", help="会议纪要:每一段都按会议口吻读,一句列出的几项工作各为一行"
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件:{path}")
        try:
            document = read_upload(path.name, path.read_bytes())
        except ActionError as error:
            raise CommandError(error.message) from None
        own = own_date(document)
        base = options["date"] or (own[0] if own else None) or document.date
        if base is None:
            base = timezone.localdate()
            self.stderr.write(f"文件中未写日期,按今天({base:%Y-%m-%d})计算时限;可用 --date 指定。")
        if table := table_rows(document, base=base):
            # A 任务分解表 (Luoshi's own Word export among them): its columns are the answer.
            return self._table(document, table, base, as_json=options["json"])
        proposal = propose(document, base=base, scanner=current_scanner(), minutes=options["minutes"])
        if options["json"]:
            data = proposal.as_dict()
            data["notes"] = document.notes
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{document.title}({base:%Y-%m-%d})  共 {len(proposal.rows)} 条要求")
        for notes in document.notes:
            self.stdout.write(f"说明:{notes}")
        self.stdout.write("序号\t工作要求\t所在部分\t牵头/涉及单位\t完成时限\t识别依据")
        for number, row in enumerate(proposal.rows, start=1):
            data = row.as_dict()
            units = "、".join(data["unit_mentions"])
            when = row.deadline.label if row.deadline else ""
            line = "\t".join([str(number), row.text.replace("\n", " "), row.section, units, when, "、".join(row.why)])
            self.stdout.write(line)
        sys.stdout.flush()

    def _table(self, document, table, base, *, as_json: bool) -> None:
        if as_json:
            data = {"title": document.title, "date": base.isoformat(), "table": True,
                    "rows": [row.as_dict() for row in table], "notes": document.notes}  # fmt: skip
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{document.title}({base:%Y-%m-%d})  任务分解表 共 {len(table)} 行")
        self.stdout.write("序号\t事项名称\t工作要求\t牵头单位\t配合单位\t责任领导\t完成时限")
        for number, row in enumerate(table, start=1):
            data = row.as_dict()
            when = row.deadline.label if row.deadline else ""
            line = "\t".join([str(number), row.title, row.text.replace("\n", " "), data["lead"] or "",
                              "、".join(data["supporting"]), data["leader"] or "", when])  # fmt: skip
            self.stdout.write(line)
