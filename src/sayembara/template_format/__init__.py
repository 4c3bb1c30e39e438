"""Competition templates: a validated YAML format describing a competition without code.

``model`` holds the typed, frozen model (:class:`~sayembara.template_format.model.Template`);
the loader turns YAML text, files, built-in names or form data into it and refuses invalid
templates with every problem, its line and a sentence saying how to fix it. The format is
documented in ``docs/templates.md``.
"""

from .errors import Problem, TemplateError
from .loader import BuiltinTemplate, list_builtin, load_template, parse_template, validate_data
from .model import Template

__all__ = [
    "BuiltinTemplate",
    "Problem",
    "Template",
    "TemplateError",
    "list_builtin",
    "load_template",
    "parse_template",
    "validate_data",
]
