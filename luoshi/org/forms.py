import re

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone

from luoshi.lib.http import client_ip, user_agent

from . import services
from .models import LoginEvent, Unit, User

_LANDLINE = re.compile(r"^(0\d{2,3}-?)?\d{7,8}(-\d{1,6})?$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def lock_message(until) -> str:
    local = timezone.localtime(until)
    return (
        f"该账号连续 {settings.LUOSHI_LOGIN_MAX_FAILURES} 次密码错误,已锁定 "
        f"{settings.LUOSHI_LOGIN_LOCK_MINUTES} 分钟,请于 {local:%H:%M} 以后再试,或联系系统管理员解锁。"
    )


class LoginForm(AuthenticationForm):
    """Django's login form with an account lock after repeated wrong passwords.

    The same words answer a wrong password, an unknown user name and a disabled
    account, and unknown names lock like real ones: the page never tells
    whether a user name exists.
    """

    error_messages = {
        "invalid_login": "用户名或密码不正确。",
        "inactive": "用户名或密码不正确。",
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not username or not password:
            return self.cleaned_data
        ip, agent = client_ip(self.request), user_agent(self.request)

        until = services.login_locked_until(username=username)
        if until:
            services.login_event_record(
                kind=LoginEvent.Kind.REFUSED,
                username=username,
                user=self._known_user(username),
                ip=ip,
                user_agent=agent,
            )
            raise ValidationError(lock_message(until), code="locked")

        self.user_cache = authenticate(self.request, username=username, password=password)
        if self.user_cache is None:
            until = services.login_failure_record(
                username=username, user=self._known_user(username), ip=ip, user_agent=agent
            )
            if until:
                raise ValidationError(lock_message(until), code="locked")
            raise ValidationError(
                f"用户名或密码不正确。连续输错 {settings.LUOSHI_LOGIN_MAX_FAILURES} 次,"
                f"账号将锁定 {settings.LUOSHI_LOGIN_LOCK_MINUTES} 分钟。",
                code="invalid_login",
            )
        self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data

    @staticmethod
    def _known_user(username: str) -> User | None:
        # Only for the administrators' log; never shown on the page.
        return User.objects.filter(username=username).first()


class UnitContactForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["liaison_name", "liaison_phone", "liaison_mobile", "head_name", "head_mobile"]
        widgets = {
            "liaison_phone": forms.TextInput(attrs={"inputmode": "tel", "placeholder": "如 0371-62123456"}),
            "liaison_mobile": forms.TextInput(attrs={"inputmode": "tel", "placeholder": "11 位手机号"}),
            "head_mobile": forms.TextInput(attrs={"inputmode": "tel", "placeholder": "11 位手机号"}),
        }

    def clean_liaison_name(self):
        return self.cleaned_data["liaison_name"].strip()

    def clean_liaison_phone(self):
        value = re.sub(r"[\s()()]", "", self.cleaned_data["liaison_phone"]).replace("—", "-")
        if value and not _LANDLINE.match(value):
            raise ValidationError("办公电话格式不对,应为区号加号码,如 0371-62123456,分机写在最后:0371-62123456-801。")
        return value

    def clean_liaison_mobile(self):
        return _mobile(self.cleaned_data["liaison_mobile"])

    def clean_head_name(self):
        return self.cleaned_data["head_name"].strip()

    def clean_head_mobile(self):
        return _mobile(self.cleaned_data["head_mobile"], who="负责人")


def _mobile(value: str, who: str = "") -> str:
    value = re.sub(r"[\s-]", "", value)
    if value and not _MOBILE.match(value):
        raise ValidationError(f"{who}手机号应为 11 位数字,以 1 开头,如 13912345678。")
    return value


class OrgImportForm(forms.Form):
    file = forms.FileField(label="组织架构表(.xlsx)")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.LUOSHI_MAX_SPREADSHEET_BYTES:
            raise ValidationError(
                f"文件太大({upload.size // 1024 // 1024} MB),上限为 {settings.LUOSHI_MAX_SPREADSHEET_BYTES // 1024 // 1024} MB。"
            )
        if not upload.name.lower().endswith((".xlsx", ".xls", ".ods")):
            raise ValidationError("请上传 Excel 文件(.xlsx、.xls 或 .ods)。可先下载模板填写。")
        return upload


class CountySettingsForm(forms.Form):
    """督办设置: the default feedback cadence of imported and decomposed tasks."""

    default_cadence = forms.ChoiceField(label="默认反馈周期", choices=[])
    default_cadence_day = forms.IntegerField(
        label="反馈日",
        required=False,
        min_value=0,
        max_value=31,
        help_text="每周填1-7(周一至周日);每月、每季度末月填几号前,如25",
    )

    def __init__(self, *args, **kwargs):
        from .models import CADENCE_CHOICES

        super().__init__(*args, **kwargs)
        self.fields["default_cadence"].choices = CADENCE_CHOICES


# --- 机构改革 (org/reorg.py) ------------------------------------------------------------


class _ReorgForm(forms.Form):
    on = forms.DateField(
        label="生效日期",
        help_text="机构改革文件规定的日期;此前各期的统计仍用原名称",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    @staticmethod
    def _units():
        return Unit.objects.active().order_by("kind", "order", "id")


class ReorgRenameForm(_ReorgForm):
    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.none(), empty_label="请选择单位")
    name = forms.CharField(label="新全称", max_length=100)
    short_name = forms.CharField(
        label="新简称", max_length=50, required=False, help_text="可不填;原名称、原简称自动转为别名"
    )
    field_order = ["unit", "name", "short_name", "on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = self._units()


class ReorgMergeForm(_ReorgForm):
    sources = forms.ModelMultipleChoiceField(
        label="被合并的单位", queryset=Unit.objects.none(), widget=forms.CheckboxSelectMultiple,
        help_text="合并后这些单位停用(不删除),名称转为承接单位的别名",
    )  # fmt: skip
    into = forms.CharField(label="承接单位", max_length=100, help_text="已有单位填其全称或简称;新设单位填新全称")
    short_name = forms.CharField(label="新设单位简称", max_length=50, required=False)
    kind = forms.ChoiceField(
        label="新设单位类型", choices=[("", "同第一个被合并单位"), *Unit.Kind.choices], required=False
    )
    move_users = forms.BooleanField(label="被合并单位的账号转入承接单位", required=False, initial=True)
    field_order = ["sources", "into", "short_name", "kind", "on", "move_users"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sources"].queryset = self._units()


class ReorgSplitForm(_ReorgForm):
    source = forms.ModelChoiceField(label="被拆分的单位", queryset=Unit.objects.none(), empty_label="请选择单位")
    successors = forms.CharField(
        label="承接单位", widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一个:已有单位填其全称或简称,新设单位填新全称。在办事项默认全部转给第一个,预览后可逐项调整",
    )  # fmt: skip
    kind = forms.ChoiceField(label="新设单位类型", choices=[("", "同被拆分单位"), *Unit.Kind.choices], required=False)
    users = forms.ChoiceField(
        label="原单位的账号",
        choices=[("first", "转入第一个承接单位"), ("keep", "暂不转移,列出由管理员处理")],
        initial="first",
    )
    field_order = ["source", "successors", "kind", "on", "users"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = self._units()

    def clean_successors(self):
        from luoshi.lib.text import split_names

        names = split_names(self.cleaned_data["successors"])
        if not names:
            raise ValidationError("拆分至少需要一个承接单位,请每行填写一个。")
        return names


class ReorgDissolveForm(_ReorgForm):
    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.none(), empty_label="请选择单位")
    field_order = ["unit", "on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = self._units()
