-- What "Close your account" (Microsoft 365) states: who may close it, and
-- the five steps in their order, each with its condition.

article "close-account" {
  -- The article has no ms.assetid in any language: found by its title.
  anchors = { "close-your-account" },
  sources = { "close-your-account" },
}

-- "You must be a Global or Billing admin to do the tasks in this article."
fact "close_roles" {
  article = "close-account",
  type = "set",
  -- Said only from the 2020-11 version on, under "Before you begin": a
  -- translation with no English of its version is read there, by its
  -- language's terms.
  anchor = [[^before-you-begin$]],
  -- "You must be a Global or Billing admin": not the MFA step's "except
  -- for the global admin account that you're currently using".
  global_admin = {
    en = { [[\bmust be an? \Kglobal (?:or billing )?admin\b]] },   -- \K: the fact is where its word is
  },
  billing_admin = {
    en = { [[\bmust be an? (?:global or )?\Kbilling admin\b]] },
  },
}

-- The five steps, by the anchors of their sections.
fact "step_delete_users" {
  article = "close-account", type = "procedure", anchor = [[delete-users]],
}
fact "step_cancel_active_subscriptions" {
  article = "close-account", type = "procedure", anchor = [[cancel-all-active-subscriptions]],
}
fact "step_delete_disabled_subscriptions" {
  article = "close-account", type = "procedure", anchor = [[delete-all-disabled-subscriptions]],
}
fact "step_disable_mfa" {
  article = "close-account", type = "procedure", anchor = [[disable-multi-factor-authentication]],
}
fact "step_delete_directory" {
  article = "close-account", type = "procedure", anchor = [[delete-the-directory]],
}

-- "Delete all users except for one global administrator." The number is
-- written as a word: the pattern says what it stands for.
fact "users_kept" {
  article = "close-account",
  type = "count",
  en = { { [[delete all users except for one global administrator]], value = 1 } },
  ["zh-tw"] = { { [[除了一個全域管理員之外，刪除所有使用者]], value = 1 } },
}

-- "If users are synchronized from on-premises, first turn off sync"
fact "turn_off_sync_first" {
  article = "close-account",
  type = "flag",
  terms = { "sync" },   -- rules/lexicons: a translation's sentence for it has one
  en = { [[first turn off sync]] },
  ["zh-tw"] = { [[請先關閉同步處理]] },
}

-- "If you're unable to immediately delete a disabled subscription, contact
-- support"
fact "disabled_subscription_support" {
  article = "close-account",
  type = "flag",
  terms = { "disabled_subscription" },   -- rules/lexicons: a translation's sentence for it has one
  en = { [[unable to immediately delete a disabled subscription, contact support]] },
  ["zh-tw"] = { [[無法立即刪除停用的訂閱]] },
}

-- "disable all accounts except for the global admin account that you're
-- currently using": one account keeps MFA.
fact "mfa_users_kept" {
  article = "close-account",
  type = "count",
  en = { { [[disable all accounts except for the global admin account]], value = 1 } },
  ["zh-tw"] = { { [[停用您目前所用全域系統管理員帳戶以外的所有帳戶]], value = 1 } },
}
