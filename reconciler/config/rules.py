"""Zoom's own rules that a configuration can break before any request is sent.

Each rule cites where Zoom states it; the seeds are the Users API documentation text.
"""

from __future__ import annotations

from itertools import pairwise

# POST /divisions: "You can add a maximum of 500 divisions in one account" (error 42006).
MAX_DIVISIONS = 500
# POST /groups: "a maximum of 5000 groups in one account".
MAX_GROUPS = 5000

# POST /users `user_info.password` (users-api.json; seeds 001 and 003): 8 to 32 characters,
# at least one letter and one number, upper and lower case, not one character repeated, and no
# run of consecutive characters. Error 1131 gives 'abcdef' and '123456' as examples of such a
# run, so six consecutive characters are refused.
PASSWORD_MIN = 8
PASSWORD_MAX = 32
PASSWORD_MAX_RUN = 5


def _longest_run(text: str) -> int:
    """The longest stretch of characters that go up or down by one code point each step."""
    if not text:
        return 0
    longest = current_up = current_down = 1
    for before, after in pairwise(text):
        step = ord(after) - ord(before)
        current_up = current_up + 1 if step == 1 else 1
        current_down = current_down + 1 if step == -1 else 1
        longest = max(longest, current_up, current_down)
    return longest


def password_problems(password: str) -> list[str]:
    """What is wrong with an autoCreate password, without ever repeating the password."""
    problems = []
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        problems.append(
            f"must have {PASSWORD_MIN} to {PASSWORD_MAX} characters (it has {len(password)})"
        )
    if not any(c.isalpha() for c in password):
        problems.append("must contain at least one letter")
    if not any(c.isdigit() for c in password):
        problems.append("must contain at least one number")
    if not (any(c.isupper() for c in password) and any(c.islower() for c in password)):
        problems.append("must contain both upper-case and lower-case letters")
    if password and len(set(password)) == 1:
        problems.append("cannot be one character repeated")
    elif _longest_run(password) > PASSWORD_MAX_RUN:
        problems.append(
            f"cannot contain more than {PASSWORD_MAX_RUN} consecutive characters such as 'abcdef' or '123456'"
        )
    return problems
