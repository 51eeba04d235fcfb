"""The page of a job the worker runs: its progress, refreshed by htmx, and where to go when it is done."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from .jobs import jobs_interrupted
from .models import Job


def _get_job_for_user(request, pk) -> Job:
    """A job is seen by whoever submitted it and by the office; anyone else gets a 404."""
    job = get_object_or_404(Job, pk=pk)
    if not job.visible_to(request.user):
        raise Http404
    return job


def job_detail(request, pk):
    job = _get_job_for_user(request, pk)
    if jobs_interrupted(job=job):
        job.refresh_from_db()  # its worker stopped: say so, rather than 处理中 for ever
    if request.headers.get("HX-Request"):
        if job.status == Job.Status.DONE and job.next_url and job.go_when_done:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = job.next_url
            return response
        return render(request, "ops/_job_progress.html", {"job": job})
    return render(request, "ops/job.html", {"job": job})
