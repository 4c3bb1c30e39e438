from .entry import Entry, EntryStateChange
from .institution import Institution

__all__ = ["Entry", "EntryStateChange", "Institution"]
