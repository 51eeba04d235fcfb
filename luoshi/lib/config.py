"""Reading settings from environment variables, refusing bad values loudly.

Every error names the variable and says, in Chinese, what would be accepted,
because the person reading it is the county's IT administrator starting the
service, not a developer.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigError(ImproperlyConfigured):
    """A setting read from the environment has a value Luoshi cannot use."""


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str | None:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        if required:
            raise ConfigError(f"配置错误:必须设置环境变量 {name}。")
        return default
    return value.strip()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ConfigError(f"配置错误:环境变量 {name}={value!r} 无法识别,应为 1/0、true/false、yes/no 或 on/off。")


def env_int(name: str, default: int, *, minimum: int = 0, maximum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise ConfigError(f"配置错误:环境变量 {name}={value!r} 应为整数。") from None
    if number < minimum or (maximum is not None and number > maximum):
        upper = f"至 {maximum}" if maximum is not None else "以上"
        raise ConfigError(f"配置错误:环境变量 {name}={number} 超出范围,应为 {minimum}{upper}。")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]
