"""``/api/``: the API's addresses, each declaring who may use it (for the access matrix)."""

from sayembara.api.main import api
from sayembara.common.permissions import API_TOKEN, PUBLIC, declare


def _declared(patterns):
    """Every API address declares PUBLIC, or API_TOKEN when its operations need a token."""
    for pattern in patterns:
        view = pattern.callback
        cells = [cell.cell_contents for cell in (getattr(view, "__closure__", None) or ())]
        path_view = next((c for c in cells if hasattr(c, "operations")), None)
        operations = getattr(path_view, "operations", None) or []
        needs_token = any(operation.auth_callbacks for operation in operations)
        declare(API_TOKEN if needs_token else PUBLIC)(view)
    return patterns


urls, app_name, namespace = api.urls
urlpatterns = _declared(urls)
