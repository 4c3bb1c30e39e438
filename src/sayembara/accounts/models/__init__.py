from .security import LoginFailure, TOTPDevice
from .user import Membership, User

__all__ = ["LoginFailure", "Membership", "TOTPDevice", "User"]
