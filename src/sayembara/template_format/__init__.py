"""Competition templates: a validated YAML format describing a competition without code.

``model`` holds the typed, frozen model (:class:`~sayembara.template_format.model.Template`);
the loader turns YAML text, files, built-in names or form data into it and refuses invalid
templates with every problem, its line and a sentence saying how to fix it.
"""
