from django import forms

from luoshi.lib.errors import ActionError
from luoshi.org.models import Leader, Unit
from luoshi.work.attachments import attachment_check
from luoshi.work.forms import DateInput, TokenForm, new_token
from luoshi.work.models import Task

from .models import CityInitiative, County, Indicator, PeerPractice

ACCEPT = ".xlsx,.xlsm,.xls,.ods"


class SheetUploadForm(forms.Form):
    file = forms.FileField(
        label="统计局通报表(.xlsx、.xls、.ods)",
        error_messages={"empty": "文件是空的(0 字节)。请选择通报表格。", "required": "请选择要导入的文件。"},
    )
    year = forms.IntegerField(label="通报年份(可不填)", required=False, min_value=2000, max_value=2100)
    month = forms.IntegerField(label="通报月份(可不填)", required=False, min_value=1, max_value=12,
                               help_text="不填则从标题读取,如“2026年1-10月”。")  # fmt: skip


class PeriodForm(forms.Form):
    year = forms.IntegerField(label="年份", min_value=2000, max_value=2100)
    month = forms.IntegerField(label="月份", min_value=1, max_value=12, help_text="季度指标填季末月,年度指标填12")


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["name", "measure", "category", "direction", "period_kind", "basis", "rule", "rule_k",
                  "responsible_unit", "leader", "unit_may_enter", "order", "active"]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_unit"].queryset = Unit.objects.active()
        self.fields["leader"].queryset = Leader.objects.filter(active=True)


class CountyForm(forms.ModelForm):
    class Meta:
        model = County
        fields = ["name", "is_ours", "order", "active"]

    def _get_validation_exclusions(self):
        # Marking another county as ours moves the mark (services.county_save), rather than clashing with it.
        exclusions = super()._get_validation_exclusions()
        exclusions.add("is_ours")
        return exclusions


class AliasForm(forms.Form):
    county = forms.ModelChoiceField(label="县(市、区)", queryset=County.objects.all())
    alias = forms.CharField(label="别名", max_length=50)


class _Once(forms.ModelForm):
    """A hidden one-time token: a second submit of the same new record creates nothing."""

    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("token", new_token())


class InitiativeForm(_Once):
    task_ids = forms.CharField(label="关联事项编号", required=False, help_text="督办事项的编号,逗号分隔")

    class Meta:
        model = CityInitiative
        fields = ["title", "expected_on", "source_kind", "source", "competitors", "lead_unit", "leader", "ready_on",
                  "result", "held_on", "note"]  # fmt: skip
        widgets = {"expected_on": DateInput(), "ready_on": DateInput(), "held_on": DateInput(),
                   "competitors": forms.CheckboxSelectMultiple}  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competitors"].queryset = County.objects.filter(active=True, is_ours=False)
        self.fields["lead_unit"].queryset = Unit.objects.active()
        self.fields["leader"].queryset = Leader.objects.filter(active=True)
        if self.instance.pk:
            self.fields["task_ids"].initial = ",".join(str(t.pk) for t in self.instance.tasks.all())

    def clean_task_ids(self):
        text = self.cleaned_data["task_ids"].replace(",", ",").replace(" ", "")
        ids = [part for part in text.split(",") if part]
        if any(not part.isdigit() for part in ids):
            raise forms.ValidationError("事项编号应为数字,用逗号分隔。")
        tasks = list(Task.objects.filter(pk__in=ids))
        missing = set(map(int, ids)) - {t.pk for t in tasks}
        if missing:
            raise forms.ValidationError(f"没有编号为 {'、'.join(map(str, sorted(missing)))} 的事项。")
        return tasks


class PracticeForm(_Once):
    class Meta:
        model = PeerPractice
        fields = ["county", "title", "field", "indicator", "unit", "money", "people", "mechanism", "problems",
                  "sources", "attachment", "cost", "results"]  # fmt: skip
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in ("money", "people", "mechanism", "problems",
                                                                          "sources")}  # fmt: skip

    def clean_attachment(self):
        """A source file is checked by its content, as a task's attachments are."""
        upload = self.cleaned_data.get("attachment")
        if upload and hasattr(upload, "read") and not getattr(upload, "_committed", False):
            content = upload.read()
            upload.seek(0)
            try:
                attachment_check(upload.name, content)
            except ActionError as exc:
                raise forms.ValidationError(exc.message) from None
        return upload


class AdoptForm(TokenForm):
    lead = forms.ModelChoiceField(label="牵头单位", queryset=Unit.objects.active())
    leader = forms.ModelChoiceField(label="责任县领导", queryset=Leader.objects.filter(active=True), required=False)
    deadline = forms.DateField(label="完成时限", widget=DateInput())
    titles = forms.CharField(label="借鉴措施(每行一项,各为一个督办事项)", widget=forms.Textarea(attrs={"rows": 4}))
