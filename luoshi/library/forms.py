import uuid

from django import forms
from django.conf import settings

from luoshi.intake.reading import ACCEPT
from luoshi.org.models import Unit

from .models import Document


class UploadForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    file = forms.FileField(
        label="上传文件", required=False, widget=forms.ClearableFileInput(attrs={"accept": ACCEPT + ",.ofd"}),
        help_text="Word(.docx)、有文字层的 PDF、OFD 版式文件(.ofd)或纯文本(.txt),20 MB 以内。",
    )  # fmt: skip
    text = forms.CharField(
        label="或粘贴文字", required=False,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": settings.LUOSHI_MAX_TEXT_CHARS}),
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["token"].initial = uuid.uuid4().hex

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("text") or "").strip():
            raise forms.ValidationError("请上传文件,或在“或粘贴文字”中粘贴文件全文。")
        return data


class DocumentForm(forms.Form):
    title = forms.CharField(label="标题", max_length=300)
    number = forms.CharField(label="文号", max_length=100, required=False, help_text="如:豫政办〔2022〕12号")
    issuer = forms.CharField(label="发文机关", max_length=200, required=False)
    level = forms.ChoiceField(label="层级", choices=Document.Level.choices)
    issued_on = forms.DateField(label="成文日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    validity = forms.ChoiceField(label="效力", choices=Document.Validity.choices)
    replaced_by = forms.ModelChoiceField(label="替代文件(已废止时)", queryset=Document.objects.all(), required=False)
    fields = forms.CharField(label="领域", max_length=300, required=False, help_text="用顿号分隔,如:乡村振兴、土地")
    units = forms.ModelMultipleChoiceField(label="涉及单位", queryset=Unit.objects.active(), required=False)
    internal = forms.BooleanField(label="督查室内部文件(仅督查室可见)", required=False)


class KeyFigureForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    value = forms.CharField(label="数值", max_length=40, help_text="只填数字,如 12.5")
    measure = forms.CharField(label="计量单位", max_length=20, required=False, help_text="如:亿元、%、万人")
    period = forms.CharField(label="时期", max_length=50, help_text="如:2026年1-10月")
    source = forms.CharField(label="来源", max_length=200, required=False)
    cadence = forms.CharField(label="更新周期", max_length=20, required=False)
    owner = forms.ModelChoiceField(label="责任单位", queryset=Unit.objects.active(), required=False)


class VisitForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label="调研题目", max_length=200)
    unit = forms.ModelChoiceField(label="牵头单位", queryset=Unit.objects.active())
    visit_on = forms.DateField(label="调研日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    places = forms.CharField(
        label="调研地点", widget=forms.Textarea(attrs={"rows": 3}), help_text="每行一个:乡镇、村或企业"
    )
    members = forms.CharField(label="调研人员", max_length=300, required=False)
    purpose = forms.CharField(label="调研目的", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    questions = forms.CharField(
        label="要回答的问题", required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="每行一个"
    )
    document = forms.CharField(
        label="要检查落实的政策", max_length=200, required=False, help_text="文件库中的文号或标题,可留空"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["token"].initial = uuid.uuid4().hex


class CaseForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label="名称", max_length=200)
    kind = forms.ChoiceField(label="类型", choices=[("advanced", "先进典型"), ("lagging", "后进典型")])
    field = forms.CharField(label="领域", max_length=50, required=False, help_text="如:乡村振兴、营商环境")
    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.active())
    actions = forms.CharField(label="主要做法(后进典型写存在的问题)", widget=forms.Textarea(attrs={"rows": 3}))
    results = forms.CharField(
        label="成效(数据)", required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="尽量用数字"
    )
    source = forms.CharField(label="来源", max_length=200, required=False, help_text="调研、事项或汇报")
    visit = forms.ModelChoiceField(label="来源调研", queryset=None, required=False)
    initiative = forms.ModelChoiceField(label="关联现场会", queryset=None, required=False)
    practices = forms.ModelMultipleChoiceField(label="关联学左右案例", queryset=None, required=False)
    found_on = forms.DateField(label="发现日期", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user=None, **kwargs):
        from luoshi.rankings.models import CityInitiative, PeerPractice

        from .models import FieldVisit

        super().__init__(*args, **kwargs)
        self.fields["token"].initial = uuid.uuid4().hex
        self.fields["visit"].queryset = FieldVisit.objects.visible_to(user)
        self.fields["initiative"].queryset = CityInitiative.objects.all()
        self.fields["practices"].queryset = PeerPractice.objects.all()


class StepForm(forms.Form):
    stage = forms.ChoiceField(label="阶段", choices=[("found", "发现"), ("cultivated", "培育"), ("promoted", "推广")])
    day = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    what = forms.CharField(label="做了什么", widget=forms.Textarea(attrs={"rows": 2}))


class FigureLinkForm(forms.Form):
    figure = forms.IntegerField(widget=forms.HiddenInput)
    indicator = forms.ModelChoiceField(label="排名指标", queryset=None, required=False)
    plan_item = forms.ModelChoiceField(label="计划事项", queryset=None, required=False)

    def __init__(self, *args, user=None, **kwargs):
        from luoshi.plans.models import PlanItem
        from luoshi.rankings.models import Indicator

        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.filter(active=True)
        items = PlanItem.objects.select_related("plan")
        if user is not None and not user.is_office:
            items = items.filter(plan__unit_id=user.unit_id)
        self.fields["plan_item"].queryset = items
