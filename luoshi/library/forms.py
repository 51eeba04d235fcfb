import uuid

from django import forms
from django.conf import settings

from luoshi.intake.reading import ACCEPT
from luoshi.org.models import Unit

from .models import Document


class UploadForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    file = forms.FileField(
        label="上传文件", required=False, widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text="Word(.docx)、有文字层的 PDF 或纯文本(.txt),20 MB 以内。",
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
