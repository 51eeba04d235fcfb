"""Fixtures of the reports tests: the same rules and county clock as the 督办 tests."""

from luoshi.work.tests.conftest import clock, rules  # noqa: F401  (pytest finds fixtures by name)
