"""机构改革 from the command line: rename, merge, split or dissolve units, previewed unless --apply.

    manage.py reorg_unit rename 财政局 --to 财政金融局 --on 2026-07-01 --by admin [--apply]
    manage.py reorg_unit merge 国土资源局 城乡规划局 --into 自然资源和规划局 --on 2026-07-01 --by admin [--apply]
    manage.py reorg_unit split 农业农村局 --into 农业农村局(新) --into 乡村振兴局 --task 12=2 --on … --by admin
    manage.py reorg_unit dissolve 某某办 --on 2026-07-01 --by admin [--apply]

The same services as the page (org/reorg.py): one transaction, traced, all or nothing.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from luoshi.lib.errors import ActionError
from luoshi.org.models import Unit, User
from luoshi.org.reorg import ReorgResult, reorg_dissolve, reorg_merge, reorg_rename, reorg_split, successor_resolve


class Command(BaseCommand):
    help = "机构改革:单位更名、合并、拆分、撤销(默认只预览,加 --apply 才执行)"

    def add_arguments(self, parser):
        parser.add_argument("operation", choices=["rename", "merge", "split", "dissolve"], help="操作")
        parser.add_argument("units", nargs="+", help="单位(全称、简称或别名);合并可列多个")
        parser.add_argument("--on", required=True, help="生效日期,如 2026-07-01")
        parser.add_argument("--by", required=True, help="执行的系统管理员账号(用户名)")
        parser.add_argument("--to", default="", help="更名:新全称")
        parser.add_argument("--short", default="", help="更名或新设单位:简称")
        parser.add_argument("--into", action="append", default=[], help="合并:承接单位;拆分:承接单位(可重复)")
        parser.add_argument("--kind", default="", choices=["", *Unit.Kind.values], help="新设单位的类型")
        parser.add_argument("--task", action="append", default=[], help="拆分:事项编号=第几个承接单位,如 12=2")
        parser.add_argument("--keep-users", action="store_true", help="账号暂不转移,列出由管理员处理")
        parser.add_argument("--apply", action="store_true", help="执行(不加则只预览)")

    def handle(self, *args, **options):
        try:
            result = self._run(options)
        except ActionError as error:
            raise CommandError(error.message) from None
        self._print(result)

    def _run(self, options) -> ReorgResult:
        by = User.objects.filter(username=options["by"], is_active=True).first()
        if by is None:
            raise ActionError(f"没有名为“{options['by']}”的启用账号。")
        try:
            on = date.fromisoformat(options["on"])
        except ValueError:
            raise ActionError(f"生效日期“{options['on']}”无法识别,请写成 2026-07-01 的形式。") from None
        units = [self._unit(name) for name in options["units"]]
        dry_run = not options["apply"]
        operation = options["operation"]
        if operation != "merge" and len(units) != 1:
            raise ActionError("更名、拆分、撤销一次只处理一个单位。")
        if operation == "rename":
            return reorg_rename(unit=units[0], name=options["to"], short_name=options["short"], on=on, by=by,
                                dry_run=dry_run)  # fmt: skip
        if operation == "dissolve":
            return reorg_dissolve(unit=units[0], on=on, by=by, dry_run=dry_run)
        if operation == "merge":
            if len(options["into"]) != 1:
                raise ActionError("合并请用一个 --into 指定承接单位。")
            into = successor_resolve(options["into"][0], short_name=options["short"], kind=options["kind"])
            return reorg_merge(sources=units, into=into, on=on, by=by, move_users=not options["keep_users"],
                               dry_run=dry_run)  # fmt: skip
        successors = [successor_resolve(name, kind=options["kind"]) for name in options["into"]]
        choices = {}
        for item in options["task"]:
            task_id, _, position = item.partition("=")
            if not (task_id.isdigit() and position.isdigit() and 1 <= int(position) <= len(successors)):
                raise ActionError(f"--task {item}:应写成“事项编号=第几个承接单位”,如 12=2(从 1 数起)。")
            choices[int(task_id)] = int(position) - 1
        return reorg_split(source=units[0], successors=successors, on=on, by=by, choices=choices,
                           users_to=None if options["keep_users"] else 0, dry_run=dry_run)  # fmt: skip

    @staticmethod
    def _unit(name: str) -> Unit:
        from luoshi.org.services import HOW_ALIAS, HOW_NAME, HOW_SHORT, unit_resolve

        resolution = unit_resolve(name)
        if len(resolution.units) == 1 and resolution.how in (HOW_NAME, HOW_SHORT, HOW_ALIAS):
            return resolution.units[0]
        raise ActionError(f"找不到启用中的单位“{name}”,请写全称、简称或别名。")

    def _print(self, result: ReorgResult) -> None:
        write = self.stdout.write
        write(("已执行:" if result.applied else "预览(未执行):") + result.summary)
        moves = [f"{m.task_id}“{m.title}”:{m.from_unit}({m.role})→ {m.to_unit}" for m in result.moves]
        groups = (
            ("新设单位:", result.created), ("事项 ", moves), ("转移申请:", result.requests),
            ("转移账号:", result.users_moved), ("留待处理的账号:", result.users_left), ("分管:", result.leaders),
            ("新增别名:", result.aliases), ("通知:", result.notices),
        )  # fmt: skip
        lines = [f"{label}:{count}" for label, count in result.counts.items()]
        lines += [prefix + line for prefix, items in groups for line in items]
        write("\n".join(f"  {line}" for line in lines))
        if not result.applied:
            write("确认无误后,加 --apply 执行。")
