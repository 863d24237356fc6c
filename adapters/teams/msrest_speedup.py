"""One fix to msrest (under botframework-connector) so the Teams adapter keeps up with a busy tenant.

msrest's `ClientRetryPolicy.__init__` builds its retry status list as
`[i for i in range(999) if i not in safe_codes]` with `safe_codes` a 500-item
*list*: half a million comparisons, about 3 ms of CPU, and botbuilder 4.17.1
builds two such configurations (connector client, user token client) for
every incoming activity. Measured on this project's 2-core machine, that alone
capped the server near 150 activities a second. The class attribute is only
ever used for membership, so the same codes as a frozenset give the same retry
list, in microseconds.
"""

from __future__ import annotations

from msrest.universal_http.requests import ClientRetryPolicy


def speed_up_retry_policy() -> None:
    """Make msrest's retry-policy construction linear (idempotent; same retry codes as before)."""
    codes = ClientRetryPolicy.safe_codes
    if not isinstance(codes, frozenset):
        ClientRetryPolicy.safe_codes = frozenset(codes)  # type: ignore[assignment]  # used with `in` only
