from .security import RecoveryCode, TOTPDevice
from .tokens import ApiToken
from .user import Membership, User

__all__ = ["ApiToken", "Membership", "RecoveryCode", "TOTPDevice", "User"]
