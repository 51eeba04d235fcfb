"""Start-up checks of the reports app: the meeting pack's chart needs a CJK font on the server."""

from django.core import checks


@checks.register("fonts")
def cjk_font_installed(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Warn, in Chinese, when matplotlib finds no CJK font: the pack would be issued without its chart."""
    from .documents import CJK_FAMILIES, chart_font_path

    if chart_font_path() is not None:
        return []
    return [
        checks.Warning(
            "服务器上没有中文字体,常务会材料的图表无法生成(会显示为方框)。",
            hint=f"请安装中文字体后重启:apt-get install fonts-noto-cjk(可用字体:{'、'.join(CJK_FAMILIES)})。",
            id="reports.W001",
        )
    ]
