-- What "Cancel your Azure subscription" states, in each language we read.
--
-- Each fact names the article it comes from and the patterns (PCRE2,
-- case-insensitive) that find it. A number is the pattern's first (capture)
-- group. English patterns also read the English source of machine-translated
-- docs, so "en" covers the zh-TW bilingual version too. Machine-translation
-- damage ("tooAzure", "Hallo" for "the", "up too10") is part of the text
-- as published: the patterns allow for it rather than the docs being fixed.

article "azure-cancel-subscription" {
  asset = "3051d6b0-179f-4e3a-bda4-3fee7135eac5",
  -- The legacy versions have no ms.assetid: they are found by their title.
  anchors = { "cancel-your-azure-subscription", "how-to-cancel-your-azure-subscription",
              "cancel-your-subscription-for-azure" },
  -- The source file's name survives in the paths of the docs' images
  -- (media/billing-how-to-cancel-azure-subscription/...), whatever the
  -- title became in translation.
  sources = { "billing-how-to-cancel-azure-subscription" },
}

-- "You can cancel your Azure subscription as the Account Administrator."
-- From 2019-10 a table says who can cancel: "Account administrators,
-- owners and contributors" for subscriptions made on the Azure website.
-- Every role a version names is read, in each language by its lexicon's
-- terms (rules/lexicons), so a version that adds one is not read as the
-- account administrator alone; where a version has that section (its
-- anchor stays English in every translation), the roles are read there.
fact "cancel_roles" {
  article = "azure-cancel-subscription",
  type = "set",
  anchor = [[^who-can-cancel]],
  account_admin = {
    en = { [[\baccount administrator\b]] },
    ["zh-tw"] = { [[帳戶管理員]] },
    fr = { [[administrateur de compte]] },
    nl = { [[accountbeheerder]] },
  },
  owner = { en = { [[(?<!account )\bowners?\b]] } },
  contributor = { en = { [[\bcontributors?\b]] } },
}

-- The procedures, by the anchor of their section.
fact "portal_procedure" {
  article = "azure-cancel-subscription",
  type = "procedure",
  anchor = [[azure-portal]],
}

fact "account_center_procedure" {
  article = "azure-cancel-subscription",
  type = "procedure",
  -- The 2015-2016 versions have one procedure, the account center's, under
  -- "Cancel subscription" or under the title itself.
  anchor = { [[account-center]], [[^cancel-subscription$]], [[^how-to-cancel-your-azure-subscription$]] },
}

-- "you are still billed monthly for the rest of the 6-months term"
fact "support_plan_term" {
  article = "azure-cancel-subscription",
  type = "months",
  en = { [[(\d+)[- ]months?\s+term]] },
  ["zh-tw"] = { [[(\d+)\s*個月期]] },
  fr = { [[durée de\s+(\d+)\s+mois]] },
  nl = { [[(\d+)\s+maanden\s+term]], [[term\s+(\d+)\s+maanden]] },
}

-- "Once you cancel, billing is stopped immediately."
fact "billing_stops_immediately" {
  article = "azure-cancel-subscription",
  type = "flag",
  terms = { "immediately" },   -- rules/lexicons: a translation's sentence for it has one
  en = { [[billing is stopped immediately]] },
  ["zh-tw"] = { [[立即停止計費]] },
  nl = { [[onmiddellijk facturering gestopt]] },
}

-- "it can take up to 10 minutes for the cancellation to show in the portal"
fact "portal_shows_within_minutes" {
  article = "azure-cancel-subscription",
  type = "minutes",
  en = { [[up\s+to+\s*(\d+)\s+minutes]] },
  ["zh-tw"] = { [[需要\s*(\d+)\s*分鐘]] },
  nl = { [[(?:too)?(\d+)\s+minuten]] },
}

-- "we wait 90 days before permanently deleting your data"
fact "data_retention_days" {
  article = "azure-cancel-subscription",
  type = "days",
  en = { [[wait\s+(\d+)\s+days]] },
  ["zh-tw"] = { [[等\s*(\d+)\s*天]] },
  fr = { [[attendre\s+(\d+)\s+jours]] },
  nl = { [[wacht(?:en)?\s+(?:we\s+)?(\d+)\s+dagen]] },   -- "wachten we" and the MT's "wacht we"
}

-- "your virtual machines are deallocated, temporary IP addresses are freed,
-- and storage is read-only"
fact "services_disabled" {
  article = "azure-cancel-subscription",
  type = "set",
  vms_deallocated = {
    en = { [[virtual machines are de-?allocated]] },
    nl = { [[toewijzing van uw virtuele machines worden opgeheven]] },
  },
  ips_released = {
    en = { [[IP addresses are freed]] },
    nl = { [[IP-adressen worden vrijgegeven]] },
  },
  storage_read_only = {
    en = { [[storage is read-only]] },
    nl = { [[opslag is alleen-lezen]] },
  },
}

-- "Unless you're on a Free Trial or have credits available, you're billed
-- for any outstanding usage charges"
fact "final_invoice_unless_trial_or_credits" {
  article = "azure-cancel-subscription",
  type = "flag",
  terms = { "free_trial_credits" },   -- rules/lexicons: a translation's sentence for it has one
  en = { [[unless you.{1,3}re on a free trial or have credits]] },
  nl = { [[tenzij u op een gratis proefversie of tegoeden]] },
}

-- "If you cancel your Pay-As-You-Go subscription accidentally, you can
-- reactivate it in the Accounts Center."
fact "payg_reactivates_in_account_center" {
  article = "azure-cancel-subscription",
  type = "flag",
  terms = { "reactivate" },   -- rules/lexicons: a translation's sentence for it has one
  en = { [[reactivate it in \S+ accounts? cent(?:er|re)]] },
  ["zh-tw"] = { [[在帳戶中心重新啟動]] },
  fr = { [[réactiver dans le centre de comptes]] },
  nl = { [[opnieuw activeren in \S+ accounts? center]], [[kunt u het opnieuw activeren in het midden accounts]] },
}

-- "If your subscription is not Pay-As-You-Go, contact support within 90
-- days of cancellation to reactivate your subscription."
fact "reactivation_support_days" {
  article = "azure-cancel-subscription",
  type = "days",
  en = { [[contact support within\s+(\d+)\s+days]] },
  nl = { [[ondersteuning binnen\s+(\d+)\s+dagen]] },
}

-- 2019: "You must delete all resources and all resource groups. Deleting
-- them is required before you can cancel a subscription."
fact "delete_resources_first" {
  article = "azure-cancel-subscription",
  type = "flag",
  terms = { "delete_resources" },   -- rules/lexicons: a translation's sentence for it has one
  en = { [[must delete all resources]] },
}
