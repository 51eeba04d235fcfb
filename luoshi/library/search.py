"""Searching the library in Chinese: the task search's index, 文号 in any spelling, ranked and highlighted passages.

The words of titles and bodies are indexed as the tasks are (work/search.py): bigrams in `search_text`,
an FTS5 table on SQLite, a stored tsvector with a GIN index on PostgreSQL (migration 0002). jieba,
with a user dictionary of the county's unit names and the glossary, gives each document its keywords.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import unicodedata
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField, Case, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from luoshi.lib.text import search_tokens
from luoshi.work.search import phrase_holds, phrase_matches, task_search_text

# Terms of the county's work that jieba would otherwise cut apart.
GLOSSARY = [
    "河湖保洁", "三重一大", "放管服", "一口清", "督查督办", "乡村振兴", "招商引资", "营商环境", "河长制",
    "林长制", "人居环境", "高标准农田", "盯上看下", "解剖麻雀", "保三争一", "红黄绿灯", "现场会", "学左右",
    "灰犀牛", "黑天鹅", "三级处理", "遗留问题", "任务分解表", "专项债券", "一网通办", "最多跑一次",
]  # fmt: skip

# 豫政办〔2022〕12号, 豫政办[2022]12号, 豫政办(2022)12号, 豫政办2022-12, 豫政办〔2022〕第12号.
_NUMBER = re.compile(
    r"^(?P<prefix>[\u4e00-\u9fff]{1,20}?)\s*[〔\[【(〖]?\s*(?P<year>(?:19|20)\d{2})\s*[〕\]】)〗]?\s*[-—–_]?\s*第?\s*"
    r"(?P<no>\d{1,5})\s*号?$"
)


# A decree numbered without a year: 国令第707号, 国务院令第707号 (国令 is how the State Council writes it).
_DECREE = re.compile(r"^(?P<prefix>[\u4e00-\u9fff]{1,20}?令)\s*第?\s*(?P<no>\d{1,5})\s*号?$")


def number_key(text: str) -> str:
    """One spelling of a 文号 (豫政办2022-12, 国令-707), or "" when the text is not one."""
    folded = unicodedata.normalize("NFKC", text or "").strip()
    match = _NUMBER.match(folded)
    if match:
        return f"{match['prefix']}{match['year']}-{int(match['no'])}"
    decree = _DECREE.match(folded)
    if decree:
        prefix = "国令" if decree["prefix"] in ("国务院令", "中华人民共和国国务院令") else decree["prefix"]
        return f"{prefix}-{int(decree['no'])}"
    return ""


def document_search_text(*parts: str) -> str:
    return task_search_text(*parts)


# --- Keywords ----------------------------------------------------------------

_tokenizer_lock = threading.Lock()
_tfidf = None
_dictionary_words: frozenset[str] = frozenset()


def _user_dictionary() -> set[str]:
    from luoshi.org.models import Unit

    words = set(GLOSSARY)
    for name, short in Unit.objects.values_list("name", "short_name"):
        words.update(word for word in (name, short) if word and len(word) >= 2)
    return words


# The unit names are read again at most this often: once per document cost more than the words themselves
# when indexing in bulk (bench/library.py), and a renamed unit can wait a minute for its keywords.
DICTIONARY_TTL_S = 60.0
_dictionary_read_at = -DICTIONARY_TTL_S


def _extractor():
    """A TF-IDF extractor on a tokenizer of our own (not jieba's global one), with the user dictionary."""
    global _tfidf, _dictionary_words, _dictionary_read_at
    now = time.monotonic()
    if _tfidf is not None and now - _dictionary_read_at < DICTIONARY_TTL_S:
        return _tfidf
    words = frozenset(_user_dictionary())
    _dictionary_read_at = now
    with _tokenizer_lock:
        if _tfidf is None:
            import jieba
            import jieba.analyse

            jieba.setLogLevel(logging.WARNING)
            extractor = jieba.analyse.TFIDF()
            extractor.tokenizer = jieba.Tokenizer()
            _tfidf, _dictionary_words = extractor, frozenset()
        for word in words - _dictionary_words:
            _tfidf.tokenizer.add_word(word, freq=100000)
        _dictionary_words = _dictionary_words | words
    return _tfidf


def words(text: str) -> list[str]:
    """The text cut into words, with the county's terms kept whole."""
    return [word for word in _extractor().tokenizer.lcut(text, HMM=False) if word.strip()]


def extract_keywords(title: str, body: str, *, count: int = 8) -> list[str]:
    extractor = _extractor()
    # The title counts three times: its words are what the document is about.
    text = "\n".join([title] * 3 + [body[:KEYWORD_CHARS]])
    tags = extractor.extract_tags(text, topK=count * 2)
    return [tag for tag in tags if len(tag) >= 2 and not tag.isdigit()][:count]


# --- Searching ---------------------------------------------------------------


CANDIDATES = 60
# Keywords are drawn from the title and the head of the body, where a document states what it is about
# (its purpose, 总体要求 and first tasks). Cutting words is most of the indexing time, so the head is kept
# to 2,000 characters, about two pages.
KEYWORD_CHARS = 2000


@dataclass
class Query:
    text: str
    words: list[str] = field(default_factory=list)
    number: str = ""
    problem: str = ""


def parse_query(text: str) -> Query:
    """The searched words; a 文号; or, for a query the index cannot answer, a message saying what to type."""
    text = (text or "").strip()[:200]
    query = Query(text=text)
    if not text:
        return query
    query.number = number_key(text)
    if query.number:
        return query
    for word in text.split():
        tokens = search_tokens(word)
        if not tokens:
            continue
        if len(tokens) == 1 and len(tokens[0]) == 1 and not tokens[0].isascii():
            query.problem = f"“{word}”只有一个字,范围太宽。请输入至少两个字的词语,如“河湖保洁”“营商环境”。"
            continue
        query.words.append(word)
    if not query.words and not query.problem:
        query.problem = "请输入要查找的文字(标点符号不能用于查找),如标题中的词语或文号。"
    return query


def search_documents(queryset, query: Query):
    """The documents that hold every word (or bear the 文号), best first, with their highlighted passages."""
    if query.number:
        return [Hit(document, title=escape(document.title), passages=[]) for document in queryset.filter(
            number_key=query.number
        )]  # fmt: skip
    if not query.words:
        return []
    phrases = [" ".join(search_tokens(word)) for word in query.words]
    if connection.vendor == "postgresql":
        keep = _postgresql_candidates(queryset, query, phrases)
    else:
        keep = _sqlite_candidates(queryset, query, phrases)
    rank = {pk: place for place, pk in enumerate(keep)}
    candidates = sorted(
        queryset.model.objects.filter(pk__in=keep).defer("search_text", "html"), key=lambda d: rank[d.pk]
    )
    hits = [_hit(document, query.words) for document in candidates]
    hits.sort(key=lambda hit: -hit.score)
    return hits


# Ranking reads the matched texts, so only the best CANDIDATES are read whole: those with every word in the
# title first, then the newest. The order is taken over ids alone: a sort of whole rows would carry every
# match's body (SQLite sorted 50,000 bodies for a common word: 1.5 s).
NEWEST = ("-issued_on", "-id")


def _in_title(query: Query) -> Q:
    in_title = Q()
    for word in query.words:
        in_title &= Q(title__icontains=word)
    return in_title


def _postgresql_candidates(queryset, query: Query, phrases: list[str]) -> list[int]:
    """The GIN index finds the rows with every bigram; the phrase is checked on the first pages of them only
    (see phrase_matches): exact results without re-reading every match's vector."""
    for phrase in phrases:
        queryset = queryset.filter(id__in=phrase_matches(table="library_document", phrase=phrase, positions=False))
    ordered = queryset.annotate(
        in_title=Case(When(_in_title(query), then=Value(1)), default=Value(0), output_field=IntegerField())
    ).order_by("-in_title", *NEWEST)
    ids = list(ordered.values_list("pk", flat=True)[: CANDIDATES * 4])
    holding = set(
        queryset.model.objects.filter(pk__in=ids)
        .annotate(holds=phrase_holds(phrases))
        .filter(holds=True)
        .values_list("pk", flat=True)
    )
    return [pk for pk in ids if pk in holding][:CANDIDATES]


# A title scan stops here (see _sqlite_candidates).
TITLE_SCAN = 2000
# Below this many documents holding a query's bigrams, SQLite orders them itself; above it, the newest
# documents are walked in date order and kept when they hold them: a few hundred rows, not 50,000.
WALK_FROM = 5000
WALK_STEP = 1000


def _sqlite_candidates(queryset, query: Query, phrases: list[str]) -> list[int]:
    """The best CANDIDATES ids in three cheap steps, where one query over every match cost 200–300 ms at
    50,000 documents (issue 18: p95 ≤ 200 ms):

    1. titles holding every word, from the covering index on the title (a few ms): these documents match,
       and come first;
    2. the ids holding every bigram of every word, from FTS5 without positions (a phrase query decodes
       each match's positions: 4–6 times slower for a word in every document);
    3. the newest of those, checked for the phrases themselves in their search_text.
    """
    model = queryset.model
    in_title = _in_title(query)
    titled = list(model.objects.filter(in_title).order_by().values_list("pk", flat=True)[: TITLE_SCAN + 1])
    # Past the scan's bound, the titles are filtered with the page's other filters in one query instead.
    first = queryset.filter(in_title) if len(titled) > TITLE_SCAN else queryset.filter(pk__in=titled)
    keep = list(first.order_by(*NEWEST).values_list("pk", flat=True)[:CANDIDATES])
    if len(keep) >= CANDIDATES:
        return keep
    bigrams = dict.fromkeys(token for phrase in phrases for token in phrase.split())
    expression = " AND ".join('"' + token.replace('"', '""') + '"' for token in bigrams)
    with connection.cursor() as cursor:
        cursor.execute("SELECT rowid FROM library_document_fts WHERE library_document_fts MATCH %s", [expression])
        holding = {row[0] for row in cursor.fetchall()}
    holding.difference_update(keep)
    need = CANDIDATES - len(keep)
    if len(holding) <= WALK_FROM:
        found = list(queryset.filter(pk__in=holding).order_by(*NEWEST).values_list("pk", flat=True))
        return keep + _with_phrases(model, found, phrases)[:need]
    newest = queryset.order_by(*NEWEST).values_list("pk", flat=True)
    start = 0
    while need > 0:
        page = list(newest[start : start + WALK_STEP])
        if not page:
            break
        held = [pk for pk in page if pk in holding]
        # Nearly every document holding the bigrams holds the phrase: check a few more than are needed.
        while held and need > 0:
            checked = _with_phrases(model, held[: need + 20], phrases)[:need]
            held = held[need + 20 :]
            keep += checked
            need -= len(checked)
        start += WALK_STEP
    return keep


def _with_phrases(model, ids: list[int], phrases: list[str]) -> list[int]:
    """The ids, in their order, whose search_text holds every phrase as whole tokens."""
    found: set[int] = set()
    for chunk in range(0, len(ids), 500):
        part = ids[chunk : chunk + 500]
        holds = model.objects.filter(pk__in=part)
        for phrase in phrases:
            # Whole tokens: the phrase between spaces, in the text between spaces.
            holds = holds.filter(
                RawSQL("instr(' ' || search_text || ' ', %s) > 0", [f" {phrase} "], output_field=BooleanField())
            )
        found.update(holds.order_by().values_list("pk", flat=True))
    return [pk for pk in ids if pk in found]


@dataclass
class Hit:
    document: object
    title: SafeString
    passages: list[SafeString]
    score: float = 0.0


def _hit(document, query_words: list[str]) -> Hit:
    title, body = document.title, document.body
    score = 0.0
    for word in query_words:
        needle = word.lower()
        # A word in the title outweighs any number of mentions in the body: the title says what it is about.
        score += 60 * title.lower().count(needle) + min(body.lower().count(needle), 50)
    # Newer documents first among equals; a current one before a repealed one.
    if document.validity == "current":
        score += 0.5
    return Hit(document, title=highlight(title, query_words), passages=passages(body, query_words), score=score)


def highlight(text: str, query_words: list[str]) -> SafeString:
    """The text escaped, with each searched word in <mark>."""
    spans = _spans(text, query_words)
    out, last = [], 0
    for start, end in spans:
        out.append(escape(text[last:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        last = end
    out.append(escape(text[last:]))
    return mark_safe("".join(out))


def _spans(text: str, query_words: list[str]) -> list[tuple[int, int]]:
    lowered = text.lower()
    spans = []
    for word in query_words:
        needle = word.lower()
        start = lowered.find(needle)
        while start >= 0 and needle:
            spans.append((start, start + len(needle)))
            start = lowered.find(needle, start + len(needle))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def passages(body: str, query_words: list[str], *, count: int = 3, width: int = 40) -> list[SafeString]:
    """Up to `count` passages of the body around the matches, highlighted."""
    found, taken_until = [], -1
    for start, end in _spans(body, query_words):
        if start < taken_until:
            continue
        left = max(0, start - width)
        right = min(len(body), end + width)
        # A passage stays within its paragraph.
        left = max(left, body.rfind("\n", 0, start) + 1)
        newline = body.find("\n", end)
        if newline >= 0:
            right = min(right, newline)
        text = ("…" if left > 0 and body[left - 1] != "\n" else "") + body[left:right]
        if right < len(body) and body[right] != "\n":
            text += "…"
        found.append(highlight(text, query_words))
        taken_until = right
        if len(found) >= count:
            break
    return found
