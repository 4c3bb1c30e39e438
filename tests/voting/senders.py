"""A code sender for tests: an SMS or WhatsApp gateway would implement the same method."""


class RecordingSender:
    sent: list = []

    def send(self, *, address, code, expires_at):
        self.sent.append((address, code))
