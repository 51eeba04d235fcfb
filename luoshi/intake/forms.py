"""Forms of the document intake: the upload, a row's correction, the fills and the confirmation."""

from django import forms
from django.conf import settings

from luoshi.work.forms import DateInput, new_token
from luoshi.work.models import Task

from .reading import ACCEPT


class UploadForm(forms.Form):
    file = forms.FileField(
        label="上传文件",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text="Word(.docx)、有文字层的 PDF 或纯文本(.txt,UTF-8 或 GBK 编码),20 MB 以内。",
    )
    text = forms.CharField(
        label="或粘贴文字",
        required=False,
        widget=forms.Textarea(
            attrs={
                "rows": 6,
                "placeholder": "把讲话、会议纪要或工作报告的文字粘贴在这里",
                "maxlength": settings.LUOSHI_MAX_TEXT_CHARS,
            }
        ),
    )
    title = forms.CharField(label="文件标题", required=False, max_length=200, help_text="不填则取文件中的标题")
    source_kind = forms.ChoiceField(label="文件类型", choices=Task.SourceKind.choices, initial=Task.SourceKind.SPEECH)
    source_date = forms.DateField(
        label="文件日期",
        required=False,
        widget=DateInput(),
        help_text="“年底前”“6月底前”等按这一天所在的年份计算。不填则取文件中的日期或标题年份,再没有则按今天。",
    )

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("text") or "").strip():
            raise forms.ValidationError("请上传文件,或粘贴文字。")
        if data.get("file") and (data.get("text") or "").strip():
            raise forms.ValidationError("请只上传文件或只粘贴文字,二者选一。")
        return data


class RowForm(forms.Form):
    title = forms.CharField(
        label="事项名称", required=False, max_length=60, help_text="约30字以内;不填则按工作要求拟定"
    )
    text = forms.CharField(label="工作要求", widget=forms.Textarea(attrs={"rows": 3}))
    lead = forms.CharField(label="牵头单位", required=False, max_length=100)
    supporting = forms.CharField(label="配合单位", required=False, max_length=2000, help_text="多个单位用顿号分隔")
    leader = forms.CharField(label="责任领导", required=False, max_length=50)
    deadline = forms.CharField(
        label="完成时限",
        required=False,
        max_length=100,
        help_text="如:2022-06-30、6月底前、年底前、每月25日前、长期坚持",
    )
    accepted = forms.BooleanField(label="采纳", required=False, initial=True)


class AddRowForm(forms.Form):
    text = forms.CharField(label="工作要求", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    paragraph = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0)
    start = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0)
    end = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0)


class FillForm(forms.Form):
    lead = forms.CharField(label="未指定牵头单位的行交由", required=False, max_length=100)
    deadline = forms.CharField(label="未写时限的行统一为", required=False, max_length=100)


class DateForm(forms.Form):
    source_date = forms.DateField(label="文件日期", widget=DateInput())


class ConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["token"] = new_token()
