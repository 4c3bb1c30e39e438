from .security import RecoveryCode, TOTPDevice
from .user import Membership, User

__all__ = ["Membership", "RecoveryCode", "TOTPDevice", "User"]
