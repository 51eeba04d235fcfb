"""python manage.py import_ledger FILE [--json] [--commit]: the ledger import's preview, in text or JSON."""

import json
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from luoshi.ledger.preview import ERROR, preview_ledger
from luoshi.ledger.reader import FIELDS
from luoshi.ledger.services import earlier_import, ledger_import
from luoshi.lib.errors import ActionError
from luoshi.lib.sheets import SheetError
from luoshi.org.models import User


class Command(BaseCommand):
    help = "预览(或用 --commit 导入)一个任务分解表/台账:列对应、逐行逐列的问题,最后一行为 rows N, tasks N, problems N。"

    def add_arguments(self, parser):
        parser.add_argument("file", help=".xlsx、.xls 或 .ods 文件")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出预览")
        parser.add_argument("--commit", action="store_true", help="没有错误时导入(全部或全不)")
        parser.add_argument("--user", help="以哪个用户的名义导入(默认:第一个督查室或管理员账号)")
        parser.add_argument("--date", help="文件日期 YYYY-MM-DD,用于推算“6月底”“年底前”(默认取表头上方的日期行)")
        parser.add_argument("--again", action="store_true", help="同一文件已导入过时仍然导入")
        parser.add_argument("--accept-conflict", type=int, action="append", default=[], metavar="系统编号",
                            help="导入这个事项的冲突行(导出后事项已有新进展),可写多次")  # fmt: skip

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件:{path}")
        user = self._user(options["user"])
        base = None
        if options["date"]:
            try:
                base = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"--date “{options['date']}”不是有效日期,请写成 2022-03-15。") from None
        try:
            preview = preview_ledger(path.read_bytes(), name=path.name, user=user, base=base)
        except SheetError as exc:
            raise CommandError(str(exc)) from None
        if options["json"]:
            self.stdout.write(json.dumps(preview.as_json(), ensure_ascii=False, indent=1))
        else:
            self._print(preview)
        if options["commit"]:
            if not preview.ok:
                raise CommandError(f"有 {len(preview.errors)} 个错误,未导入任何内容。")
            try:
                result = ledger_import(preview=preview, by=user, again=options["again"],
                                       conflicts=options["accept_conflict"])  # fmt: skip
            except ActionError as exc:
                raise CommandError(str(exc)) from None
            self.stderr.write(
                f"已导入:新增事项 {result.tasks} 个,导入进展 {result.reports} 条,提示 {result.warnings} 个。"
            )

    def _user(self, username: str | None) -> User:
        users = User.objects.filter(is_active=True)
        if username:
            user = users.filter(username=username).first()
            if user is None:
                raise CommandError(f"找不到用户“{username}”。")
            return user
        user = (
            users.filter(role__in=[User.Role.OFFICE, User.Role.ADMIN]).order_by("-role", "id").first()
            or users.filter(is_superuser=True).first()
        )
        if user is None:
            raise CommandError("没有督查室或管理员账号:请用 --user 指定导入人。")
        return user

    def _print(self, preview):
        out = self.stdout
        out.write(f"文件:{preview.name}  工作表:{preview.table.sheet.name}  文件日期:{preview.base:%Y-%m-%d}")
        if preview.title:
            out.write(f"标题:{preview.title}")
        out.write("列对应:")
        for key, info in preview.mapping_json().items():
            out.write(f"  {FIELDS[key][0]:<6} ← {info['column']}列「{info['header']}」")
        if (earlier := earlier_import(preview.sha256)) is not None:
            out.write(f"注意:这个文件已于 {earlier.committed_at:%Y-%m-%d %H:%M} 导入过。")
        for problem in preview.problems:
            label = "错误" if problem.severity == ERROR else "提示"
            out.write(f"[{label}] {problem}")
        for row in [*preview.conflicts, *preview.updates]:
            out.write(f"第{row.number}行 系统编号 {row.task_id} {row.change_label}:")
            exported = "(旧版台账,不详)" if row.exported is None else row.exported[0]
            out.write(f"  导出时:{exported}\n  台账中:{row.file_texts[0]}\n  系统当前:{row.current[0]}")
        if any(row.task_id for row in preview.rows):
            out.write(f"更新进展 {len(preview.updates)} 条,冲突 {len(preview.conflicts)} 条(用 --accept-conflict 导入)")
        out.write(f"rows {len(preview.rows)}, tasks {preview.task_count}, problems {len(preview.problems)}")
