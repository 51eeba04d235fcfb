"""Forms of the reports pages. They parse input; the services hold the rules."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone

from luoshi.work.forms import DateInput, TokenForm

from .models import NUMERALS, Brief, Circular, Notice
from .services import BriefInput, FollowUp, OptionInput

OPTION_SLOTS = 4
FOLLOW_UP_SLOTS = 2


def _text(label: str, rows: int = 4, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


class BriefForm(TokenForm):
    """A brief with up to OPTION_SLOTS options; blank option rows are dropped and the rest renumbered."""

    subject = forms.CharField(label="汇报事项", max_length=200, required=False)
    requirements = _text("上级要求", help_text="上级文件、会议、领导讲话对这项工作的要求")
    situation = _text("本县情况", rows=6, help_text="可点“插入本单位事项情况”,自动写入相关督办事项及红黄绿灯")
    peers = _text("兄弟县情况", help_text="全市其他县(市)的做法和进度")
    question = _text("请示事项", rows=3, help_text="请领导决定的具体问题")
    recommended = forms.TypedChoiceField(
        label="推荐方案", coerce=int, required=False, empty_value=None, widget=forms.RadioSelect,
        choices=[(str(n), f"方案{NUMERALS[n - 1]}") for n in range(1, OPTION_SLOTS + 1)],
    )  # fmt: skip

    def __init__(self, *args, brief: Brief | None = None, **kwargs):
        if brief is not None and "initial" not in kwargs:
            initial = {
                "subject": brief.subject,
                "requirements": brief.requirements,
                "situation": brief.situation,
                "peers": brief.peers,
                "question": brief.question,
                "recommended": str(brief.recommended) if brief.recommended else None,
            }
            for option in brief.options.all():
                initial.update(
                    {f"option{option.position}_title": option.title, f"option{option.position}_pros": option.pros,
                     f"option{option.position}_cons": option.cons}
                )  # fmt: skip
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for n in range(1, OPTION_SLOTS + 1):
            name = NUMERALS[n - 1]
            self.fields[f"option{n}_title"] = _text(f"方案{name}", rows=2)
            self.fields[f"option{n}_pros"] = _text("利", rows=2)
            self.fields[f"option{n}_cons"] = _text("弊", rows=2)

    def option_rows(self):
        return [
            (n, NUMERALS[n - 1], self[f"option{n}_title"], self[f"option{n}_pros"], self[f"option{n}_cons"])
            for n in range(1, OPTION_SLOTS + 1)
        ]

    def main_fields(self):
        return [self[name] for name in ("subject", "requirements", "situation", "peers", "question")]

    def to_input(self) -> BriefInput:
        data = self.cleaned_data
        options, numbering = [], {}
        for n in range(1, OPTION_SLOTS + 1):
            option = OptionInput(
                title=data.get(f"option{n}_title", ""),
                pros=data.get(f"option{n}_pros", ""),
                cons=data.get(f"option{n}_cons", ""),
            )
            if not option.is_blank():
                options.append(option)
                numbering[n] = len(options)
        recommended = data.get("recommended")
        if recommended is not None:
            # A recommendation on a blank row is not among the options: keep it out of range so it is refused.
            recommended = numbering.get(recommended, len(options) + recommended)
        return BriefInput(
            subject=data.get("subject", ""), requirements=data.get("requirements", ""),
            situation=data.get("situation", ""), peers=data.get("peers", ""), question=data.get("question", ""),
            options=options, recommended=recommended,
        )  # fmt: skip


class DecideForm(TokenForm):
    chosen = forms.TypedChoiceField(label="选定方案", coerce=int, widget=forms.RadioSelect)
    note = _text("领导意见", rows=3)

    def __init__(self, *args, brief: Brief, leader_units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chosen"].choices = [
            (o.position, f"方案{NUMERALS[o.position - 1]}" + ("(推荐)" if o.position == brief.recommended else ""))
            for o in brief.options.all()
        ]
        if brief.recommended:
            self.initial.setdefault("chosen", brief.recommended)
        unit_choices = [("", "—— 单位 ——")] + [(str(u.pk), u.display_name) for u in leader_units]
        self.units = {str(u.pk): u for u in leader_units}
        for n in range(1, FOLLOW_UP_SLOTS + 1):
            self.fields[f"follow{n}_title"] = forms.CharField(label=f"后续事项{n}", max_length=300, required=False)
            self.fields[f"follow{n}_lead"] = forms.ChoiceField(label="牵头单位", choices=unit_choices, required=False)
            self.fields[f"follow{n}_deadline"] = forms.DateField(label="完成时限", required=False, widget=DateInput())
            self.initial.setdefault(f"follow{n}_lead", str(brief.unit_id))

    def follow_rows(self):
        return [
            (n, self[f"follow{n}_title"], self[f"follow{n}_lead"], self[f"follow{n}_deadline"])
            for n in range(1, FOLLOW_UP_SLOTS + 1)
        ]

    def clean(self):
        data = super().clean()
        follow_ups = []
        for n in range(1, FOLLOW_UP_SLOTS + 1):
            title = (data.get(f"follow{n}_title") or "").strip()
            if not title:
                continue
            lead = self.units.get(data.get(f"follow{n}_lead") or "")
            deadline = data.get(f"follow{n}_deadline")
            if lead is None:
                self.add_error(f"follow{n}_lead", f"后续事项{n}:请选择牵头单位。")
            if deadline is None:
                self.add_error(f"follow{n}_deadline", f"后续事项{n}:请填写完成时限。")
            if lead is not None and deadline is not None:
                follow_ups.append(FollowUp(title=title, lead=lead, deadline=deadline))
        data["follow_ups"] = follow_ups
        return data


class ReturnForm(TokenForm):
    note = _text("需要补充完善的内容", rows=3)


class PackDateForm(forms.Form):
    date = forms.DateField(label="会议日期", widget=DateInput())


class CircularCreateForm(TokenForm):
    kind = forms.ChoiceField(label="通报周期", choices=Circular.PeriodKind.choices, initial="month")
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    number = forms.IntegerField(label="月份(1-12)或季度(1-4)", min_value=1, max_value=12)
    w_done = forms.IntegerField(label="办结率权重", min_value=0, max_value=100, required=False, initial=40)
    w_on_time = forms.IntegerField(label="按期办结率权重", min_value=0, max_value=100, required=False, initial=40)
    w_reports = forms.IntegerField(label="反馈及时率权重", min_value=0, max_value=100, required=False, initial=20)
    w_overdue = forms.IntegerField(label="每项逾期未办结扣分", min_value=0, max_value=100, required=False, initial=2)
    w_urges = forms.IntegerField(label="每次被催办扣分", min_value=0, max_value=100, required=False, initial=1)
    min_tasks = forms.IntegerField(
        label="参与排名的最少应办事项数", min_value=1, max_value=100, required=False, initial=3
    )

    def weights(self) -> dict:
        """The weights typed in; a field left empty keeps its default."""
        data = self.cleaned_data
        return {
            key: self.fields[f"w_{key}"].initial if data.get(f"w_{key}") is None else data[f"w_{key}"]
            for key in ("done", "on_time", "reports", "overdue", "urges")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        last_month = (today.replace(day=1) - timedelta(days=1)) if today.day < 10 else today
        self.initial.setdefault("year", last_month.year)
        self.initial.setdefault("number", last_month.month)


class CircularTextForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200)
    intro = _text("导语", rows=4)
    closing = _text("下一步要求", rows=4)


class NoticeForm(TokenForm):
    kind = forms.ChoiceField(label="类别", choices=Notice.Kind.choices, widget=forms.RadioSelect)
    message = _text("督办要求", rows=3, help_text="如:请于收到本通知单后3个工作日内书面反馈办理情况。")
