-- Reactivating a cancelled Azure subscription.
--
-- Rests on the "Reactivate subscription" section of "Cancel your Azure
-- subscription": pay-as-you-go subscriptions come back in the account
-- center; others through support, within 90 days of cancelling.

local p = policy {
  id = "azure.reactivate",
  product = "azure",
  action = "reactivate-subscription",
}

local function days_since_cancel(a)
  return date(a.date) - date(a.subscription.cancelled_on)
end

p:rule {
  id = "azure.reactivate.not-cancelled",
  uses = { "payg_reactivates_in_account_center" },
  when = {
    { "the subscription was never cancelled",
      function(a, f) return a.subscription == nil or a.subscription.cancelled_on == nil end },
  },
  decision = "not_applicable",
  channels = {},
  because = "the subscription is not cancelled: there is nothing to reactivate",
}

-- "If you cancel your Pay-As-You-Go subscription accidentally, you can
-- reactivate it in the Accounts Center."
p:rule {
  id = "azure.reactivate.payg",
  uses = { "payg_reactivates_in_account_center" },
  when = {
    { "the subscription is pay-as-you-go",
      function(a, f) return a.subscription.type == "payg" end },
  },
  decision = "allow",
  channels = { "account_center" },
  because = "a pay-as-you-go subscription is reactivated in the account center",
}

-- "If your subscription is not Pay-As-You-Go, contact support within 90
-- days of cancellation to reactivate your subscription."
p:rule {
  id = "azure.reactivate.support-window",
  uses = { "reactivation_support_days" },
  when = {
    { "within the window after cancelling",
      function(a, f) return days_since_cancel(a) <= f.reactivation_support_days end },
  },
  decision = "escalate",
  channels = { "support" },
  because = function(a, f)
    return ("cancelled %d days ago: support can reactivate it within %d days"):format(
      days_since_cancel(a), f.reactivation_support_days)
  end,
  remedies = function(a, f) return { { id = "contact_support" } } end,
}

p:rule {
  id = "azure.reactivate.window-passed",
  uses = { "reactivation_support_days" },
  when = {
    { "past the window after cancelling",
      function(a, f) return days_since_cancel(a) > f.reactivation_support_days end },
  },
  decision = "deny",
  channels = {},
  because = function(a, f)
    return ("cancelled %d days ago, past the %d days in which support can reactivate it"):format(
      days_since_cancel(a), f.reactivation_support_days)
  end,
}

p:compute {
  id = "azure.reactivate.until",
  uses = { "reactivation_support_days" },
  on = { escalate = true },
  set = function(a, f)
    return { reactivation = { channels = { "support" },
      ["until"] = iso(date(a.subscription.cancelled_on) + f.reactivation_support_days) } }
  end,
  because = "the reactivation window closes this many days after cancelling",
}
