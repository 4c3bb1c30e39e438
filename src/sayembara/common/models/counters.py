from django.db import models


class Counter(models.Model):
    """A shared counter of the rate limits and lockouts (common.services.counters).

    Used when no Redis is configured. On PostgreSQL the table is UNLOGGED: counters are
    written on every sign-in attempt and vote, and losing them in a crash only forgets
    some recent failures.
    """

    key = models.CharField(max_length=200, primary_key=True)
    value = models.BigIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}={self.value}"
