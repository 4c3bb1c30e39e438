from .security import TOTPDevice
from .user import Membership, User

__all__ = ["Membership", "TOTPDevice", "User"]
