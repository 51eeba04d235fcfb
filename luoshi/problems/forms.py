"""Forms of the 破难题 pages. Each turns its fields into a service's input; the rules stay in the services."""

from __future__ import annotations

import re
from datetime import date

from django import forms

from luoshi.lib.text import split_names
from luoshi.org.models import Leader, Unit, User
from luoshi.org.services import unit_resolve
from luoshi.work.forms import DateInput, TokenForm, new_token  # noqa: F401 — the import page's token
from luoshi.work.services import TaskSpec

from .models import CATEGORIES, RISK_FIELDS, CollectiveDecision, Petition, Risk
from .services import DecisionInput, ProblemInput

_TASK_LINE = re.compile(r"^(?P<title>[^|｜]+)[|｜](?P<lead>[^|｜]+)[|｜]\s*(?P<due>\d{4}-\d{1,2}-\d{1,2})\s*$")
TASKS_HELP = "每行一项:事项名称|牵头单位|完成时限,如:拨付垫付资金|财政局|2026-06-30"


def parse_task_lines(text: str) -> list[TaskSpec]:
    """The tasks a meeting or decision assigns, one per line; a bad line is refused by its number."""
    specs = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = _TASK_LINE.match(line.strip())
        if not match:
            raise forms.ValidationError(f"交办事项第 {number} 行应写成“事项名称|牵头单位|2026-06-30”。")
        resolution = unit_resolve(match["lead"])
        if len(resolution.units) != 1:
            hint = "、".join(unit.name for unit in resolution.suggestions[:3])
            raise forms.ValidationError(
                f"交办事项第 {number} 行:找不到牵头单位“{match['lead'].strip()}”"
                + (f",是否是:{hint}?" if hint else "。")
            )
        try:
            due = date.fromisoformat("-".join(part.zfill(2) for part in match["due"].split("-")))
        except ValueError:
            raise forms.ValidationError(f"交办事项第 {number} 行:完成时限“{match['due']}”不是有效日期。") from None
        specs.append(TaskSpec(title=match["title"].strip(), lead=resolution.units[0], deadline=due, category="破难题"))
    return specs


def _people(text: str) -> list[dict]:
    people = []
    for line in (text or "").splitlines():
        parts = [part.strip() for part in re.split(r"[|｜]", line)]
        if any(parts):
            people.append({"name": parts[0], "role": parts[1] if len(parts) > 1 else "",
                           "contact": parts[2] if len(parts) > 2 else ""})  # fmt: skip
    return people


class ProblemForm(TokenForm):
    title = forms.CharField(label="问题名称", max_length=200)
    category = forms.ChoiceField(label="类别", choices=[(c, c) for c in CATEGORIES])
    lead_unit = forms.ModelChoiceField(label="牵头单位", queryset=Unit.objects.active())
    supporting = forms.ModelMultipleChoiceField(label="配合单位", queryset=Unit.objects.active(), required=False)
    leader = forms.ModelChoiceField(label="责任县领导", queryset=Leader.objects.filter(active=True), required=False)
    lead_unit_head = forms.ModelChoiceField(
        label="牵头单位主要负责人账号", queryset=User.objects.filter(role=User.Role.UNIT, is_active=True), required=False,
        help_text="牵头单位标为“单位负责人账号”的账号本就可查看关键人物;此处可另指定牵头单位的一个账号",
    )  # fmt: skip
    contradiction = forms.CharField(label="主要矛盾", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    key_people = forms.CharField(
        label="关键人物", widget=forms.Textarea(attrs={"rows": 3}), required=False,
        help_text="每行一人:姓名|身份|联系方式。仅督查室、责任县领导和牵头单位主要负责人可见,每次查看都留痕。",
    )  # fmt: skip
    entry_point = forms.CharField(label="切入点", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    worst_case = forms.CharField(label="最坏情况", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    bottom_line = forms.CharField(label="底线", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    laws = forms.CharField(label="法律政策依据", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    money = forms.DecimalField(label="涉及金额(万元)", required=False, max_digits=14, decimal_places=2)
    task_force_members = forms.CharField(label="专班成员", required=False)

    def to_input(self) -> ProblemInput:
        data = self.cleaned_data
        return ProblemInput(
            title=data["title"], category=data["category"], lead_unit=data["lead_unit"],
            supporting=list(data["supporting"]), leader=data["leader"], lead_unit_head=data["lead_unit_head"],
            contradiction=data["contradiction"], key_people=_people(data["key_people"]),
            entry_point=data["entry_point"], worst_case=data["worst_case"], bottom_line=data["bottom_line"],
            laws=data["laws"], money=data["money"], task_force_members=data["task_force_members"],
        )  # fmt: skip


class HistoryForm(forms.Form):
    day = forms.DateField(label="日期", widget=DateInput())
    text = forms.CharField(label="经过", widget=forms.Textarea(attrs={"rows": 2}))


class PetitionForm(forms.Form):
    number = forms.CharField(label="信访件编号", max_length=50)
    day = forms.DateField(label="日期", widget=DateInput())
    petitioners = forms.IntegerField(label="信访人数", min_value=1, initial=1)
    level = forms.ChoiceField(label="到达层级", choices=Petition.Level.choices)
    next_visit = forms.DateField(label="预计下次来访", widget=DateInput(), required=False)


class EscalateForm(TokenForm):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}))
    group = forms.CharField(label="处理小组", required=False, help_text="不填则按层级默认")
    chair = forms.CharField(label="召集人", required=False)
    members = forms.CharField(label="成员", required=False)


class MeetingForm(TokenForm):
    day = forms.DateField(label="会议日期", widget=DateInput())
    attendees = forms.CharField(label="参会人员")
    options = forms.CharField(label="研究的方案", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    conclusion = forms.CharField(
        label="会议结论", widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text="有结论即本级办结计时"
    )
    tasks = forms.CharField(
        label="交办事项", widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text=TASKS_HELP
    )
    brief = forms.ModelChoiceField(
        label="附汇报(选择题)", queryset=None, required=False,
        help_text="牵头或配合单位已呈报的汇报,其方案和利弊随会议记录保存",
    )  # fmt: skip

    def __init__(self, *args, problem=None, **kwargs):
        from luoshi.reports.models import Brief

        super().__init__(*args, **kwargs)
        briefs = Brief.objects.none()
        if problem is not None:
            units = [problem.lead_unit_id, *problem.supporting.values_list("pk", flat=True)]
            briefs = Brief.objects.filter(unit_id__in=units).exclude(status=Brief.Status.DRAFT).order_by("-id")
        self.fields["brief"].queryset = briefs

    def clean_tasks(self):
        return parse_task_lines(self.cleaned_data["tasks"])


class DecisionForm(TokenForm):
    meeting = forms.CharField(label="会议", initial="县政府常务会议")
    day = forms.DateField(label="会议日期", widget=DateInput())
    attendees = forms.CharField(label="出席人员", help_text="用顿号或逗号分隔")
    absent = forms.CharField(label="缺席人员", required=False)
    category = forms.ChoiceField(label="事项类别", choices=CollectiveDecision.Category.choices)
    amount = forms.DecimalField(label="金额(万元)", required=False, max_digits=14, decimal_places=2)
    matter = forms.CharField(label="决策事项", widget=forms.Textarea(attrs={"rows": 2}))
    consensus = forms.BooleanField(label="一致同意", required=False)
    votes_for = forms.IntegerField(label="赞成", min_value=0, required=False)
    votes_against = forms.IntegerField(label="反对", min_value=0, required=False)
    votes_abstain = forms.IntegerField(label="弃权", min_value=0, required=False)
    dissent = forms.CharField(
        label="不同意见", widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text="每行一条:姓名|意见"
    )
    resolution = forms.CharField(label="议定事项", widget=forms.Textarea(attrs={"rows": 3}))
    tasks = forms.CharField(
        label="交办事项", widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text=TASKS_HELP
    )
    correction_reason = forms.CharField(label="更正理由", required=False, help_text="更正已记录的决策时必填")

    def clean_tasks(self):
        return parse_task_lines(self.cleaned_data["tasks"])

    def to_input(self) -> DecisionInput:
        data = self.cleaned_data
        dissent = [{"name": person["name"], "opinion": person["role"]} for person in _people(data["dissent"])]
        return DecisionInput(
            meeting=data["meeting"], day=data["day"], attendees=split_names(data["attendees"]),
            absent=split_names(data["absent"]), category=data["category"], amount=data["amount"],
            matter=data["matter"], resolution=data["resolution"], consensus=data["consensus"],
            votes_for=data["votes_for"], votes_against=data["votes_against"], votes_abstain=data["votes_abstain"],
            dissent=dissent,
        )  # fmt: skip


class CloseForm(forms.Form):
    resolved = forms.TypedChoiceField(
        label="结果", choices=[("1", "已化解"), ("0", "未化解关闭")], coerce=lambda value: value == "1"
    )
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class RiskForm(forms.Form):
    title = forms.CharField(label="风险名称", max_length=200)
    kind = forms.ChoiceField(label="类型", choices=Risk.Kind.choices)
    field = forms.ChoiceField(label="领域", choices=[(f, f) for f in RISK_FIELDS])
    likelihood = forms.IntegerField(label="可能性(1–5)", min_value=1, max_value=5)
    impact = forms.IntegerField(label="影响(1–5)", min_value=1, max_value=5)
    owner_unit = forms.ModelChoiceField(label="责任单位", queryset=Unit.objects.active())
    leader = forms.ModelChoiceField(label="责任县领导", queryset=Leader.objects.filter(active=True), required=False)
    signs = forms.CharField(label="先兆", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    cadence = forms.ChoiceField(label="评估周期", choices=Risk.Cadence.choices)


class ReviewForm(forms.Form):
    likelihood = forms.IntegerField(label="可能性(1–5)", min_value=1, max_value=5)
    impact = forms.IntegerField(label="影响(1–5)", min_value=1, max_value=5)
    note = forms.CharField(label="评估意见", required=False)


class ObservationForm(forms.Form):
    day = forms.DateField(label="日期", widget=DateInput())
    text = forms.CharField(label="观察到的先兆")


class AccountabilityForm(forms.Form):
    case = forms.CharField(label="案由", max_length=200)
    unit = forms.ModelChoiceField(label="涉及单位", queryset=Unit.objects.active())
    people = forms.CharField(label="涉及人员")
    facts = forms.CharField(label="基本事实", widget=forms.Textarea(attrs={"rows": 3}))
    intentional = forms.BooleanField(label="主观故意?", required=False)
    intentional_evidence = forms.CharField(label="主观故意的证据", required=False)
    malicious = forms.BooleanField(label="恶意?", required=False)
    malicious_evidence = forms.CharField(label="恶意的证据", required=False)
    serious = forms.BooleanField(label="造成严重后果?", required=False)
    serious_evidence = forms.CharField(label="严重后果的证据", required=False)

    def answers(self) -> dict[str, tuple[bool, str]]:
        data = self.cleaned_data
        return {key: (data[key], data[f"{key}_evidence"]) for key in ("intentional", "malicious", "serious")}


class AccountabilityDecideForm(forms.Form):
    accountable = forms.TypedChoiceField(
        label="决定", choices=[("0", "不予问责"), ("1", "予以问责")], coerce=lambda value: value == "1"
    )
    grounds = forms.CharField(label="决定依据", widget=forms.Textarea(attrs={"rows": 2}))
    against_reason = forms.CharField(
        label="与建议不一致的理由", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


# --- 专班 (task force) -------------------------------------------------------------


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def _absent_reasons(text: str) -> dict[str, str]:
    reasons = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in re.split(r"[|｜]", line, maxsplit=1)]
        if not parts[0]:
            raise forms.ValidationError(f"缺席原因第 {number} 行应写成“姓名|原因”。")
        reasons[parts[0]] = parts[1] if len(parts) > 1 else ""
    return reasons


class TaskForceMembersForm(forms.Form):
    members = forms.CharField(
        label="专班成员", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="用顿号分隔,如:王局长(自然资源局)、李主任(信访局)",
    )  # fmt: skip


class TaskForceScheduleForm(TokenForm):
    day = forms.DateField(label="会议日期", widget=DateInput())
    start = forms.TimeField(label="开始时间", widget=TimeInput(), required=False)
    place = forms.CharField(label="地点", max_length=100, required=False)
    topic = forms.CharField(label="议题", max_length=300)


class TaskForceRecordForm(forms.Form):
    """Attendance from the members' list, plus anyone else present (列席), the absentees' reasons, the minutes."""

    attendees = forms.MultipleChoiceField(label="出席的专班成员", required=False, widget=forms.CheckboxSelectMultiple)
    others = forms.CharField(label="其他出席(列席)人员", required=False, help_text="用顿号分隔")
    absent_reasons = forms.CharField(
        label="缺席原因", widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text="每行一人:姓名|原因"
    )
    minutes = forms.CharField(label="会议纪要", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, members: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].choices = [(name, name) for name in members]

    def clean_absent_reasons(self):
        return _absent_reasons(self.cleaned_data["absent_reasons"])

    def present(self) -> list[str]:
        return [*self.cleaned_data["attendees"], *split_names(self.cleaned_data["others"])]


class TaskForceHeldForm(TaskForceRecordForm, TaskForceScheduleForm):
    """补录 a meeting already held: when and what, then the record."""


class TaskForceMoveForm(forms.Form):
    day = forms.DateField(label="新的会议日期", widget=DateInput())
    start = forms.TimeField(label="开始时间", widget=TimeInput(), required=False)
    place = forms.CharField(label="地点", max_length=100, required=False)
    reason = forms.CharField(label="调整理由")


class TaskForceCancelForm(forms.Form):
    reason = forms.CharField(label="取消理由")
