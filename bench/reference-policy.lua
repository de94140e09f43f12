-- The reference policy of ../shared/bench (gen/reference_policy.py) as
-- docrules rules over docrules facts: the license limit and the roles come
-- from the docs, not from this file. make bench assembles it with
-- rules/facts/ into build/bench/rules.

local o365 = policy { id = "bench.office365", product = "office365", action = "cancel-subscription" }

o365:rule {
  id = "bench.o365.trial-without-payment",
  uses = { "trial_nothing_to_cancel" },
  when = function(a, f) return a.subscription.type == "trial" and a.subscription.payment_method == false end,
  decision = "not_applicable", channels = {},
}

o365:rule {
  id = "bench.o365.not-admin",
  uses = { "close_roles" },
  when = function(a, f) return not any_role(a, f.close_roles) end,
  decision = "deny", channels = {},
}

o365:rule {
  id = "bench.o365.online",
  uses = { "online_cancel_max_licenses" },
  when = function(a, f) return a.assigned_licenses < f.online_cancel_max_licenses end,
  decision = "allow", channels = { "online" },
}

o365:rule {
  id = "bench.o365.support",
  uses = { "support_calls_you" },
  when = function(a, f) return true end,
  decision = "escalate", channels = { "support" },
}

local azure = policy { id = "bench.azure", product = "azure", action = "cancel-subscription" }

azure:rule {
  id = "bench.azure.admin",
  uses = { "cancel_roles" },
  when = function(a, f) return any_role(a, f.cancel_roles) end,
  decision = "allow", channels = { "portal" },
}

azure:rule {
  id = "bench.azure.otherwise",
  uses = { "cancel_roles" },
  when = function(a, f) return true end,
  decision = "deny", channels = {},
}
