#!/usr/bin/env python3
"""Accounts as billing and support systems send them to the bundled rules:
the workload make bench measures our own policies on, beside the reference
policy's.

    bench/gen_realistic.py N OUT.ndjson [SEED]

The mix (issue 15): 45% cancel an Office 365 subscription, 30% cancel an
Azure subscription, 20% close a Microsoft 365 account, 5% reactivate an
Azure subscription; request dates 2016-2026; seven locales; five
currencies; monthly and yearly billing; support plans; tenants of 1 to
2,000 users, most of them small. Every account is the contract's
(rules/accounts.lua): money is a decimal string in its currency, dates are
real days. Deterministic for a seed, so a run can be repeated and two
builds compared on the same lines."""
import datetime
import json
import random
import sys

LOCALES = ["en-us", "zh-tw", "de-de", "ja-jp", "nl-nl", "fr-fr", "ko-kr"]
CURRENCIES = [("USD", 2), ("EUR", 2), ("JPY", 0), ("TWD", 2), ("GBP", 2)]
ROLES_O365 = [["global_admin"], ["billing_admin"], ["user"], ["global_admin", "billing_admin"], ["user", "owner"]]
ROLES_AZURE = [["account_admin"], ["service_admin"], ["owner"], ["account_admin", "owner"], ["user"]]
FIRST = datetime.date(2016, 1, 1)
DAYS = (datetime.date(2026, 11, 30) - FIRST).days


def day(r, lo=0, hi=DAYS):
    return FIRST + datetime.timedelta(days=r.randint(lo, hi))


def money(r, lo, hi, digits):
    minor = r.randint(lo * 10 ** digits, hi * 10 ** digits)
    if digits == 0:
        return str(minor)
    return "%d.%0*d" % (minor // 10 ** digits, digits, minor % 10 ** digits)


def users(r):
    # Most tenants are small; a few are large.
    return min(2000, max(1, int(r.paretovariate(1.2))))


def billing(r, asked):
    cur, digits = r.choice(CURRENCIES)
    yearly = r.random() < 0.4
    start = asked - datetime.timedelta(days=r.randint(0, 360 if yearly else 29))
    months = 12 if yearly else 1
    end_month = start.month - 1 + months
    end = datetime.date(start.year + end_month // 12, end_month % 12 + 1, min(start.day, 28))
    amount = money(r, 100 if yearly else 6, 60000 if yearly else 5000, digits)
    if cur == "JPY":
        amount = str(int(float(amount)) * 100)
    return {"period_start": start.isoformat(), "period_end": end.isoformat(), "amount": amount,
            "currency": cur}


def office365_cancel(r, a, asked):
    a["actor"] = {"roles": r.choice(ROLES_O365)}
    if r.random() < 0.95:
        # Half near the doc's online limit, where a policy is easiest to get wrong.
        a["assigned_licenses"] = r.randint(1, 60) if r.random() < 0.5 else users(r)
    trial = r.random() < 0.1
    sub = {"type": "trial" if trial else "paid", "payment_method": (not trial) or r.random() < 0.3}
    if not trial and r.random() < 0.8:
        sub["billing"] = billing(r, asked)
    a["subscription"] = sub


def azure_cancel(r, a, asked):
    a["actor"] = {"roles": r.choice(ROLES_AZURE)}
    t = r.choice(["payg", "payg", "enterprise", "free_credits", "trial", "paid"])
    a["subscription"] = {"type": t, "payment_method": t not in ("trial", "free_credits")}
    if r.random() < 0.35:
        cur, digits = r.choice(CURRENCIES)
        started = asked - datetime.timedelta(days=r.randint(0, 400))
        fee = money(r, 29, 1000, digits)
        if cur == "JPY":
            fee = str(int(float(fee)) * 100)
        a["support_plan"] = {"paid": True, "started_on": started.isoformat(), "monthly_fee": fee, "currency": cur}


def close_account(r, a, asked):
    a["actor"] = {"roles": r.choice(ROLES_O365)}
    n = users(r)
    a["tenant"] = {"users": n, "synced_from_on_premises": r.random() < 0.2,
                   "active_subscriptions": r.choice([0, 0, 1, 2, 3]),
                   "disabled_subscriptions": r.choice([0, 0, 0, 1, 2]),
                   "mfa_enabled_users": r.randint(0, n)}


def azure_reactivate(r, a, asked):
    a["actor"] = {"roles": r.choice(ROLES_AZURE)}
    t = r.choice(["payg", "payg", "enterprise", "free_credits"])
    cancelled = asked - datetime.timedelta(days=r.randint(0, 120))
    a["subscription"] = {"type": t, "payment_method": True, "cancelled_on": cancelled.isoformat()}


KINDS = [(0.45, "office365", "cancel-subscription", office365_cancel),
         (0.30, "azure", "cancel-subscription", azure_cancel),
         (0.20, "microsoft365", "close-account", close_account),
         (0.05, "azure", "reactivate-subscription", azure_reactivate)]


def account(r, i):
    x = r.random()
    for share, product, action, fill in KINDS:
        if x < share:
            break
        x -= share
    asked = day(r)
    a = {"id": "acct-%07d" % i, "product": product, "date": asked.isoformat(), "locale": r.choice(LOCALES),
         "action": action}
    fill(r, a, asked)
    return a


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    r = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 15)
    with open(out, "w") as f:
        for i in range(n):
            f.write(json.dumps(account(r, i), separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
