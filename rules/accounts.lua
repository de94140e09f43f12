-- The accounts the rules decide for: what can be asked, who can ask, and
-- which fields an account of each product may carry.
--
-- docrules checks every account against these declarations before any
-- rule runs: a field of the wrong kind is a bad account (exit 2, with its
-- line and column), a field its product does not declare is a warning in
-- the decision ("did you mean ...?"), or with --strict a bad account.
-- Every account also has the engine's own fields: id and product (both
-- required), date (the day of the request), locale, action and
-- actor.roles. A policy names one product and one action declared here.
--
-- Kinds: "text", "date" (YYYY-MM-DD), "count" (a whole number from 0 to 10^9),
-- "true or false", "money" (a decimal string; currency = the path of its
-- ISO 4217 code, of kind "currency"), "one of" (with the list of values).
-- A date may say after = "path": it must be later than that one.

actions { "cancel-subscription", "close-account", "reactivate-subscription" }

-- contributor: beyond the contract's list (README, "Contract additions"):
-- the Azure article names contributors among those who can cancel.
roles { "account_admin", "service_admin", "owner", "contributor", "global_admin", "billing_admin", "user" }

-- Groups of fields several products share: plain Lua lists.
local subscription = {
  { "subscription.type", "one of", { "trial", "paid", "payg", "enterprise", "free_credits" } },
  { "subscription.payment_method", "true or false" },
  { "subscription.cancelled_on", "date" },
  { "subscription.billing.period_start", "date" },
  { "subscription.billing.period_end", "date", after = "subscription.billing.period_start" },
  { "subscription.billing.amount", "money", currency = "subscription.billing.currency" },
  { "subscription.billing.currency", "currency" },
}

local support_plan = {
  { "support_plan.paid", "true or false" },
  { "support_plan.started_on", "date" },
  { "support_plan.monthly_fee", "money", currency = "support_plan.currency" },
  { "support_plan.currency", "currency" },
}

local tenant = {
  { "tenant.users", "count" },
  { "tenant.active_subscriptions", "count" },
  { "tenant.disabled_subscriptions", "count" },
  { "tenant.mfa_enabled_users", "count" },
  { "tenant.synced_from_on_premises", "true or false" },
}

-- Office 365 is sold as Microsoft 365 too: one product, two names. Its
-- accounts have licenses and a tenant (closing the account is closing it).
product "office365" {
  aliases = { "microsoft365" },
  fields = {
    { "assigned_licenses", "count" },
    subscription,
    support_plan,
    tenant,
  },
}

-- Azure accounts: the contract (CONTRACT.md) gives every product the same
-- fields, so an Azure account may carry a tenant and licenses too.
product "azure" {
  fields = {
    { "assigned_licenses", "count" },
    subscription,
    support_plan,
    tenant,
  },
}
