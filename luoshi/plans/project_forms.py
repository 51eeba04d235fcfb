"""The form that makes a project from a chain template (倒排工期)."""

from django import forms
from django.utils import timezone

from luoshi.org.models import Unit
from luoshi.work.forms import DateInput, new_token

from .models import ChainTemplate


class ProjectFromTemplateForm(forms.Form):
    template = forms.ModelChoiceField(
        label="工期模板", queryset=ChainTemplate.objects.all(), empty_label=None,
        error_messages={"required": "请选择工期模板。", "invalid_choice": "所选模板不存在,请重新选择。"},
    )  # fmt: skip
    name = forms.CharField(label="项目名称", max_length=200, error_messages={"required": "请填写项目名称。"})
    unit = forms.ModelChoiceField(
        label="牵头单位", queryset=Unit.objects.active().order_by("kind", "order", "id"),
        error_messages={"required": "请选择牵头单位。", "invalid_choice": "所选单位不存在,请重新选择。"},
    )  # fmt: skip
    deadline = forms.DateField(
        label="完成时限",
        widget=DateInput(),
        error_messages={"required": "请填写完成时限。", "invalid": "日期应写成 2026-12-20。"},
    )
    start = forms.DateField(
        label="计划开始日期", required=False, widget=DateInput(), help_text="不填则从今天开始。",
        error_messages={"invalid": "日期应写成 2026-03-02。"},
    )  # fmt: skip
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("token", new_token())
            self.initial.setdefault("start", timezone.localdate())
