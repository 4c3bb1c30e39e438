from django.shortcuts import render

from sayembara.common.permissions import PUBLIC, requires
from sayembara.competitions.enums import EditionStatus
from sayembara.competitions.models import Edition


@requires(PUBLIC)
def index(request):
    editions = (
        Edition.objects.exclude(status=EditionStatus.DRAFT)
        .select_related("competition", "organiser")
        .order_by("-year", "title")
    )
    return render(request, "public/index.html", {"editions": editions})
