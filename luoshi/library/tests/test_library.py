"""The policy library: upload and proposals, confirmation, search in Chinese, reading online, who sees what."""

import io
import uuid
from datetime import date

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.intake.reading import read_text
from luoshi.library import services
from luoshi.library.models import Document
from luoshi.library.search import number_key, parse_query

NOTICE = """县人民政府办公室关于开展河湖保洁专项行动的通知
县政办〔2024〕12号
各乡镇人民政府,县直各单位:
为落实河长制,改善人居环境,决定在全县开展河湖保洁专项行动。
一、工作目标
年底前实现河湖保洁常态化,主要河道无垃圾、无漂浮物。
二、主要任务
(一)清理河道垃圾
各乡镇对辖区河道开展拉网式排查,清理河湖保洁死角。
(二)建立长效机制
落实河湖保洁责任,纳入督查督办。
县人民政府办公室
2024年3月15日"""


def _doc(personas, text=NOTICE, **changes):
    document = services.document_create(source=read_text(text), by=personas.office)
    for name, value in changes.items():
        setattr(document, name, value)
    if changes:
        services._index(document)
        document.save()
    return document


def test_upload_proposes_number_issuer_and_date_and_the_form_confirms_them(client, personas):
    client.force_login(personas.office)
    response = client.post("/library/upload/", {"text": NOTICE, "token": uuid.uuid4().hex})
    document = Document.objects.get()
    assert response.url == f"/library/{document.pk}/edit/"
    assert (document.number, document.issuer, str(document.issued_on)) == (
        "县政办〔2024〕12号",
        "县人民政府办公室",
        "2024-03-15",
    )
    page = client.get(response.url).content.decode()
    assert "县政办〔2024〕12号" in page and "县人民政府办公室" in page
    data = {"title": document.title, "number": "县政办〔2024〕12号", "issuer": "县人民政府办公室", "level": "county",
            "issued_on": "2024-03-15", "validity": "current", "fields": "生态环境、乡村振兴"}  # fmt: skip
    assert client.post(response.url, data).status_code == 302
    document.refresh_from_db()
    assert document.confirmed and document.field_list == ["生态环境", "乡村振兴"]


def test_a_double_submit_keeps_one_document(client, personas):
    client.force_login(personas.office)
    token = uuid.uuid4().hex
    client.post("/library/upload/", {"text": NOTICE, "token": token})
    client.post("/library/upload/", {"text": NOTICE, "token": token})
    assert Document.objects.count() == 1


def test_a_number_already_in_the_library_warns_with_a_link(client, personas):
    first = _doc(personas)
    second = _doc(personas)
    client.force_login(personas.office)
    page = client.get(f"/library/{second.pk}/edit/").content.decode()
    assert "已在文件库中" in page and f"/library/{first.pk}/" in page


def test_a_docx_upload_is_read_online_as_html_with_its_table_and_outline(client, personas):
    word = docx.Document()
    word.add_paragraph("关于优化营商环境的实施意见")
    word.add_paragraph("一、总体要求")
    word.add_paragraph("深化放管服改革。")
    table = word.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "指标", "目标值"
    buffer = io.BytesIO()
    word.save(buffer)
    client.force_login(personas.office)
    upload = SimpleUploadedFile("意见.docx", buffer.getvalue())
    client.post("/library/upload/", {"file": upload, "token": uuid.uuid4().hex})
    document = Document.objects.get()
    page = client.get(f"/library/{document.pk}/").content.decode()
    assert "<table>" in page and "目标值" in page
    assert 'href="#s1">一、总体要求' in page and 'id="s1"' in page
    assert Document.objects.get().html  # kept for the next reading


def test_a_file_that_is_not_what_its_name_says_is_refused_in_chinese(client, personas):
    client.force_login(personas.office)
    upload = SimpleUploadedFile("通知.docx", b"just text")
    page = client.post("/library/upload/", {"file": upload, "token": uuid.uuid4().hex}).content.decode()
    assert "与扩展名不符" in page and Document.objects.count() == 0


def test_search_finds_the_whole_term_ranks_and_highlights_escaped(client, personas):
    target = _doc(personas)
    _doc(personas, text="关于河道管理的意见\n河湖管理和保洁工作由各乡镇负责。\n县水利局\n2023年1月5日")
    _doc(personas, text="<b>河湖保洁</b>简报\n本月河湖保洁完成情况。\n县水利局\n2024年4月1日", number="")
    client.force_login(personas.liaison)
    body = client.get("/api/library/search", {"q": "河湖保洁"}).json()
    assert body["count"] == 2  # 河湖 … 保洁 apart is not the term
    assert body["results"][0]["id"] == target.pk
    assert "<mark>河湖保洁</mark>" in body["results"][0]["passages"][0]
    escaped = body["results"][1]["title_html"]
    assert escaped.startswith("&lt;b&gt;<mark>河湖保洁</mark>")
    page = client.get("/library/", {"q": "河湖保洁"}).content.decode()
    assert "<mark>河湖保洁</mark>" in page


@pytest.mark.parametrize("typed", ["县政办〔2024〕12号", "县政办[2024]12号", "县政办2024-12", "县政办(2024)12号"])
def test_a_number_typed_in_any_common_form_finds_the_document(client, personas, typed):
    document = _doc(personas)
    client.force_login(personas.liaison)
    body = client.get("/api/library/search", {"q": typed}).json()
    assert [row["id"] for row in body["results"]] == [document.pk]


def test_number_key_folds_the_spellings_and_refuses_other_text():
    assert number_key("豫政办〔2022〕12号") == number_key("豫政办2022-12") == "豫政办2022-12"
    assert number_key("河湖保洁") == ""


@pytest.mark.parametrize("typed", ["河", "。,!", "   "])
def test_a_one_character_or_punctuation_query_gets_a_helpful_answer(client, personas, typed):
    _doc(personas)
    client.force_login(personas.liaison)
    response = client.get("/library/", {"q": typed})
    assert response.status_code == 200
    if typed.strip():
        assert parse_query(typed).problem in response.content.decode()
        assert client.get("/api/library/search", {"q": typed}).json()["message"]


def test_filters_narrow_the_search(client, personas):
    _doc(personas)
    client.force_login(personas.liaison)
    assert client.get("/api/library/search", {"q": "河湖保洁", "year": 2024}).json()["count"] == 1
    assert client.get("/api/library/search", {"q": "河湖保洁", "year": 2023}).json()["count"] == 0
    assert client.get("/api/library/search", {"q": "河湖保洁", "validity": "repealed"}).json()["count"] == 0
    assert client.get("/api/library/search", {"q": "河湖保洁", "level": "county"}).json()["count"] == 1


def test_keywords_keep_county_terms_whole_and_link_to_search(client, personas):
    document = _doc(personas)
    assert "河湖保洁" in document.keyword_list
    client.force_login(personas.liaison)
    page = client.get(f"/library/{document.pk}/").content.decode()
    assert "?q=%E6%B2%B3%E6%B9%96%E4%BF%9D%E6%B4%81" in page


def test_reading_with_a_query_highlights_the_words_and_shows_the_outline(client, personas):
    document = _doc(personas)
    client.force_login(personas.liaison)
    page = client.get(f"/library/{document.pk}/", {"q": "河湖保洁"}).content.decode()
    assert "<mark>河湖保洁</mark>" in page
    assert 'href="#s1">一、工作目标' in page and 'href="#s3">(一)清理河道垃圾' in page


def test_an_internal_document_is_404_for_a_unit_and_missing_from_its_search(client, personas):
    document = _doc(personas, internal=True)
    client.force_login(personas.outsider)
    assert client.get(f"/library/{document.pk}/").status_code == 404
    assert client.get(f"/api/library/documents/{document.pk}").status_code == 404
    assert client.get("/api/library/search", {"q": "河湖保洁"}).json()["count"] == 0
    client.force_login(personas.office)
    assert client.get(f"/api/library/documents/{document.pk}").json()["number"] == "县政办〔2024〕12号"


def test_the_document_api_gives_particulars_and_links(client, personas):
    old = _doc(personas)
    new = _doc(
        personas, text="关于河湖保洁的新通知\n县政办〔2025〕3号\n全面推进河湖保洁。\n县人民政府办公室\n2025年1月2日"
    )
    old.validity, old.replaced_by = Document.Validity.REPEALED, new
    old.save()
    client.force_login(personas.liaison)
    body = client.get(f"/api/library/documents/{new.pk}").json()
    assert body["replaces"][0]["id"] == old.pk and body["issuer"] == "县人民政府办公室"
    assert client.get(f"/api/library/documents/{old.pk}").json()["replaced_by"]["id"] == new.pk


def test_only_the_office_uploads(client, personas):
    client.force_login(personas.liaison)
    assert client.get("/library/upload/").status_code == 404


def test_a_new_units_name_stays_whole_once_the_dictionary_is_read_again(personas, monkeypatch):
    from luoshi.library import search
    from luoshi.org.models import Unit

    search.words("预热")
    Unit.objects.create(name="蔡家岗乡", short_name="蔡家岗乡", kind=Unit.Kind.TOWNSHIP, order=99)
    monkeypatch.setattr(search, "_dictionary_read_at", -search.DICTIONARY_TTL_S)  # a minute has passed
    assert "蔡家岗乡" in search.words("蔡家岗乡开展秸秆禁烧")


def test_the_worker_writes_a_new_docx_reading_html_before_its_first_reader(client, personas, monkeypatch):
    import mammoth
    from django_tasks_db.models import DBTaskResult

    from luoshi.library.tasks import document_html_prepare

    word = docx.Document()
    word.add_paragraph("一、总体要求")
    word.add_paragraph("深化放管服改革。")
    buffer = io.BytesIO()
    word.save(buffer)
    client.force_login(personas.office)
    client.post("/library/upload/", {"file": SimpleUploadedFile("意见.docx", buffer.getvalue()), "token": "w"})
    document = Document.objects.get()
    assert not document.html
    queued = DBTaskResult.objects.get(task_path="luoshi.library.tasks.document_html_prepare")
    assert queued.args_kwargs["args"] == [document.pk]
    assert document_html_prepare.call(document.pk) is True
    assert 'id="s1"' in Document.objects.get().html
    # The reader is served the kept HTML: mammoth does not run again.
    monkeypatch.setattr(mammoth, "convert_to_html", lambda *a, **k: pytest.fail("mammoth ran at reading time"))
    page = client.get(f"/library/{document.pk}/").content.decode()
    assert "深化放管服改革" in page and 'href="#s1">一、总体要求' in page
    assert document_html_prepare.call(999_999) is False  # a document deleted meanwhile: nothing to do


def test_a_text_document_queues_no_html(personas):
    from django_tasks_db.models import DBTaskResult

    _doc(personas)
    assert not DBTaskResult.objects.filter(task_path="luoshi.library.tasks.document_html_prepare").exists()


@pytest.mark.parametrize("walk", [False, True], ids=["matches-ordered-by-the-database", "newest-walked"])
def test_search_puts_titles_first_then_the_newest_and_never_bigrams_apart(personas, monkeypatch, walk):
    """Whichever way the candidates are found (library/search.py: few matches ordered by the database, or
    the newest documents walked page by page when many match), the answer is the same: a document with
    the term in its title first, then the newest holding the term, and none holding only its bigrams."""
    from luoshi.library import search

    if walk:
        monkeypatch.setattr(search, "WALK_FROM", 0)
        monkeypatch.setattr(search, "WALK_STEP", 2)
        monkeypatch.setattr(search, "TITLE_SCAN", 0)
    monkeypatch.setattr(search, "CANDIDATES", 3)
    dated = {}
    for day in range(1, 6):
        dated[day] = _doc(personas, text=f"关于第{day}批工作的通知\n全县河湖保洁工作第{day}批。", number="",
                          issued_on=date(2024, 5, day))  # fmt: skip
    # Every bigram of 河湖保洁 (河湖, 湖保, 保洁) but not the term: never a result.
    apart = _doc(personas, text="关于河湖保护和保洁的通知\n河湖保护和保洁。", number="", issued_on=date(2024, 6, 1))
    titled = _doc(personas, text="河湖保洁简报\n正文。", number="", issued_on=date(2020, 1, 1))
    hits = search.search_documents(Document.objects.all(), search.parse_query("河湖保洁"))
    ids = [hit.document.pk for hit in hits]
    assert apart.pk not in ids
    assert ids[0] == titled.pk  # the oldest, but its title names the term
    assert set(ids[1:]) == {dated[5].pk, dated[4].pk}  # then the newest two that hold it
