"""Loading units, leaders and users from one Excel workbook, all or nothing.

The workbook has up to three sheets, 单位, 县领导 and 用户, each with a header
row (`TEMPLATE` below, also offered as a download). `org_import` applies the
whole workbook in one transaction; a preview is the same call rolled back, so
what the preview shows is exactly what the import will do.
"""

from dataclasses import dataclass, field

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from luoshi.audit.services import audit_changes, field_values
from luoshi.lib.sheets import Sheet, cell_text, column_letter
from luoshi.lib.text import split_names

from .models import Leader, Unit, UnitAlias, User
from .services import HOW_FUZZY, UnitDirectory, unit_resolve

# Sheet → columns (a trailing * marks a required column).
TEMPLATE = {
    "单位": ["单位全称*", "简称", "别名", "类型*", "上级单位", "排序", "联络员", "办公电话", "手机", "启用"],
    "县领导": ["姓名*", "职务*", "排序", "县长", "分管领域", "分管单位"],
    "用户": ["用户名*", "姓名", "角色*", "所属单位", "对应县领导", "初始密码", "手机", "启用"],
}

KINDS = {
    "县直单位": Unit.Kind.DEPARTMENT, "部门": Unit.Kind.DEPARTMENT, "县直部门": Unit.Kind.DEPARTMENT,
    "department": Unit.Kind.DEPARTMENT,
    "乡镇": Unit.Kind.TOWNSHIP, "乡镇(街道)": Unit.Kind.TOWNSHIP, "街道": Unit.Kind.TOWNSHIP, "乡": Unit.Kind.TOWNSHIP,
    "镇": Unit.Kind.TOWNSHIP, "township": Unit.Kind.TOWNSHIP,
    "国企": Unit.Kind.ENTERPRISE, "县属国有企业": Unit.Kind.ENTERPRISE, "国有企业": Unit.Kind.ENTERPRISE,
    "企业": Unit.Kind.ENTERPRISE, "enterprise": Unit.Kind.ENTERPRISE,
    "其他": Unit.Kind.OTHER, "other": Unit.Kind.OTHER,
}  # fmt: skip
ROLES = {
    "督查室": User.Role.OFFICE, "政府办": User.Role.OFFICE, "office": User.Role.OFFICE,
    "县领导": User.Role.LEADER, "领导": User.Role.LEADER, "leader": User.Role.LEADER,
    "单位联络员": User.Role.UNIT, "联络员": User.Role.UNIT, "单位": User.Role.UNIT, "unit": User.Role.UNIT,
    "系统管理员": User.Role.ADMIN, "管理员": User.Role.ADMIN, "admin": User.Role.ADMIN,
    "安全保密管理员": User.Role.SECURITY, "安全管理员": User.Role.SECURITY, "security": User.Role.SECURITY,
    "安全审计员": User.Role.AUDITOR, "审计管理员": User.Role.AUDITOR, "auditor": User.Role.AUDITOR,
}  # fmt: skip
# 三员分立: an import (the system administrator's) makes ordinary accounts only; the administrators' accounts
# and roles are the security officer's, granted one by one in 系统管理 → 用户.
_ADMIN_ROLE_REFUSED = (
    "管理员类角色(系统管理员、安全保密管理员、安全审计员)不能通过导入授予,请由安全保密管理员在系统管理中设置。"
)
_YES = {"是", "y", "yes", "1", "true", "√", "启用"}
_NO = {"否", "n", "no", "0", "false", "×", "停用"}


@dataclass
class Problem:
    sheet: str
    row: int  # as Excel numbers it, from 1
    column: str  # the header as written
    letter: str
    message: str

    def __str__(self) -> str:
        where = f"「{self.sheet}」第{self.row}行"
        if self.column:
            where += f"「{self.column}」({self.letter}列)"
        return f"{where}:{self.message}"


@dataclass
class ImportReport:
    problems: list[Problem] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=lambda: {"单位": 0, "县领导": 0, "用户": 0})
    updated: dict[str, int] = field(default_factory=lambda: {"单位": 0, "县领导": 0, "用户": 0})
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


class _Rollback(Exception):
    """Raised inside the transaction to undo a preview or a failed import."""


@dataclass
class _Row:
    sheet: str
    number: int
    values: dict[str, str]
    letters: dict[str, str]


def _rows(sheet: Sheet, report: ImportReport) -> list[_Row]:
    """The data rows of one sheet, found under its header row (which may follow title rows)."""
    wanted = [name.rstrip("*") for name in TEMPLATE[sheet.name]]
    required = [name.rstrip("*") for name in TEMPLATE[sheet.name] if name.endswith("*")]
    candidates = [[cell_text(value).rstrip("*").strip() for value in row] for row in sheet.rows[:10]]
    header_index = next((index for index, headers in enumerate(candidates) if required[0] in headers), None)
    if header_index is None:
        report.problems.append(
            Problem(sheet.name, 1, "", "", f"找不到表头:前 10 行里没有「{required[0]}」列。请按模板填写。")
        )
        return []
    headers = candidates[header_index]
    columns = {name: headers.index(name) for name in wanted if name in headers}
    missing = [name for name in required if name not in columns]
    if missing:
        report.problems.append(
            Problem(sheet.name, header_index + 1, "", "", f"缺少必填列:{'、'.join(missing)}。请按模板填写。")
        )
        return []
    result = []
    for offset, row in enumerate(sheet.rows[header_index + 1 :], start=header_index + 2):
        values = {name: cell_text(row[index]) if index < len(row) else "" for name, index in columns.items()}
        if not any(values.values()):
            continue
        letters = {name: column_letter(index) for name, index in columns.items()}
        result.append(_Row(sheet.name, offset, values, letters))
    return result


def _problem(report: ImportReport, row: _Row, column: str, message: str) -> None:
    report.problems.append(Problem(row.sheet, row.number, column, row.letters.get(column, ""), message))


def _flag(report: ImportReport, row: _Row, column: str, default: bool) -> bool:
    text = row.values.get(column, "").strip().lower()
    if not text:
        return default
    if text in _YES:
        return True
    if text in _NO:
        return False
    _problem(report, row, column, f"“{row.values[column]}”无法识别,请填“是”或“否”。")
    return default


def _unique_key(report: ImportReport, row: _Row, column: str, seen: dict[str, int]) -> str | None:
    """The row's key (a unit's name, a user name), or None after noting it empty or repeated."""
    key = row.values[column]
    if not key:
        _problem(report, row, column, f"{column}不能为空。")
        return None
    if key in seen:
        _problem(report, row, column, f"“{key}”与第{seen[key]}行重复。")
        return None
    seen[key] = row.number
    return key


def _order(report: ImportReport, row: _Row, current: int) -> int | None:
    """The 排序 cell as a number, the current order when blank, None after noting a bad value."""
    text = row.values.get("排序", "")
    if not text:
        return current
    if not text.isdigit():
        _problem(report, row, "排序", f"“{text}”不是整数。")
        return None
    return int(text)


def _resolve_one(report: ImportReport, row: _Row, column: str, text: str, directory: UnitDirectory) -> list[Unit]:
    resolution = unit_resolve(text, directory=directory)
    if resolution.resolved and resolution.how != HOW_FUZZY:
        return resolution.units
    hint = "、".join(unit.name for unit in resolution.suggestions[:3])
    message = f"未找到单位“{text}”" + (f",是否为“{hint}”?" if hint else "。请先在「单位」表中添加。")
    _problem(report, row, column, message)
    return []


def _import_units(rows: list[_Row], report: ImportReport, *, dry_run: bool, by) -> None:
    seen: dict[str, int] = {}
    traced: list[tuple[Unit | None, dict | None]] = []
    parents: list[tuple[_Row, Unit, str]] = []
    for row in rows:
        name = _unique_key(report, row, "单位全称", seen)
        if name is None:
            continue
        kind = KINDS.get(row.values["类型"].strip())
        if kind is None:
            _problem(report, row, "类型", f"“{row.values['类型']}”无法识别,请填:县直单位、乡镇、国企或其他。")
            continue
        unit = Unit.objects.filter(name=name).first()
        created = unit is None
        traced.append((unit, None if created else field_values(unit)))
        unit = unit or Unit(name=name)
        order = _order(report, row, unit.order)
        if order is None:
            continue
        unit.short_name = row.values.get("简称", "")
        unit.kind = kind
        unit.order = order
        unit.active = _flag(report, row, "启用", True)
        stopped = unit.deactivation_problem()  # 机构改革: open tasks need a successor first
        if stopped:
            _problem(report, row, "启用", stopped)
            continue
        for column, attribute in (
            ("联络员", "liaison_name"),
            ("办公电话", "liaison_phone"),
            ("手机", "liaison_mobile"),
        ):
            if column in row.values:
                setattr(unit, attribute, row.values[column])
        unit.save()
        if created:
            traced[-1] = (unit, None)
        report.created["单位"] += created
        report.updated["单位"] += not created
        for alias in split_names(row.values.get("别名", "")):
            owner = UnitAlias.objects.filter(alias=alias).select_related("unit").first()
            if owner and owner.unit_id != unit.pk:
                _problem(report, row, "别名", f"别名“{alias}”已属于“{owner.unit.name}”。")
            elif not owner:
                UnitAlias.objects.create(unit=unit, alias=alias)
        if row.values.get("上级单位"):
            parents.append((row, unit, row.values["上级单位"]))
    directory = UnitDirectory.load()
    for row, unit, text in parents:
        found = _resolve_one(report, row, "上级单位", text, directory)
        if len(found) == 1 and found[0].pk != unit.pk:
            unit.parent = found[0]
            unit.save(update_fields=["parent"])
        elif found:
            _problem(report, row, "上级单位", f"“{text}”不是一个单位,或就是本单位。")
    if not dry_run:
        for unit, before in traced:
            if unit is not None and unit.pk:
                unit.refresh_from_db()
                audit_changes(obj=unit, before=before, by=by, action="import_create" if before is None else "import_update",
                              note="组织架构导入:" + ("新增单位" if before is None else "更新单位"))  # fmt: skip


def _import_leaders(rows: list[_Row], report: ImportReport, *, dry_run: bool, by) -> None:
    directory = UnitDirectory.load()
    seen: dict[str, int] = {}
    for row in rows:
        name = _unique_key(report, row, "姓名", seen)
        if name is None:
            continue
        if not row.values["职务"]:
            _problem(report, row, "职务", "职务不能为空。")
            continue
        leader = Leader.objects.filter(name=name).first()
        created = leader is None
        before = None if created else field_values(leader)
        leader = leader or Leader(name=name)
        order = _order(report, row, leader.order)
        if order is None:
            continue
        leader.title = row.values["职务"]
        leader.order = order
        leader.is_principal = _flag(report, row, "县长", leader.is_principal)
        leader.fields = "、".join(split_names(row.values.get("分管领域", "")))
        leader.save()
        units: list[Unit] = []
        for text in split_names(row.values.get("分管单位", "")):
            units += _resolve_one(report, row, "分管单位", text, directory)
        leader.supervises.set(units)
        if not dry_run:
            audit_changes(obj=leader, before=before, by=by, action="import_create" if created else "import_update",
                          note="组织架构导入:" + ("新增县领导" if created else "更新县领导"))  # fmt: skip
        report.created["县领导"] += created
        report.updated["县领导"] += not created


def _import_users(rows: list[_Row], report: ImportReport, *, dry_run: bool, by) -> None:
    directory = UnitDirectory.load()
    seen: dict[str, int] = {}
    for row in rows:
        username = _unique_key(report, row, "用户名", seen)
        if username is None:
            continue
        role = ROLES.get(row.values["角色"].strip())
        if role is None:
            _problem(report, row, "角色", f"“{row.values['角色']}”无法识别,请填:督查室、县领导或单位联络员。")
            continue
        if role in User.ADMIN_ROLES:
            _problem(report, row, "角色", _ADMIN_ROLE_REFUSED)
            continue
        user = User.objects.filter(username=username).first()
        if user is not None and user.role in User.ADMIN_ROLES:
            _problem(
                report, row, "用户名", f"“{username}”是管理员账号,不能通过导入修改,请由安全保密管理员在系统管理中修改。"
            )
            continue
        created = user is None
        before = None if created else field_values(user)
        user = user or User(username=username)
        user.name = row.values.get("姓名", "") or user.name
        user.phone = row.values.get("手机", "") or user.phone
        user.role = role
        user.is_active = _flag(report, row, "启用", True)
        user.unit = user.leader = None
        if role == User.Role.UNIT:
            text = row.values.get("所属单位", "")
            found = _resolve_one(report, row, "所属单位", text, directory) if text else []
            if not text:
                _problem(report, row, "所属单位", "单位联络员必须填写所属单位。")
            elif len(found) > 1:
                _problem(report, row, "所属单位", f"“{text}”是一组单位,请填写一个具体单位。")
            if len(found) != 1:
                continue
            user.unit = found[0]
        if role == User.Role.LEADER:
            text = row.values.get("对应县领导", "")
            user.leader = Leader.objects.filter(name=text).first() if text else None
            if user.leader is None:
                _problem(
                    report,
                    row,
                    "对应县领导",
                    f"未找到县领导“{text}”,请先在「县领导」表中添加。"
                    if text
                    else "县领导账号必须填写对应县领导的姓名。",
                )
                continue
        password = row.values.get("初始密码", "")
        if created and not password:
            _problem(report, row, "初始密码", "新用户必须填写初始密码。")
            continue
        if password:
            try:
                validate_password(password, user)
            except ValidationError as exc:
                _problem(report, row, "初始密码", " ".join(exc.messages))
                continue
            # Hashing is slow by design; a preview that will roll back skips it.
            if dry_run:
                user.set_unusable_password()
            else:
                user.set_password(password)
            # Someone else typed this password: the owner replaces it at first login.
            user.must_change_password = True
        user.save()
        if not dry_run:
            audit_changes(obj=user, before=before, by=by, action="import_create" if created else "import_update",
                          note="组织架构导入:" + ("新增用户" if created else "更新用户"))  # fmt: skip
        report.created["用户"] += created
        report.updated["用户"] += not created


def org_import(sheets: list[Sheet], *, dry_run: bool, by=None) -> ImportReport:
    """Apply a workbook's 单位, 县领导 and 用户 sheets in one transaction.

    Steps: units (and their aliases, then parents), leaders (and what they
    分管), users. Any problem rolls everything back; so does `dry_run`. Every unit, leader and user
    created or changed is traced (luoshi.audit) as done by `by`, passwords as changed, never their value.
    """
    report = ImportReport()
    by_name = {sheet.name.strip(): sheet for sheet in sheets}
    known = [name for name in TEMPLATE if name in by_name]
    if not known:
        report.problems.append(
            Problem("", 1, "", "", "工作簿里没有名为「单位」「县领导」或「用户」的工作表。请下载模板,按模板填写。")
        )
        return report
    rows = {name: _rows(Sheet(name, by_name[name].rows), report) for name in known}
    if report.problems:
        return report
    try:
        with transaction.atomic():
            _import_units(rows.get("单位", []), report, dry_run=dry_run, by=by)
            _import_leaders(rows.get("县领导", []), report, dry_run=dry_run, by=by)
            _import_users(rows.get("用户", []), report, dry_run=dry_run, by=by)
            if report.problems or dry_run:
                raise _Rollback
    except _Rollback:
        return report
    report.applied = True
    return report


_TEMPLATE_EXAMPLES = {
    "单位": [
        ["财政局", "财政局", "县财政局、财政", "县直单位", "", 10, "张三", "0371-62000001", "13900000001", "是"],
        ["城关镇", "城关镇", "", "乡镇", "", 10, "李四", "0371-62000002", "13900000002", "是"],
    ],
    "县领导": [["王五", "常务副县长", 20, "否", "财政、发展改革", "财政局、发改委"]],
    "用户": [["czj", "张三", "单位联络员", "财政局", "", "Luoshi2026", "13900000001", "是"]],
}
_TEMPLATE_WIDTHS = {
    "单位": [24, 14, 24, 12, 18, 8, 12, 18, 16, 8],
    "县领导": [12, 16, 8, 8, 30, 40],
    "用户": [14, 12, 14, 20, 14, 14, 16, 8],
}


def org_template_workbook():
    """The import template (a Workbook), with one example row per sheet and a sheet of instructions."""
    from openpyxl import Workbook

    from luoshi.lib.xlsx import write_table

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, headers in TEMPLATE.items():
        sheet = workbook.create_sheet(name)
        write_table(
            sheet,
            title=f"{name}(带 * 为必填)",
            headers=headers,
            rows=_TEMPLATE_EXAMPLES[name],
            widths=_TEMPLATE_WIDTHS[name],
        )
    notes = workbook.create_sheet("填表说明")
    for line in [
        "1. 三张表可以只填其中一张或两张;按单位全称、县领导姓名、用户名对应,已有的更新,没有的新增。",
        "2. 类型填:县直单位、乡镇、国企或其他。别名、分管单位、分管领域可填多个,用顿号分隔。",
        "3. 角色填:督查室、县领导或单位联络员(管理员类角色由安全保密管理员在系统管理中授予)。单位联络员须填所属单位,县领导须填对应县领导姓名。",
        "4. 初始密码至少 8 位,须同时包含字母和数字;用户首次登录时必须修改密码。已有用户不填则不改密码。",
        "5. 导入前先预览;任何一行有错,整个文件都不会导入。",
    ]:
        notes.append([line])
    notes.column_dimensions["A"].width = 110
    return workbook
