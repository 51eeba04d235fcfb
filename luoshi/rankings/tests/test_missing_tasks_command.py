"""manage.py rankings_missing_tasks: the scheduler's way to ask units for missing values."""

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.usefixtures("november_2026")


def test_the_command_asks_once_and_refuses_a_non_office_account(city, capsys):
    call_command("rankings_missing_tasks", "--by", city["p"].office.username)
    out = capsys.readouterr().out
    assert "财政局:报送“实际利用省外资金”2026年1–10月数据" in out and "交办缺数报送事项 2 项。" in out
    call_command("rankings_missing_tasks", "--by", city["p"].office.username)
    assert "交办缺数报送事项 0 项。" in capsys.readouterr().out
    with pytest.raises(CommandError, match="由督查室办理"):
        call_command("rankings_missing_tasks", "--by", city["p"].liaison.username)
    with pytest.raises(CommandError, match="没有启用的账号“nobody”"):
        call_command("rankings_missing_tasks", "--by", "nobody")
