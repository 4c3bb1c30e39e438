"""Refusals of the public side: each carries a full-sentence message and an HTTP status."""


class Refused(Exception):
    """A request from the public that cannot be accepted; ``message`` says why and what to do."""

    status = 400

    def __init__(self, message: str, *, status: int | None = None, retry_after: int | None = None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        self.retry_after = retry_after


class RateLimited(Refused):
    status = 429
