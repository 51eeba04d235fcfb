"""The demo library loads once, marked as demo text, and is searchable by the demo unit's liaison."""

from luoshi.library.demo import MARK, demo_library_load
from luoshi.library.models import Document, DocumentLink, FieldVisit, KeyFigure, TypicalCase
from luoshi.org.models import User


def test_the_demo_library_loads_once_and_marks_its_texts(client, demo_county):
    assert demo_library_load() == 35
    assert demo_library_load() == 0
    written, real = Document.objects.filter(body__contains=MARK), Document.objects.exclude(body__contains=MARK)
    assert (written.count(), real.count()) == (5, 30)
    # The real ones keep their published 文号 and date, and are found by the 文号 typed another way.
    assert set(real.values_list("level", flat=True)) == {"central"} and real.filter(issued_on=None).count() == 0
    assert KeyFigure.objects.values("owner").distinct().count() == 3
    assert (FieldVisit.objects.count(), TypicalCase.objects.count()) == (2, 4)
    client.force_login(User.objects.get(username="unit"))
    body = client.get("/api/library/search", {"q": "示政办[2022]12号"}).json()
    assert [row["title"] for row in body["results"]] == ["关于加快推进高标准农田建设的通知"]
    body = client.get("/api/library/search", {"q": "国发2019-5"}).json()
    assert [row["number"] for row in body["results"]] == ["国发〔2019〕5号"]
    body = client.get("/api/library/search", {"q": "国务院令第707号"}).json()
    assert [row["title"] for row in body["results"]] == ["中华人民共和国个人所得税法实施条例"]
    body = client.get("/api/library/search", {"q": "双随机 一公开"}).json()
    assert (
        body["results"][0]["number"] == "国发〔2019〕5号" and "<mark>双随机</mark>" in body["results"][0]["title_html"]
    )
    assert DocumentLink.objects.count() >= 2
    figures = client.get("/api/library/key-figures").json()
    assert {row["unit"] for row in figures} == {"财政局"}
