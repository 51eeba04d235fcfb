"""Forms of the 督办 pages. They parse and check input; the services hold the rules."""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.html import escape
from django.utils.safestring import mark_safe

from luoshi.org.models import Leader, Unit
from luoshi.org.services import UnitDirectory, unit_resolve_many

from .models import Cadence, Task
from .selectors import SORT_LABELS, TaskFilter
from .services import LEAD_GROUPS, TaskSpec

GROUPS = {f"group:{key}": value for key, value in LEAD_GROUPS.items()}
_MILESTONE = re.compile(r"^\s*(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?\s*(.+?)\s*$")


def new_token() -> str:
    return get_random_string(32)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TokenForm(forms.Form):
    """A hidden one-time token: a second submit of the same page does nothing (steps._claim_token)."""

    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("token", new_token())


def _unit_choices():
    choices = [
        ("", "—— 请选择 ——"),
        ("按类别分解(每个单位一项)", [(key, f"{label}(每个单位一项)") for key, (label, _) in GROUPS.items()]),
    ]
    by_kind: dict[str, list] = {}
    for unit in Unit.objects.active().order_by("order", "id"):
        by_kind.setdefault(unit.get_kind_display(), []).append((str(unit.pk), unit.name))
    choices += list(by_kind.items())
    return choices


class TaskForm(TokenForm):
    title = forms.CharField(label="事项名称", max_length=300)
    requirements = forms.CharField(label="具体要求", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    category = forms.CharField(label="类别", max_length=50, required=False)
    source_kind = forms.ChoiceField(label="来源", choices=Task.SourceKind.choices, initial=Task.SourceKind.SPEECH)
    source_title = forms.CharField(label="来源文件", max_length=200, required=False)
    source_date = forms.DateField(label="来源日期", required=False, widget=DateInput())
    source_quote = forms.CharField(label="原文摘录", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    leader = forms.ModelChoiceField(
        label="责任领导", queryset=Leader.objects.filter(active=True), required=False, empty_label="—— 不指定 ——"
    )
    lead = forms.ChoiceField(label="牵头单位")
    supporting = forms.CharField(
        label="配合单位",
        required=False,
        help_text="可写简称,多个单位用顿号分隔,如:发改委、自然资源局;也可写“各乡镇”",
    )
    deadline = forms.DateField(label="完成时限", required=False, widget=DateInput())
    standing = forms.BooleanField(label="长期坚持(无完成时限)", required=False)
    backfill = forms.BooleanField(label="补录(登记以往工作,允许完成时限早于今天)", required=False)
    cadence = forms.ChoiceField(label="反馈周期", choices=Cadence.choices, initial=Cadence.MONTHLY)
    cadence_day = forms.IntegerField(
        label="反馈日", required=False, min_value=0, max_value=31, help_text="每周填1-7(周一至周日);每月、每季度填几号"
    )
    priority = forms.TypedChoiceField(
        label="紧急程度", choices=Task.Priority.choices, coerce=int, initial=Task.Priority.NORMAL
    )
    never_red = forms.BooleanField(
        label="确认长期坚持且不定期反馈(该事项不会亮红灯)",
        required=False,
        help_text="长期坚持的事项没有完成时限,不定期反馈又没有应反馈日期,两者同时选择时事项永远不会变红。",
    )
    milestones = forms.CharField(
        label="时间节点",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="每行一个:2026-06-30 完成招标",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].choices = _unit_choices()

    def clean_milestones(self) -> list[tuple[str, date]]:
        result = []
        for number, line in enumerate(self.cleaned_data["milestones"].splitlines(), start=1):
            if not line.strip():
                continue
            match = _MILESTONE.match(line)
            if not match:
                raise forms.ValidationError(f"第{number}行“{line.strip()}”:请写成“2026-06-30 完成招标”的样子。")
            year, month, day, title = match.groups()
            try:
                due = date(int(year), int(month), int(day))
            except ValueError:
                raise forms.ValidationError(f"第{number}行:日期 {year}-{month}-{day} 不存在。") from None
            result.append((title, due))
        return result

    def clean(self):
        data = super().clean()
        directory = UnitDirectory.load()
        self.supporting_units: list[Unit] = []
        unknown = []
        for resolution in unit_resolve_many(data.get("supporting", ""), directory=directory):
            if resolution.resolved:
                self.supporting_units += resolution.units
            else:
                hint = "、".join(unit.display_name for unit in resolution.suggestions[:3])
                unknown.append(f"“{resolution.mention}”" + (f"(是否为:{hint}?)" if hint else ""))
        if unknown:
            self.add_error("supporting", "未找到配合单位:" + ";".join(unknown))
        if data.get("standing") and data.get("cadence") == Cadence.NONE and not data.get("never_red"):
            # Flagged, not forbidden: the office may mean it, but must say so (#13 §2).
            self.add_error(
                "cadence",
                "长期坚持且不定期反馈:这个事项既没有完成时限,也没有应反馈日期,永远不会亮红灯、也不会出现在本周反馈中。"
                "请选择反馈周期(如每月),或勾选下方“确认长期坚持且不定期反馈”。",
            )
        if data.get("cadence") == Cadence.WEEKLY and data.get("cadence_day") and data["cadence_day"] > 7:
            self.add_error("cadence_day", "每周反馈日请填1-7(周一至周日)。")
        return data

    def spec(self) -> TaskSpec:
        data = self.cleaned_data
        lead_key = data["lead"]
        spec = TaskSpec(
            title=data["title"],
            requirements=data["requirements"],
            category=data["category"],
            source_kind=data["source_kind"],
            source_title=data["source_title"],
            source_date=data["source_date"],
            source_quote=data["source_quote"],
            leader=data["leader"],
            supporting=self.supporting_units,
            deadline=data["deadline"],
            standing=data["standing"],
            backfill=data["backfill"],
            cadence=data["cadence"],
            cadence_day=data["cadence_day"] or 0,
            priority=data["priority"],
            milestones=data["milestones"],
        )
        if lead_key in GROUPS:
            spec.lead_by_group(lead_key.removeprefix("group:"))
        else:
            spec.lead = Unit.objects.active().get(pk=int(lead_key))
        return spec


class SplitForm(TokenForm):
    parts = forms.CharField(
        label="子事项",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一个:子事项名称|牵头单位|完成时限,如:完成征地拆迁|自然资源局|2026-06-30",
    )

    def clean_parts(self):
        directory = UnitDirectory.load()
        rows = []
        for number, line in enumerate(self.cleaned_data["parts"].splitlines(), start=1):
            if not line.strip():
                continue
            cells = [cell.strip() for cell in re.split(r"[||]", line)]
            if len(cells) != 3:
                raise forms.ValidationError(f"第{number}行:请写成“子事项名称|牵头单位|完成时限”三段。")
            title, unit_text, due_text = cells
            resolutions = unit_resolve_many(unit_text, directory=directory)
            if len(resolutions) != 1 or len(resolutions[0].units) != 1:
                raise forms.ValidationError(f"第{number}行:牵头单位“{unit_text}”未找到或不唯一,请写单位全称。")
            try:
                due = date.fromisoformat(due_text.replace("/", "-").replace(".", "-"))
            except ValueError:
                raise forms.ValidationError(f"第{number}行:完成时限“{due_text}”请写成 2026-06-30。") from None
            rows.append((title, resolutions[0].units[0], due))
        if not rows:
            raise forms.ValidationError("请至少填写一个子事项。")
        return rows


class ReportForm(TokenForm):
    done_text = forms.CharField(label="已完成", widget=forms.Textarea(attrs={"rows": 3}))
    problems = forms.CharField(label="存在问题", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    next_steps = forms.CharField(label="下一步打算", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    percent = forms.IntegerField(label="完成进度(%)", required=False, min_value=0, max_value=100)


class ExtensionForm(TokenForm):
    new_deadline = forms.DateField(label="申请延至", widget=DateInput())
    reason = forms.CharField(label="延期理由", widget=forms.Textarea(attrs={"rows": 3}))


class ClosureForm(TokenForm):
    summary = forms.CharField(label="办结情况", widget=forms.Textarea(attrs={"rows": 4}))


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(choices=[("1", "同意"), ("0", "不同意")], coerce=lambda v: v == "1")
    note = forms.CharField(label="意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    # An extension granted to another date than asked (the reason then goes in the note).
    deadline = forms.DateField(label="批准延至", required=False, widget=DateInput())


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}))


class UrgeForm(TokenForm):
    message = forms.CharField(
        label="催办内容", widget=forms.Textarea(attrs={"rows": 2}), initial="请抓紧办理,并按时反馈进展。"
    )


class InstructionForm(TokenForm):
    text = forms.CharField(label="批示内容", widget=forms.Textarea(attrs={"rows": 3}))


def _year_choices():
    this_year = timezone.localdate().year
    return [("", "本年度(含往年结转)")] + [(str(y), f"{y}年登记") for y in range(this_year, this_year - 11, -1)]


class FastSelect(forms.Select):
    """A plain select written in Python: Django's per-option templates cost 60 ms a page for 600 units."""

    def render(self, name, value, attrs=None, renderer=None):
        current = "" if value is None else str(value)
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        options = "".join(
            f'<option value="{escape(v)}"{" selected" if str(v) == current else ""}>{escape(label)}</option>'
            for v, label in self.choices
        )
        # Every value and label is escaped above.
        return mark_safe(f"<select{flatatt(final)}>{options}</select>")


class TaskFilterForm(forms.Form):
    """The list's filters, from the query string; a bad value is dropped with a message, not a 500."""

    year = forms.TypedChoiceField(label="年度", required=False, coerce=int, empty_value=None, widget=FastSelect)
    unit = forms.ModelChoiceField(
        label="单位",
        queryset=Unit.objects.active().only("id", "name"),
        required=False,
        empty_label="全部单位",
        widget=FastSelect,
    )
    with_support = forms.BooleanField(label="含配合事项", required=False)
    leader = forms.ModelChoiceField(
        label="责任领导",
        queryset=Leader.objects.filter(active=True),
        required=False,
        empty_label="全部领导",
        widget=FastSelect,
    )
    source = forms.ChoiceField(
        label="来源", required=False, choices=[("", "全部来源"), *Task.SourceKind.choices], widget=FastSelect
    )
    status = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[("", "全部状态"), ("open", "未办结(全部)"), ("unsigned", "超期未签收"), *Task.Status.choices],
        widget=FastSelect,
    )
    light = forms.ChoiceField(
        label="灯色",
        required=False,
        choices=[("", "全部灯色"), ("red", "红灯"), ("yellow", "黄灯"), ("green", "绿灯")],
        widget=FastSelect,
    )
    deadline_from = forms.DateField(label="时限从", required=False, widget=DateInput())
    deadline_to = forms.DateField(label="时限至", required=False, widget=DateInput())
    q = forms.CharField(label="关键词", required=False, max_length=100)
    sort = forms.ChoiceField(label="排序", required=False, choices=list(SORT_LABELS.items()), widget=FastSelect)

    def __init__(self, *args, archive=False, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        if archive:
            years = [(str(y), f"{y}年") for y in range(this_year - 1, this_year - 16, -1)]
            self.fields["year"].choices = [("", "往年全部"), *years]
        else:
            self.fields["year"].choices = _year_choices()
        self.archive = archive

    def to_filter(self) -> TaskFilter:
        # Keep the fields that are valid; a bad one is dropped and shown beside its field.
        data = self.cleaned_data if self.is_bound and (self.is_valid() or True) else {}
        return TaskFilter(
            year=data.get("year"),
            unit=data["unit"].pk if data.get("unit") else None,
            with_support=bool(data.get("with_support")),
            leader=data["leader"].pk if data.get("leader") else None,
            source=data.get("source", ""),
            status=data.get("status", ""),
            light=data.get("light", ""),
            deadline_from=data.get("deadline_from"),
            deadline_to=data.get("deadline_to"),
            q=(data.get("q") or "").strip(),
            # Red first unless a header was clicked: what the office must act on opens the list.
            sort=data.get("sort") or "light",
            archive=self.archive,
        )
