"""The demo library loads once, marked as demo text, and is searchable by the demo unit's liaison."""

from luoshi.library.demo import MARK, demo_library_load
from luoshi.library.models import Document, FieldVisit, KeyFigure, TypicalCase
from luoshi.org.models import User


def test_the_demo_library_loads_once_and_marks_its_texts(client, demo_county):
    assert demo_library_load() == 5
    assert demo_library_load() == 0
    assert all(MARK in body for body in Document.objects.values_list("body", flat=True))
    assert KeyFigure.objects.values("owner").distinct().count() == 3
    assert (FieldVisit.objects.count(), TypicalCase.objects.count()) == (2, 4)
    client.force_login(User.objects.get(username="unit"))
    body = client.get("/api/library/search", {"q": "示政办[2022]12号"}).json()
    assert [row["title"] for row in body["results"]] == ["关于加快推进高标准农田建设的通知"]
    figures = client.get("/api/library/key-figures").json()
    assert {row["unit"] for row in figures} == {"财政局"}
