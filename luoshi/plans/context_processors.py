"""A banner on every page when the working-day calendar lacks a year it needs."""

from django.utils import timezone

from luoshi.lib import workdays


def calendar_banner(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    today = timezone.localdate()
    years = [today.year]
    # The State Council publishes next year's holidays in November: from then on, ask for them.
    if today.month >= 11:
        years.append(today.year + 1)
    missing = workdays.calendar().missing_years(*years)
    return {"calendar_missing_years": missing}
