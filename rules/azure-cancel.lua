-- Cancelling an Azure subscription.
--
-- Rests on "Cancel your Azure subscription" (corpus/azure/), whichever
-- version is in force on the day asked about: the 2016 versions know only
-- the account center, 2017 adds the portal, 2019 drops the account center
-- and the 6-month support term and asks that resources be deleted first.

local p = policy {
  id = "azure.cancel",
  product = "azure",
  action = "cancel-subscription",
  -- Where the steps of each channel come from.
  channels = { portal = "portal_procedure", account_center = "account_center_procedure" },
}

-- The roles the version in force names, said for a reason: the account
-- administrator alone until 2019-10, then also owners and contributors.
local function who(roles)
  if #roles == 1 and roles[1] == "account_admin" then return "the account administrator" end
  return "the roles " .. table.concat(roles, ", ")
end

-- "Only the account administrator can cancel the subscription."
p:rule {
  id = "azure.cancel.account-admin",
  uses = { "cancel_roles" },
  when = {
    { "the actor holds none of the roles that can cancel",
      function(a, f) return not any_role(a, f.cancel_roles) end },
  },
  decision = "deny",
  channels = {},
  required_roles = "cancel_roles",
  because = function(a, f)
    return "only " .. who(f.cancel_roles) .. " can cancel an Azure subscription"
  end,
}

-- Whoever holds one of those roles cancels through whichever procedures
-- the version in force describes, the portal first.
p:rule {
  id = "azure.cancel.allow",
  uses = { "cancel_roles" },
  optional = { "portal_procedure", "account_center_procedure" },
  when = {
    { "the doc describes a way to cancel",
      function(a, f) return f.portal_procedure ~= nil or f.account_center_procedure ~= nil end },
  },
  decision = "allow",
  channels = function(a, f)
    local c = {}
    if f.portal_procedure then c[#c + 1] = "portal" end
    if f.account_center_procedure then c[#c + 1] = "account_center" end
    return c
  end,
  required_roles = "cancel_roles",
  because = function(a, f) return who(f.cancel_roles) .. " can cancel the subscription" end,
}

-- "If you cancel a paid Azure Support plan, you are still billed monthly
-- for the rest of the 6-months term." Billing days are started_on plus k
-- months (k = 0 .. term-1), each clamped to its month's end; the ones after
-- the request day are still charged.
p:compute {
  id = "azure.cancel.support-plan",
  uses = { "support_plan_term" },
  on = { allow = true },
  when = {
    { "the account has a paid support plan",
      function(a, f)
        local s = a.support_plan
        return s ~= nil and s.paid == true and s.started_on ~= nil and s.monthly_fee ~= nil
      end },
  },
  set = function(a, f)
    local s = a.support_plan
    local start, today = date(s.started_on), date(a.date)
    local left = 0
    for k = 0, f.support_plan_term - 1 do
      if add_months(start, k) > today then left = left + 1 end
    end
    return { support_plan = {
      remaining_charges = left,
      amount = money_str(money(s.monthly_fee, s.currency) * left, s.currency),
      currency = s.currency,
      term_end = iso(add_months(start, f.support_plan_term)),
    } }
  end,
  because = "a paid support plan is billed monthly for the rest of its {f.support_plan_term}-month term",
}

-- "we wait 90 days before permanently deleting your data"
p:compute {
  id = "azure.cancel.data-retention",
  uses = { "data_retention_days" },
  on = { allow = true },
  set = function(a, f)
    local from = a.subscription and a.subscription.cancelled_on or a.date
    return { data_retention = { days = f.data_retention_days,
                                delete_after = iso(date(from) + f.data_retention_days) } }
  end,
  because = "data is kept {f.data_retention_days} days after cancelling",
}

-- How a cancelled subscription comes back: pay-as-you-go in the account
-- center while its data is kept, others through support within the window.
p:compute {
  id = "azure.cancel.reactivation",
  uses = { "payg_reactivates_in_account_center" },
  optional = { "reactivation_support_days", "data_retention_days" },
  on = { allow = true },
  set = function(a, f)
    local from = date(a.subscription and a.subscription.cancelled_on or a.date)
    local payg = a.subscription and a.subscription.type == "payg"
    if payg then
      return { reactivation = { channels = { "account_center" },
        ["until"] = f.data_retention_days and iso(from + f.data_retention_days) or nil } }
    end
    if f.reactivation_support_days then
      return { reactivation = { channels = { "support" },
                                ["until"] = iso(from + f.reactivation_support_days) } }
    end
    return {}
  end,
  because = "a cancelled subscription can be reactivated",
}

-- What cancelling does, as the doc in force says it.
p:compute {
  id = "azure.cancel.after",
  uses = { "billing_stops_immediately" },
  optional = { "portal_shows_within_minutes", "services_disabled",
               "final_invoice_unless_trial_or_credits" },
  on = { allow = true },
  adds = { "after_cancel" },
  set = function(a, f)
    local t = a.subscription and a.subscription.type
    local final
    if f.final_invoice_unless_trial_or_credits then
      final = not (t == "trial" or t == "free_credits")
    end
    return { after_cancel = {
      billing_stops = "immediately",
      portal_shows_within_minutes = f.portal_shows_within_minutes,
      services = f.services_disabled,
      final_invoice = final,
    } }
  end,
  because = "billing stops at once when the subscription is cancelled",
}

-- 2019: "You must delete all resources and all resource groups. Deleting
-- them is required before you can cancel a subscription."
p:compute {
  id = "azure.cancel.delete-resources-first",
  uses = { "delete_resources_first" },
  on = { allow = true },
  adds = { "before_cancel" },
  set = function(a, f) return { before_cancel = { "delete_all_resources" } } end,
  because = "all resources and resource groups must be deleted before cancelling",
}
