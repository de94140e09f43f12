-- Chinese (Traditional): words the fact reader uses in the aligned unit of a zh-TW doc.
-- Checked against the zh-TW docs of all three articles (23 files, several translations of
-- each). No spaces between words: fragments are plain substrings. Machine-translation
-- quirks seen: "全球或計費系統管理員" (Global or Billing admin), "多個 25 指派的授權" (more than
-- 25), "顯示 too10 分鐘" (up to 10), "仍計費年 6 月字詞" (6-month term), "25個以上".
-- "訂用帳戶" is the Azure word for subscription: it is not an account.
lexicon "zh-tw" {
  -- unit words after (or before) a number ("90 天", "10 分鐘", "6 個月", "授權不足25個")
  units = {
    days     = { [[天]], [[日]] },
    minutes  = { [[分鐘]] },
    hours    = { [[小時]] },
    months   = { [[個月]], [[月]] },
    licenses = { [[授權]], [[許可證]], [[使用權]] },
    users    = { [[使用者]], [[用戶]] },
    accounts = { [[(?<!訂用)帳戶]], [[帳號]], [[賬戶]] },
  },
  -- words that bound a number
  bounds = {
    below    = { [[少於]], [[不足]], [[小於]], [[低於]], [[不到]] },                              -- "少於 N", "授權不足 N 個"
    above    = { [[(?<!不)超過]], [[多於]], [[大於]], [[高於]], [[超出]], [[多個(?=\s*\d)]] },     -- "超過 N", MT "多個 N"
    at_least = { [[以上]], [[至少]], [[或更多]], [[最少]], [[不少於]] },                           -- "N 個以上"
    at_most  = { [[最多]], [[多達]], [[至多]], [[不超過]], [[以下]], [[最長]], [[長達]], [[或更少]],
                 [[too(?=\d)]] },                                                                -- "最多 N", MT "too10"
  },
  -- numbers written as words ("除了一個全域管理員之外")
  numbers = {
    ["一"] = 1, ["一個"] = 1, ["一位"] = 1, ["一名"] = 1, ["二"] = 2, ["兩"] = 2, ["兩個"] = 2,
    ["三"] = 3, ["四"] = 4, ["五"] = 5, ["六"] = 6, ["七"] = 7, ["八"] = 8, ["九"] = 9, ["十"] = 10,
    ["十一"] = 11, ["十二"] = 12, ["十五"] = 15, ["二十"] = 20, ["二十五"] = 25, ["三十"] = 30,
    ["六十"] = 60, ["九十"] = 90,
  },
  -- terms for the values of set facts
  terms = {
    -- "[帳戶管理員]", "帳戶系統管理員", EA "帳戶擁有者"
    account_admin   = { [[帳戶管理員]], [[帳戶系統管理員]], [[帳戶擁有者]], [[帳戶管理者]] },
    service_admin   = { [[服務管理員]], [[服務系統管理員]], [[服務管理者]] },
    owner           = { [[(?<!帳戶)擁有者]], [[(?<!帳戶)所有者]] },
    contributor     = { [[參與者]], [[貢獻者]] },
    -- "全球或計費系統管理員", "一個全域管理員", "全域系統管理員帳戶"
    global_admin    = { [[全域管理員]], [[全域系統管理員]], [[全球管理員]], [[全球系統管理員]], [[全域管理者]],
                        [[全[域球](?=或)]], [[全域或]] },
    billing_admin   = { [[計費系統管理員]], [[計費管理員]], [[帳單管理員]], [[帳單系統管理員]], [[帳務管理員]] },
    -- "解除配置您的虛擬機器"
    vms_deallocated = { [[虛擬機器]], [[虛擬機]], [[解除配置]] },
    ips_released    = { [[IP\s*位址]], [[IP\s*地址]] },
    storage_read_only = { [[唯讀]] },
  },
}
