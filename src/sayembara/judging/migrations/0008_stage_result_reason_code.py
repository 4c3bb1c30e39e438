"""A stage result keeps the engine's reason as a code with parameters, not as a sentence.

The code and parameters were already kept in ``details`` beside the sentence written in the
language of whoever computed the results; they move to columns of their own. A result
computed before the engine gave codes keeps its sentence under the code ``text``. Only these
columns change, so the time of computation (and the results bundle built for it) stays.
"""

from django.db import migrations, models

import sayembara.judging.models.scores


def converted(reason: str, details: dict) -> tuple[str, dict, dict]:
    """The reason code, its parameters and the details without them, of one stored result."""
    details = dict(details or {})
    code = details.pop("reason_code", None) or ""
    params = details.pop("reason_params", None) or {}
    if not code and reason.strip():
        code, params = "text", {"text": reason}
    return code, params, details


def to_codes(apps, schema_editor):
    StageResult = apps.get_model("judging", "StageResult")
    changed = []
    for result in StageResult.objects.only("pk", "reason", "details").iterator(chunk_size=2000):
        result.reason_code, result.reason_params, result.details = converted(result.reason,
                                                                             result.details)
        changed.append(result)
        if len(changed) == 2000:
            StageResult.objects.bulk_update(changed, ["reason_code", "reason_params", "details"])
            changed = []
    StageResult.objects.bulk_update(changed, ["reason_code", "reason_params", "details"])


def to_sentences(apps, schema_editor):
    """Back to the sentence in English (the engine's words), the code kept in ``details``."""
    from sayembara.scoring import REASON_TEXTS

    StageResult = apps.get_model("judging", "StageResult")
    changed = []
    for result in StageResult.objects.iterator(chunk_size=2000):
        code, params = result.reason_code, result.reason_params or {}
        details = dict(result.details or {})
        if code == "text":
            result.reason = params.get("text", "")
        elif code:
            text = REASON_TEXTS.get(code, code)
            try:
                result.reason = text % params if params else text
            except (KeyError, TypeError, ValueError):
                result.reason = text
            details["reason_code"] = code
            if params:
                details["reason_params"] = params
        result.details = details
        changed.append(result)
    StageResult.objects.bulk_update(changed, ["reason", "details"], batch_size=2000)


class Migration(migrations.Migration):

    dependencies = [
        ("judging", "0007_tie_order"),
    ]

    operations = [
        migrations.AddField(
            model_name="stageresult",
            name="reason_code",
            field=models.CharField(blank=True, max_length=40),
        ),
        migrations.AddField(
            model_name="stageresult",
            name="reason_params",
            field=sayembara.judging.models.scores.RowJSONField(blank=True, default=dict),
        ),
        migrations.RunPython(to_codes, to_sentences),
        migrations.RemoveField(
            model_name="stageresult",
            name="reason",
        ),
    ]
