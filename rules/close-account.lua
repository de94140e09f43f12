-- Closing a Microsoft 365 account.
--
-- Rests on "Close your account" (corpus/microsoft365/): a global or billing
-- admin works through five steps in order; the account closes when the
-- directory is deleted, which needs the four before it done.

local p = policy {
  id = "close-account",
  product = "office365",
  action = "close-account",
}

-- Only a global or billing admin closes the account: the rule shared with
-- office365.cancel (rules/shared/office365-admin.lua), in our words.
p:use("office365.admin-role", {
  because = "only a {f.close_roles:or} can close the account",
})

-- What is still to do, in the doc's order. A tenant field the account does
-- not give counts as done. The users and MFA accounts that may stay come
-- from the doc ("all users except for one global administrator").
local function outstanding(a, f)
  local t = a.tenant or {}
  local r = {}
  local users_kept, mfa_kept = f.users_kept or 0, f.mfa_users_kept or 0
  if f.step_delete_users and (t.users or users_kept) > users_kept then r[#r + 1] = "delete_users" end
  if f.step_cancel_active_subscriptions and (t.active_subscriptions or 0) > 0 then
    r[#r + 1] = "cancel_active_subscriptions"
  end
  if f.step_delete_disabled_subscriptions and (t.disabled_subscriptions or 0) > 0 then
    r[#r + 1] = "delete_disabled_subscriptions"
  end
  if f.step_disable_mfa and (t.mfa_enabled_users or 0) > mfa_kept then r[#r + 1] = "disable_mfa" end
  return r
end

local step_fact = {
  delete_users = "step_delete_users",
  cancel_active_subscriptions = "step_cancel_active_subscriptions",
  delete_disabled_subscriptions = "step_delete_disabled_subscriptions",
  disable_mfa = "step_disable_mfa",
  delete_directory = "step_delete_directory",
}

-- "Delete all users except for one global administrator", "cancel all
-- active subscriptions", "delete all disabled subscriptions", "disable
-- multi-factor authentication for all but the global admin you use": the
-- directory cannot be deleted before.
p:rule {
  id = "close-account.steps-outstanding",
  uses = { "step_delete_directory", "close_roles" },
  optional = { "step_delete_users", "step_cancel_active_subscriptions",
               "step_delete_disabled_subscriptions", "step_disable_mfa",
               "users_kept", "turn_off_sync_first", "disabled_subscription_support",
               "mfa_users_kept" },
  when = {
    { "a step before deleting the directory is outstanding",
      function(a, f) return #outstanding(a, f) > 0 end },
  },
  decision = "blocked",
  channels = { "online" },
  required_roles = "close_roles",
  because = function(a, f)
    return "the directory can be deleted only after: " .. table.concat(outstanding(a, f), ", ")
  end,
  remedies = function(a, f)
    local t, r = a.tenant or {}, {}
    if f.turn_off_sync_first and t.synced_from_on_premises and
       (t.users or 0) > (f.users_kept or 0) then
      r[#r + 1] = { id = "disable_directory_sync" }
    end
    -- Then how many users to delete: all but those the doc keeps (one
    -- global administrator), when the account says how many there are.
    if f.step_delete_users and f.users_kept and t.users and t.users > f.users_kept then
      r[#r + 1] = { id = "remove_users", count = t.users - f.users_kept }
    end
    if f.disabled_subscription_support and (t.disabled_subscriptions or 0) > 0 then
      r[#r + 1] = { id = "contact_support" }
    end
    return r
  end,
  -- The steps of the first thing to do.
  steps_from = function(a, f) return step_fact[outstanding(a, f)[1]] end,
}

-- "After you complete this final step, your account with Microsoft is
-- closed and deleted."
p:rule {
  id = "close-account.delete-directory",
  uses = { "step_delete_directory", "close_roles" },
  when = {
    { "only deleting the directory is left", function(a, f) return true end },
  },
  decision = "allow",
  channels = { "online" },
  required_roles = "close_roles",
  because = "every step but deleting the directory is done",
  steps_from = "step_delete_directory",
}

p:compute {
  id = "close-account.remaining",
  uses = { "step_delete_directory" },
  optional = { "step_delete_users", "step_cancel_active_subscriptions",
               "step_delete_disabled_subscriptions", "step_disable_mfa", "users_kept",
               "mfa_users_kept" },
  on = { blocked = true, allow = true },
  set = function(a, f)
    local r = outstanding(a, f)
    r[#r + 1] = "delete_directory"
    return { remaining = r }
  end,
  because = "the steps still to do, in the doc's order",
}
