-- Cases for rules/office365-cancel.lua. Each names an account and the
-- fields its decision must have; fields not named are not checked.

local function account(t)
  local a = { id = "o365", product = "office365", date = "2020-04-20",
              actor = { roles = { "global_admin" } },
              subscription = { type = "paid", payment_method = true } }
  for k, v in pairs(t) do a[k] = v end
  return a
end

case {
  name = "24 licenses: cancel online",
  account = account { assigned_licenses = 24 },
  expect = { decision = "allow", channels = { "online" },
             reasons = { { rule = "office365.cancel.online",
                           message = "24 assigned licenses is fewer than 25",
                           source = { doc = "corpus/office365/cancel-subscription.zh-tw.md", line = 28,
                                      fact = "online_cancel_max_licenses", value = 25 } } } },
}

case {
  name = "no license count: the rule needs it, and no 0 is invented",
  account = account {},
  expect = { decision = "needs_input", channels = {}, missing = { "assigned_licenses" },
             reasons = { { rule = "office365.cancel.online",
                           message = "rule office365.cancel.online needs assigned_licenses, which the account does not give" } } },
}

case {
  name = "25 licenses: the doc's gap, treated as over the limit",
  account = account { assigned_licenses = 25 },
  expect = { decision = "escalate", channels = { "support" },
             remedies = { { id = "remove_users", count = 1 }, { id = "contact_support" } } },
}

case {
  name = "26 licenses: remove 2 users or call",
  account = account { assigned_licenses = 26 },
  expect = { decision = "escalate", remedies = { { id = "remove_users", count = 2 }, { id = "contact_support" } } },
}

case {
  name = "trial without a payment method: nothing to cancel",
  account = account { assigned_licenses = 3, subscription = { type = "trial", payment_method = false } },
  expect = { decision = "not_applicable", channels = {}, refund = "<absent>" },
}

case {
  name = "trial with a payment method cancels like any subscription",
  account = account { assigned_licenses = 3, subscription = { type = "trial", payment_method = true } },
  expect = { decision = "allow", channels = { "online" } },
}

case {
  name = "a user who is not an admin cannot cancel",
  account = account { assigned_licenses = 3, actor = { roles = { "user" } } },
  -- The admin-role rule shared with close-account decides, in this policy's words.
  expect = { decision = "deny", required_roles = { "global_admin", "billing_admin" }, channels = {},
             reasons = { { rule = "office365.admin-role",
                           message = "only a global_admin or billing_admin can cancel a subscription" } } },
}

case {
  name = "microsoft365 is the same product",
  account = account { product = "microsoft365", assigned_licenses = 3 },
  expect = { decision = "allow" },
}

case {
  name = "the contract's example: 30 licenses, refund 839.34 USD",
  account = account { assigned_licenses = 30,
    subscription = { type = "paid", payment_method = true,
      billing = { period_start = "2020-01-01", period_end = "2021-01-01", amount = "1200.00", currency = "USD" } } },
  expect = { decision = "escalate", remedies = { { id = "remove_users", count = 6 }, { id = "contact_support" } },
             refund = { amount = "839.34", currency = "USD", when = "next_billing_cycle" } },
}

case {
  name = "leap-year annual refund: 306 of 366 days",
  account = account { date = "2024-03-01", assigned_licenses = 5,
    subscription = { type = "paid", payment_method = true,
      billing = { period_start = "2024-01-01", period_end = "2025-01-01", amount = "365.00", currency = "USD" } } },
  expect = { refund = { amount = "305.16", currency = "USD", unused_days = 306, period_days = 366 } },
}

case {
  name = "JPY has no decimals: 12000 x 182/365 = 5983.56, rounded to 5984",
  account = account { date = "2021-10-01", assigned_licenses = 5,
    subscription = { type = "paid", payment_method = true,
      billing = { period_start = "2021-04-01", period_end = "2022-04-01", amount = "12000", currency = "JPY" } } },
  expect = { refund = { amount = "5984", currency = "JPY" } },
}

case {
  name = "cancelling on the first day of the period refunds everything",
  account = account { date = "2020-01-01", assigned_licenses = 5,
    subscription = { type = "paid", payment_method = true,
      billing = { period_start = "2020-01-01", period_end = "2021-01-01", amount = "1200.00", currency = "USD" } } },
  expect = { refund = { amount = "1200.00" } },
}

case {
  name = "half a cent rounds up: 0.05 x 1/2 = 0.025 -> 0.03",
  account = account { date = "2021-01-02", assigned_licenses = 5,
    subscription = { type = "paid", payment_method = true,
      billing = { period_start = "2021-01-01", period_end = "2021-01-03", amount = "0.05", currency = "USD" } } },
  expect = { refund = { amount = "0.03" } },
}

-- As of 2019 the doc promised no refund. Nor does the close-account doc
-- in force then (the undated English one) say who may act: its only
-- "global admin" is the MFA step's account that stays enabled, which is no
-- statement of the roles. So no rule applies, and nothing is refunded.
case {
  name = "as of 2019 the doc promised no refund: no refund field",
  as_of = "2019-01-01",
  account = account { assigned_licenses = 5,
    subscription = { type = "paid", payment_method = true,
      billing = { period_start = "2020-01-01", period_end = "2021-01-01", amount = "1200.00", currency = "USD" } } },
  expect = { decision = "no_rule", refund = "<absent>" },
}
