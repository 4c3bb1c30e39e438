from .audit import AuditEvent, AuditHead

__all__ = ["AuditEvent", "AuditHead"]
