"""The demo's administrators of people (issue 16, 三员分立), beside review.demo_data's
users: the city bureau's user administrator, a county bureau's (who sees nothing of
the city's), and the security administrator. With `admin` (system administrator) and
`sec_auditor` (audit administrator) the three roles each have a holder; the demo runs
with DEBUG, where the superuser `admin` still logs in (config.superuser)."""

from .demo_data import CITY, UserSpec
from .states import Role

PEOPLE = [
    # 用户管理员: the city bureau's own users and their ordinary roles (/accounts/2fa/people/).
    UserSpec("user_admin", "冯静", CITY, Role.USER_ADMIN, unit=f"{CITY}-bgs"),
    UserSpec("hb_user_admin", "邓强", "hbmz", Role.USER_ADMIN),
    # 安全管理员: every role, second-factor resets, lockouts.
    UserSpec("sec_admin", "蒋涛", CITY, Role.SECURITY_ADMIN, unit=f"{CITY}-bgs"),
]
