#!/usr/bin/env python
"""Django's command-line utility for Luoshi."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    from django.core.management import execute_from_command_line

    from luoshi.lib.config import ConfigError

    try:
        execute_from_command_line(sys.argv)
    except ConfigError as exc:
        # A configuration mistake is the administrator's to fix: say what, not where.
        sys.exit(str(exc))


if __name__ == "__main__":
    main()
