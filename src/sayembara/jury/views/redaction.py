"""The secretariat's redacted copies of entry documents, read by judges of blind stages."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sayembara.common.permissions import requires
from sayembara.entries.downloads import private_file_response
from sayembara.judging.models import RedactedDocument
from sayembara.judging.selectors.reading import neutral_name
from sayembara.judging.services.errors import JudgingError
from sayembara.judging.services.redaction import attach_redacted_copy, remove_redacted_copy
from sayembara.jury.loaders import document_by_pk


@requires("judging.manage_jury", loader=document_by_pk)
@require_http_methods(["GET", "POST"])
def redacted_copy(request, pk):
    """GET: the copy as judges of blind stages read it (404 when there is none). POST: upload
    a copy (``file``), or remove it (``remove``); back to the entry's documents."""
    document = request.checked_object
    if request.method == "GET":
        copy = RedactedDocument.objects.filter(document=document).first()
        if copy is None:
            raise Http404
        return private_file_response(copy.file, file_type=copy.file_type,
                                     filename=neutral_name(document, copy.file_type),
                                     download=request.GET.get("unduh") is not None)
    try:
        if request.POST.get("remove"):
            remove_redacted_copy(document=document, actor=request.user)
            messages.success(request, _("The redacted copy is removed; judges of blind stages "
                                        "read the original again, under a neutral name."))
        else:
            upload = request.FILES.get("file")
            if upload is None:
                raise JudgingError(_("Choose the file of the redacted copy to upload."))
            attach_redacted_copy(document=document, upload=upload, actor=request.user)
            messages.success(request, _("The redacted copy is stored; judges of blind stages "
                                        "now read it instead of the original."))
    except JudgingError as error:
        messages.error(request, error.message)
    return redirect(reverse("participation:entry_detail", args=[document.entry_id])
                    + f"#berkas-{document.pk}")
