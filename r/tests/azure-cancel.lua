-- Cases for rules/azure-cancel.lua and rules/azure-reactivate.lua.

local function account(t)
  local a = { id = "az", product = "azure", date = "2017-03-10",
              actor = { roles = { "account_admin" } },
              subscription = { type = "payg", cancelled_on = "2017-03-10" } }
  for k, v in pairs(t) do a[k] = v end
  return a
end

case {
  name = "the contract's example: support plan, retention and reactivation as of 2017",
  as_of = "2017-03-10",
  account = account { support_plan = { paid = true, started_on = "2017-01-15", monthly_fee = "29.00", currency = "USD" } },
  expect = { decision = "allow", channels = { "portal", "account_center" },
             support_plan = { remaining_charges = 4, amount = "116.00", currency = "USD", term_end = "2017-07-15" },
             data_retention = { days = 90, delete_after = "2017-06-08" },
             reactivation = { channels = { "account_center" }, ["until"] = "2017-06-08" } },
}

case {
  name = "support plan started on the 31st: billed on the last day of shorter months",
  as_of = "2017-03-10",
  account = account { support_plan = { paid = true, started_on = "2017-01-31", monthly_fee = "29.00", currency = "USD" } },
  -- Jan 31, Feb 28, Mar 31, Apr 30, May 31, Jun 30: four are after Mar 10.
  expect = { support_plan = { remaining_charges = 4, amount = "116.00", term_end = "2017-07-31" } },
}

case {
  name = "the steps come in the requested language",
  as_of = "2017-03-10",
  locale = "zh-tw",
  account = account {},
  expect = { steps = { { n = 1, source = { doc = "corpus/azure/cancel-subscription.zh-tw.md", line = 36 } },
                       { n = 2 }, { n = 3 }, { n = 4 } } },
}

case {
  name = "as of 2016 only the account center existed",
  as_of = "2016-12-01",
  account = account {},
  expect = { decision = "allow", channels = { "account_center" } },
}

case {
  name = "the 2019 article: portal only, delete resources first, no 6-month term",
  as_of = "2019-06-01",
  account = account { date = "2019-06-01",
    support_plan = { paid = true, started_on = "2019-01-15", monthly_fee = "29.00", currency = "USD" } },
  expect = { decision = "allow", channels = { "portal" }, before_cancel = { "delete_all_resources" },
             support_plan = "<absent>",
             steps = { { n = 1, text = "Select your subscription from the Subscriptions page in Azure portal." },
                       { n = 2 }, { n = 3 }, { n = 4 } } },
}

case {
  name = "only the account administrator can cancel",
  account = account { actor = { roles = { "service_admin" } } },
  expect = { decision = "deny", required_roles = { "account_admin" }, channels = {} },
}

case {
  name = "after cancelling: billing stops, services are disabled, final invoice for paid",
  as_of = "2017-07-01",
  account = account { date = "2017-07-01", subscription = { type = "paid", cancelled_on = "2017-07-01" } },
  expect = { after_cancel = { billing_stops = "immediately", portal_shows_within_minutes = 10,
                              services = { "vms_deallocated", "ips_released", "storage_read_only" },
                              final_invoice = true },
             reactivation = { channels = { "support" }, ["until"] = "2017-09-29" } },
}

case {
  name = "no final invoice on free credits",
  as_of = "2017-07-01",
  account = account { date = "2017-07-01", subscription = { type = "free_credits" } },
  expect = { after_cancel = { final_invoice = false } },
}

case {
  name = "reactivate pay-as-you-go in the account center",
  account = account { action = "reactivate-subscription", date = "2017-05-01" },
  expect = { decision = "allow", channels = { "account_center" } },
}

case {
  name = "reactivate a paid subscription through support on day 90",
  account = account { action = "reactivate-subscription", date = "2017-06-08",
                      subscription = { type = "paid", cancelled_on = "2017-03-10" } },
  expect = { decision = "escalate", channels = { "support" }, remedies = { { id = "contact_support" } },
             reactivation = { ["until"] = "2017-06-08" } },
}

case {
  name = "a reactivation request past the 90-day window is denied",
  account = account { action = "reactivate-subscription", date = "2017-06-09",
                      subscription = { type = "paid", cancelled_on = "2017-03-10" } },
  expect = { decision = "deny", reasons = { { rule = "azure.reactivate.window-passed",
             message = "cancelled 91 days ago, past the 90 days in which support can reactivate it" } } },
}

case {
  name = "nothing to reactivate when never cancelled",
  account = account { action = "reactivate-subscription", subscription = { type = "paid" } },
  expect = { decision = "not_applicable" },
}
