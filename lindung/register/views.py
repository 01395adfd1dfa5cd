"""The register page: the Pemda's welfare-register snapshots (DTKS, DTSEN, P3KE) and the
upload of a new extract, loaded by the background worker while the page follows it."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from lindung.accounts.access import get_scoped_or_404, request_user, require_roles
from lindung.accounts.models import Role
from lindung.common.errors_domain import ServiceError
from lindung.common.jobs import job_checked
from lindung.register import selectors, services
from lindung.register.forms import RegisterUploadForm

# Who loads the register: the Pemda's verifiers and its admin (as verification's pages).
VERIFIERS = (Role.VERIFIER, Role.ADMIN)

SNAPSHOTS_PER_PAGE = 20
RECENT_JOBS = 10


@require_roles(*VERIFIERS)
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponseBase:
    user = request_user(request)
    assert user.pemda is not None  # noqa: S101 - require_roles refuses users with no Pemda
    form = RegisterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.register_upload(
                actor=user,
                pemda=user.pemda,
                stream=upload,
                filename=upload.name,
                source=form.cleaned_data["source"],
                as_of=form.cleaned_data["as_of"],
                region_code_style=form.cleaned_data["region_code_style"],
            )
        except ServiceError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("register:job", pk=job.pk)
    snapshots = selectors.snapshot_list(user=user).select_related("loaded_by")
    page = Paginator(snapshots, SNAPSHOTS_PER_PAGE).get_page(request.GET.get("hal"))
    jobs = selectors.load_jobs(user=user)[:RECENT_JOBS]
    return render(
        request,
        "register/register.html",
        {
            "form": form,
            "page": page,
            "snapshots": page.object_list,
            # The newest snapshot is the one verification uses (selectors' order).
            "current_id": snapshots.values_list("pk", flat=True).first(),
            "jobs": jobs,
        },
    )


@require_roles(*VERIFIERS)
def register_job(request: HttpRequest, pk: int) -> HttpResponse:
    """A load's progress; the page polls while it is queued or running. The state lives in
    the database, so a reload (or another verifier) sees the same."""
    user = request_user(request)
    job = job_checked(get_scoped_or_404(selectors.load_jobs(user=user), pk=pk))
    template = "register/register_job.html#status" if request.htmx else "register/register_job.html"
    return render(request, template, {"job": job, "can_restart": job.restartable()})


@require_roles(*VERIFIERS)
@require_POST
def register_job_restart(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = request_user(request)
    job = get_scoped_or_404(selectors.load_jobs(user=user), pk=pk)
    try:
        services.register_job_restart(actor=user, job=job)
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("register:job", pk=job.pk)
