"""Forms of the working-day calendar page."""

from django import forms
from django.utils import timezone


class HolidayNoticeForm(forms.Form):
    """A year's holidays at once: the State Council's notice pasted whole, or one line per holiday."""

    year = forms.IntegerField(label="年份", min_value=2000, max_value=2100)
    text = forms.CharField(
        label="通知原文或按节日填写",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="可直接粘贴国务院办公厅关于当年部分节假日安排的通知全文;也可每个节日写一行,如:"
        "春节:2月15日至23日放假,2月14日、2月28日上班",
        error_messages={"required": "请粘贴通知原文,或按节日填写放假和上班日期。"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("year", timezone.localdate().year + 1)
