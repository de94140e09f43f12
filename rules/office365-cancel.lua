-- Cancelling an Office 365 (Microsoft 365) subscription.
--
-- Rests on "Canceling your Office 365 subscription?" (corpus/office365/),
-- and, for who may cancel, on the admin roles "Close your account" names:
-- the article itself does not say, and both are tasks of the same Microsoft
-- 365 admin center. Rules are tried top to bottom; the first that holds
-- decides. Every number comes from a fact: f.online_cancel_max_licenses is
-- whatever the doc in force says (25 today).

local p = policy {
  id = "office365.cancel",
  product = "office365",
  action = "cancel-subscription",
}

-- "If you are a trial customer, there is nothing to cancel. Trial
-- subscriptions expire automatically unless you provide a payment method."
p:rule {
  id = "office365.cancel.trial",
  uses = { "trial_nothing_to_cancel", "trial_expires_unless_payment_method" },
  when = {
    { "the subscription is a trial",
      function(a, f) return a.subscription ~= nil and a.subscription.type == "trial" end },
    { "no payment method was given",
      function(a, f) return not a.subscription.payment_method end },
  },
  decision = "not_applicable",
  channels = {},
  because = "a trial without a payment method expires by itself: there is nothing to cancel",
}

-- Only a global or billing admin manages subscriptions: the rule shared
-- with close-account (rules/shared/office365-admin.lua), in our words.
p:use("office365.admin-role", {
  because = "only a {f.close_roles:or} can cancel a subscription",
})

-- "If you have fewer than 25 assigned licenses, you can cancel your
-- subscription online."
p:rule {
  id = "office365.cancel.online",
  uses = { "online_cancel_max_licenses", "close_roles" },
  -- Without a license count there is no comparing it: needs_input.
  inputs = { "assigned_licenses" },
  when = {
    { "fewer assigned licenses than the online limit",
      function(a, f) return a.assigned_licenses < f.online_cancel_max_licenses end },
  },
  decision = "allow",
  channels = { "online" },
  required_roles = "close_roles",
  because = "{a.assigned_licenses} assigned licenses is fewer than {f.online_cancel_max_licenses}",
}

-- "If you have more than 25 assigned licenses, you can either remove users
-- until you have fewer than 25, or use the "Let us call you" option."
-- The ways out change with the version: 2020-11 says only "call support to
-- cancel", 2021-08 "reduce to fewer than 25, or call support". So the rule
-- rests on the limit and who may cancel; removing users is offered where
-- the version in force says so, support always.
-- The doc says nothing of exactly 25; such an account cannot cancel online
-- either, so it gets the same way out (docrules validate reports the gap).
p:rule {
  id = "office365.cancel.license-threshold",
  uses = { "online_cancel_max_licenses", "close_roles" },
  optional = { "remove_users_above_licenses", "support_calls_you" },
  inputs = { "assigned_licenses" },
  when = {
    { "at least as many assigned licenses as the online limit",
      function(a, f) return a.assigned_licenses >= f.online_cancel_max_licenses end },
  },
  decision = "escalate",
  channels = { "support" },
  required_roles = "close_roles",
  because = "{a.assigned_licenses} assigned licenses is not fewer than {f.online_cancel_max_licenses}",
  remedies = function(a, f)
    local ways = {}
    if f.remove_users_above_licenses then
      ways[#ways + 1] = { id = "remove_users", count = a.assigned_licenses - f.online_cancel_max_licenses + 1 }
    end
    ways[#ways + 1] = { id = "contact_support" }
    return ways
  end,
}

-- "Refund: Any prorated credit will be returned to you within the next
-- billing cycle." Prorated as the contract says: amount x unused days /
-- days of the period, the request day counting as used from its start.
p:compute {
  id = "office365.cancel.refund",
  uses = { "prorated_credit_next_cycle" },
  on = { allow = true, escalate = true },
  when = {
    { "the billing period and amount are known",
      function(a, f)
        local b = a.subscription and a.subscription.billing
        return b ~= nil and b.amount ~= nil and b.period_start ~= nil and b.period_end ~= nil
      end },
  },
  set = function(a, f)
    local b = a.subscription.billing
    local first, last, today = date(b.period_start), date(b.period_end), date(a.date)
    local period = last - first
    local unused = math.max(0, math.min(period, last - today))
    local amount = prorate(money(b.amount, b.currency), unused, period)
    return { refund = { amount = money_str(amount, b.currency), currency = b.currency,
                        when = "next_billing_cycle", unused_days = unused, period_days = period } }
  end,
  because = "a prorated credit is returned within the next billing cycle",
}
