from django.core.management import call_command

from luoshi.problems.demo import demo_problems_load
from luoshi.problems.models import AccountabilityRecord, CollectiveDecision, Problem, Risk


def test_the_demo_county_has_eight_problems_at_different_levels_twelve_risks_and_two_records(demo_county):
    # demo_load() calls this after the tasks; the organisation alone is enough and ten times faster.
    assert demo_problems_load() == 8
    assert set(Problem.objects.values_list("level", flat=True)) == {0, 1, 2, 3}
    assert Risk.objects.count() == 12
    assert AccountabilityRecord.objects.count() == 2
    assert CollectiveDecision.objects.get().dissent[0]["name"] == "刘志强"
    decided = Problem.objects.get(title="城南安置小区3000户办证难")
    assert [link.document.number for link in decided.document_links.all()] == ["示办发〔2024〕5号"]
    assert demo_problems_load() == 0
    assert Problem.objects.count() == 8
    call_command("verify_audit")
