"""Free-text search over tasks, on an index on both databases.

Chinese has no spaces, so `Task.search_text` holds the bigrams of the task's text
(`luoshi.lib.text.search_tokens`). The searched words become a phrase of bigrams:
河湖保洁 → "河湖 湖保 保洁", which finds 全县河湖保洁专项行动 and not 河湖 … 保洁 apart.

- PostgreSQL: a stored column search_vector = to_tsvector('simple', search_text || ' y<year>'),
  with a GIN index, queried with phraseto_tsquery. The year token lets a search within one year
  ask the index for that year's matches only, not every year's (migration 0003).
- SQLite: an FTS5 table over search_text (external content, kept in step by triggers).

The SQLite table comes from migration 0002, the PostgreSQL column from 0003. A one-character query has no bigram
and falls back to LIKE on the title and requirements.
"""

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from luoshi.lib.text import search_tokens


def task_search_text(*parts: str) -> str:
    return " ".join(search_tokens(" ".join(part or "" for part in parts)))


def task_search(queryset, text: str, *, year: int | None = None):
    """Each word must match: in the task's text, or as the name of its lead unit or its leader.

    A unit is found by its full name, short name or alias (住建局, 住房和城乡建设局), a leader by
    name (李建国): the office searches for who does the work as often as for what it is.
    """
    words = [word for word in (text or "").split() if word]
    if not words:
        return queryset
    for word in words:
        by_name = _who_q(word)
        tokens = search_tokens(word)
        # A lone Chinese character (3号, A区) has no bigram in the index: read the text instead.
        if not tokens or any(len(token) == 1 and not token.isascii() for token in tokens):
            in_text = Q(title__icontains=word) | Q(requirements__icontains=word)
            queryset = queryset.filter(in_text | by_name if by_name else in_text)
            continue
        phrase = " ".join(tokens)
        # A subquery of its own, over the index, that names no alias of the outer query: the search
        # composes with any filter and survives being used as a subquery itself (the ledger export).
        if connection.vendor == "postgresql" and year:
            matches = RawSQL(
                "SELECT id FROM work_task WHERE search_vector @@ (phraseto_tsquery('simple', %s) && %s::tsquery)",
                [phrase, f"y{int(year)}"],
            )
        else:
            matches = phrase_matches(table="work_task", phrase=phrase)
        # Only a word that names someone adds the OR, so a plain search keeps its index plan.
        queryset = queryset.filter(Q(id__in=matches) | by_name if by_name else Q(id__in=matches))
    return queryset


def _who_q(word: str) -> Q | None:
    """Tasks led by a unit, or under a leader, named `word`; None when no unit or leader is."""
    from luoshi.org.models import Leader, Unit

    if len(word) < 2:
        return None
    units = list(
        Unit.objects.filter(Q(name__icontains=word) | Q(short_name__icontains=word) | Q(aliases__alias=word))
        .values_list("pk", flat=True)
        .distinct()[:200]
    )
    leaders = list(Leader.objects.filter(name__icontains=word).values_list("pk", flat=True)[:50])
    found = None
    if units:
        found = Q(lead_unit_id__in=units)
    if leaders:
        found = found | Q(leader_id__in=leaders) if found else Q(leader_id__in=leaders)
    return found


def phrase_matches(*, table: str, phrase: str, positions: bool = True) -> RawSQL:
    """The ids of `table`'s rows whose search_text holds `phrase` (bigrams), read from its index.

    Any table indexed as work_task is: a stored `search_vector` with a GIN index on PostgreSQL,
    an FTS5 table `<table>_fts` over search_text on SQLite (the library's documents are another).
    `table` is always a name written in our code, never the user's.

    positions=False, on PostgreSQL: the rows that hold every bigram, anywhere. The GIN index answers
    that alone, where a phrase makes PostgreSQL re-read each matching row's vector for the positions
    (a second or so when a common word matches 50,000 long documents). A superset: the caller checks
    the phrase on the few rows it keeps (`phrase_holds`). SQLite's FTS5 is fast either way.
    """
    if connection.vendor == "postgresql":
        tsquery = "phraseto_tsquery" if positions else "plainto_tsquery"
        return RawSQL(f"SELECT id FROM {table} WHERE search_vector @@ {tsquery}('simple', %s)", [phrase])
    quoted = '"' + phrase.replace('"', '""') + '"'
    return RawSQL(f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH %s", [quoted])


def phrase_holds(phrases: list[str]) -> RawSQL:
    """PostgreSQL: true where the row's own search_vector holds every phrase (bigrams), position by position.

    For the rows already narrowed to a page (by id): evaluated on each, not through the index.
    """
    where = " AND ".join(["search_vector @@ phraseto_tsquery('simple', %s)"] * len(phrases))
    return RawSQL(where, phrases, output_field=BooleanField())
