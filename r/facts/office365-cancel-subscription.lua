-- What "Canceling your Office 365 subscription?" states. The English
-- original is not published on its own: it is read from the sxs-lookup
-- source of the machine-translated docs ("en" patterns).

article "office365-cancel-subscription" {
  asset = "e0ba53f0-3b0a-4082-a42f-40f2b45ad91a",
  -- The sibling article cancel-office-365-subscription.md states the same
  -- (four zh-TW versions); from 2021 the title's anchor is shorter.
  also_assets = { "8518f535-1bd3-4bf0-8e6e-e3468459bd5e" },
  anchors = { "canceling-your-office-365-subscription", "cancelling-your-office-365-subscription",
              "canceling-your-subscription" },
  sources = { "canceling-your-office-365-subscription", "cancel-office-365-subscription" },
}

-- "If you are a trial customer, there is nothing to cancel."
fact "trial_nothing_to_cancel" {
  article = "office365-cancel-subscription",
  type = "flag",
  terms = { "trial" },   -- rules/lexicons: a translation's sentence for it has one
  en = { [[trial customer, there(?: is|'s|’s) nothing to cancel]] },
  ["zh-tw"] = { [[試用(?:版)?客戶，(?:則無需取消|沒有取消)]] },
  nl = { [[evaluatieversie klant bent, is er niets om te annuleren]] },
}

-- "Trial subscriptions expire automatically unless you provide a payment
-- method."
fact "trial_expires_unless_payment_method" {
  article = "office365-cancel-subscription",
  type = "flag",
  terms = { "payment_method" },   -- rules/lexicons: a translation's sentence for it has one
  en = { [[expire automatically unless you provide a payment method]] },
  ["zh-tw"] = { [[除非您提供(?:了支付方式|一種付費方式)]] },
  nl = { [[verlopen automatisch tenzij u een betalingsmethode]] },
}

-- "If you have fewer than 25 assigned licenses, you can cancel your
-- subscription online."
fact "online_cancel_max_licenses" {
  article = "office365-cancel-subscription",
  type = "count",
  quantity = "assigned_licenses", bound = "below",   -- "fewer than N"
  unit = "licenses",                                  -- read next to the language's word for it
  en = { [[fewer than\s+(\d+)\s+assigned licenses]] },
  ["zh-tw"] = { [[授權不足\s*(\d+)\s*個]], [[少於\s*(\d+)\s*指派的授權]] },
  nl = { [[minder dan\s+(\d+)\s+toegewezen licenties]] },
}

-- "If you have more than 25 assigned licenses, you can either remove users
-- until you have fewer than 25, or use the "Let us call you" option"
fact "remove_users_above_licenses" {
  article = "office365-cancel-subscription",
  type = "count",
  quantity = "assigned_licenses", bound = "above",   -- "more than N"
  unit = "licenses",
  en = { [[more than\s+(\d+)\s+assigned licenses, you can either remove users]] },
  ["zh-tw"] = { [[超過\s*(\d+)\s*個指派的授權，您可以移除使用者]], [[多個\s*(\d+)\s*指派的授權，您也可以移除使用者]] },
  nl = { [[meer dan\s+(\d+)\s+toegewezen licenties, kunt u gebruikers verwijderen]] },
}

fact "support_calls_you" {
  article = "office365-cancel-subscription",
  type = "flag",
  terms = { "call_you" },   -- rules/lexicons: a translation's sentence for it has one
  en = { [[let us call you]] },
  ["zh-tw"] = { [[我們呼叫您]] },
  nl = { [[laat ons u bellen]] },
}

-- "Refund: Any prorated credit will be returned to you within the next
-- billing cycle." (from 2020 on)
fact "prorated_credit_next_cycle" {
  article = "office365-cancel-subscription",
  type = "flag",
  terms = { "prorated" },   -- rules/lexicons: a translation's sentence for it has one
  en = { [[prorated credit will be returned to you within the next billing cycle]] },
  ["zh-tw"] = { [[下一個計費週期內，任何按比例支付的信用額度都會傳回給您]] },
}
