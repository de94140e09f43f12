#!/usr/bin/env python3
"""The bundled policies restated by hand, to check every decision make bench
times on realistic accounts (bench/gen_realistic.py): the decision and the
first channel, for a day on or after the newest version of each article in
corpus/ (2021-04-16), as a person reads the docs - not through docrules'
facts, so a fault in reading them shows up here as a difference.

    bench/realistic_oracle.py ACCOUNTS.ndjson DECISIONS.ndjson

What the docs say, as of their newest versions:
- "Cancel your Azure subscription" (2019): only the account administrator
  can cancel; through the Azure portal. Reactivating: a pay-as-you-go
  subscription in the account center; others through support within 90
  days of cancelling.
- "Canceling your Office 365 subscription?" (2020-04-18): a trial without a
  payment method has nothing to cancel; fewer than 25 assigned licenses:
  online; otherwise support (remove users, or "Let us call you").
- "Close your account" (2021-04-16): a global or billing admin; first delete
  every user but the one global admin, cancel active subscriptions, delete
  disabled ones and turn off MFA for all but the admin, then delete the
  directory online.
Both Office 365 policies ask for a global or billing admin."""
import datetime
import json
import sys

O365_ADMINS = {"global_admin", "billing_admin"}
ONLINE_MAX_LICENSES = 25
SUPPORT_REACTIVATION_DAYS = 90
USERS_KEPT = MFA_USERS_KEPT = 1


def roles(a):
    return set((a.get("actor") or {}).get("roles") or [])


def office365_cancel(a):
    sub = a.get("subscription") or {}
    if sub.get("type") == "trial" and not sub.get("payment_method"):
        return "not_applicable", None
    if not roles(a) & O365_ADMINS:
        return "deny", None
    n = a.get("assigned_licenses")
    if n is None:
        return "needs_input", None
    return ("allow", "online") if n < ONLINE_MAX_LICENSES else ("escalate", "support")


def close_account(a):
    if not roles(a) & O365_ADMINS:
        return "deny", None
    t = a.get("tenant") or {}
    outstanding = (t.get("users", USERS_KEPT) > USERS_KEPT or t.get("active_subscriptions", 0) > 0 or
                   t.get("disabled_subscriptions", 0) > 0 or t.get("mfa_enabled_users", 0) > MFA_USERS_KEPT)
    return ("blocked" if outstanding else "allow"), "online"


def azure_cancel(a):
    if "account_admin" not in roles(a):
        return "deny", None
    return "allow", "portal"


def azure_reactivate(a):
    sub = a.get("subscription")
    if not sub or not sub.get("cancelled_on"):
        return "not_applicable", None
    if sub.get("type") == "payg":
        return "allow", "account_center"
    days = (datetime.date.fromisoformat(a["date"]) - datetime.date.fromisoformat(sub["cancelled_on"])).days
    return ("escalate", "support") if days <= SUPPORT_REACTIVATION_DAYS else ("deny", None)


POLICIES = {("office365", "cancel-subscription"): office365_cancel,
            ("office365", "close-account"): close_account,
            ("azure", "cancel-subscription"): azure_cancel,
            ("azure", "reactivate-subscription"): azure_reactivate}


def expected(a):
    product = "office365" if a["product"] == "microsoft365" else a["product"]
    policy = POLICIES.get((product, a.get("action", "cancel-subscription")))
    return policy(a) if policy else ("no_rule", None)


def main():
    n = bad = 0
    with open(sys.argv[1]) as accounts, open(sys.argv[2]) as decisions:
        for la, ld in zip(accounts, decisions):
            n += 1
            a, d = json.loads(la), json.loads(ld)
            ch = d.get("channels") or []
            got = (d.get("decision"), ch[0] if ch else None)
            if got != expected(a):
                bad += 1
                if bad <= 5:
                    print("  line %d (%s): docrules %s, the docs say %s" % (n, a["id"], got, expected(a)))
    print("correctness: the bundled rules vs the policies restated by hand: %d decisions, %d differ" % (n, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
