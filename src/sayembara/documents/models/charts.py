from django.db import models
from django.utils.translation import gettext_lazy as _


class RenderedChart(models.Model):
    """A chart drawn to SVG, kept under the hash of what it is made of (data, labels, the
    drawing code) so that every server process reads a drawing made once (drawing takes a
    noticeable time). New results make a new key; old drawings are pruned."""

    key = models.CharField(_("drawing key"), max_length=64, unique=True)
    svg = models.TextField(_("SVG"))
    created_at = models.DateTimeField(_("drawn"), auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return self.key
