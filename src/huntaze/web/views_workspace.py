"""POST /workspace/switch: an agency member picks the creator they work for."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huntaze.accounts.forms import WorkspaceSwitchForm
from huntaze.accounts.views_common import safe_next_path
from huntaze.web.workspace import workspace_switch


@login_required
@require_POST
def switch(request: HttpRequest) -> HttpResponse:
    form = WorkspaceSwitchForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "web/error.html",
            {"status": 400, "message": _("Choose a workspace.")},
            status=400,
        )
    if workspace_switch(request, creator_id=form.cleaned_data["creator_id"]) is None:
        return render(
            request,
            "web/error.html",
            {"status": 404, "message": _("You are not a member of this workspace.")},
            status=404,
        )
    return redirect(safe_next_path(form.cleaned_data["next"]) or "/home")
