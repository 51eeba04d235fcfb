"""Background tasks of the library, run by `manage.py db_worker`."""

from datetime import date

from django_tasks import task


@task()
def key_figures_remind(day: str) -> int:
    """The day's pass over the units' key figures: linked ones refreshed, due ones reminded (notify's scheduler)."""
    from .services import key_figures_remind as remind

    return remind(date.fromisoformat(day))


@task()
def document_html_prepare(document_id: int) -> bool:
    """A new .docx's reading HTML, written before its first reader comes: mammoth takes about a second on a
    30-page file, which the reader would otherwise wait (the issue's figure: the first view ≤ 1 s)."""
    from .models import Document
    from .services import document_html

    document = Document.objects.filter(pk=document_id).first()
    return bool(document is not None and document_html(document))
