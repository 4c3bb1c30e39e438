"""A slot's length is told in its parts, leaving out a part of 0 minutes."""

import pytest
from django.utils import translation

from sayembara.judging.models import InterviewSlot


@pytest.mark.parametrize(("presentation", "questions", "expected"), [
    (7, 13, "7 menit presentasi, 13 menit tanya jawab"),
    (0, 15, "15 menit tanya jawab"),
    (10, 0, "10 menit presentasi"),
    (0, 0, ""),
])
def test_slot_parts_leave_out_a_part_of_zero_minutes(presentation, questions, expected):
    slot = InterviewSlot(presentation_minutes=presentation, questions_minutes=questions)
    with translation.override("id"):
        assert slot.parts == expected
