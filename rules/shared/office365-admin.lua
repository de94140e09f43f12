-- Rules more than one policy tries, declared once (rules/README.md,
-- "Sharing a rule between policies"). A policy says where it tries one
-- with p:use("id"); decisions and coverage name it by its id and this
-- file's line, whichever policy it decided for.

-- Only a global or billing admin manages the subscriptions and the account
-- of the Microsoft 365 admin center: "Close your account" names the roles,
-- and cancelling a subscription is a task of the same admin center.
shared_rule {
  id = "office365.admin-role",
  uses = { "close_roles" },
  when = {
    { "the actor is neither of the admin roles",
      function(a, f) return not any_role(a, f.close_roles) end },
  },
  decision = "deny",
  channels = {},
  required_roles = "close_roles",
  -- Each policy using it says what the actor cannot do, in its own words.
  -- (the roles as the doc names them, joined by "or": rules/README.md,
  -- "2. Write the rule", because)
  because = "only a {f.close_roles:or} can do this",
}
