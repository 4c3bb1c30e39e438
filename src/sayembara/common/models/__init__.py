from .audit import AuditCheckpoint, AuditEvent, AuditHead
from .counters import Counter

__all__ = ["AuditCheckpoint", "AuditEvent", "AuditHead", "Counter"]
