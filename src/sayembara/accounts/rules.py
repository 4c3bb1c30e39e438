"""Permission predicates of the platform administration."""

from __future__ import annotations

from typing import Any

import rules

from sayembara.accounts.selectors.roles import scopes_of


@rules.predicate
def is_platform_admin(user: Any) -> bool:
    return scopes_of(user).platform_admin


rules.add_perm("accounts.administer_platform", is_platform_admin)
