-- Cases for rules/close-account.lua.

local function account(tenant, roles)
  return { id = "m365", product = "microsoft365", action = "close-account", date = "2021-05-01",
           actor = { roles = roles or { "global_admin" } }, tenant = tenant }
end

case {
  name = "an actor without the role cannot close the account",
  account = account({ users = 1 }, { "user" }),
  -- The admin-role rule shared with office365.cancel decides, in this policy's words.
  expect = { decision = "deny", required_roles = { "global_admin", "billing_admin" },
             reasons = { { rule = "office365.admin-role",
                           message = "only a global_admin or billing_admin can close the account" } } },
}

case {
  name = "a half-finished closure: disabled subscriptions and MFA left",
  account = account { users = 1, active_subscriptions = 0, disabled_subscriptions = 2, mfa_enabled_users = 3 },
  expect = { decision = "blocked",
             remaining = { "delete_disabled_subscriptions", "disable_mfa", "delete_directory" },
             remedies = { { id = "contact_support" } },
             steps = { { n = 1, text = "In the admin center, go to the Billing > Your products page." },
                       { n = 2 }, { n = 3 }, { n = 4 }, { n = 5 }, { n = 6 } } },
}

case {
  name = "nothing done yet: all five steps, sync off first",
  account = account { users = 40, synced_from_on_premises = true, active_subscriptions = 2,
                      disabled_subscriptions = 1, mfa_enabled_users = 12 },
  expect = { decision = "blocked",
             remaining = { "delete_users", "cancel_active_subscriptions", "delete_disabled_subscriptions",
                           "disable_mfa", "delete_directory" },
             -- 40 users, of whom the doc keeps one global administrator: 39 to delete.
             remedies = { { id = "disable_directory_sync" }, { id = "remove_users", count = 39 },
                          { id = "contact_support" } } },
}

case {
  name = "only the directory left: allowed, with the last step's instructions",
  account = account { users = 1, active_subscriptions = 0, disabled_subscriptions = 0, mfa_enabled_users = 1 },
  expect = { decision = "allow", remaining = { "delete_directory" },
             steps = { { n = 1, text = "Sign in to the Azure AD admin center with a Global administrator account." },
                       { n = 2 }, { n = 3 }, { n = 4 }, { n = 5 } } },
}

case {
  name = "steps in zh-TW from the seed; a step told in paragraphs gives them",
  locale = "zh-tw",
  account = account { users = 3 },
  expect = { decision = "blocked", remaining = { "delete_users", "delete_directory" },
             steps = { { n = 1, source = { doc = "corpus/microsoft365/close-account.zh-tw.md", line = 39 } },
                       { n = 2, source = { line = 41 } }, { n = 3 }, { n = 4 }, { n = 5 } } },
}
