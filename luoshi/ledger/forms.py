from django import forms

from luoshi.work.forms import DateInput

from .reader import FIELDS

ACCEPT = ".xlsx,.xlsm,.xls,.ods"


class LedgerUploadForm(forms.Form):
    file = forms.FileField(
        label="任务分解表或台账(.xlsx、.xls、.ods)",
        error_messages={"empty": "文件是空的(0 字节)。请选择填好的 Excel 表格。", "required": "请选择要导入的文件。"},
    )
    base_date = forms.DateField(
        label="文件日期(可不填)",
        required=False,
        widget=DateInput(),
        help_text="用于推算“6月底”“年底前”等时限;不填则取表头上方的日期行或标题中的年份。",
    )


class MappingForm(forms.Form):
    """Which column holds which field; one select per field, over the columns of the header."""

    def __init__(self, *args, columns, mapping, **kwargs):
        super().__init__(*args, **kwargs)
        options = [("", "(不导入)")] + [(str(c.index), f"{c.letter}列「{c.header}」") for c in columns]
        for key, (label, _) in FIELDS.items():
            initial = mapping.get(key)
            self.fields[key] = forms.ChoiceField(
                label=label, choices=options, required=False, initial="" if initial is None else str(initial)
            )

    def mapping(self) -> dict[str, int]:
        return {key: int(value) for key, value in self.cleaned_data.items() if value not in ("", None)}
