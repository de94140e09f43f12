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
    -- "You must delete all resources ... before you can cancel": deleting, and resources
    delete_resources = { [[刪除.{0,20}資源|資源.{0,20}刪除]] },
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
    -- concept terms: a yes/no fact is accepted in a translation only when a term of its
    -- concept appears in the aligned paragraph
    -- "試用客戶", "試用版客戶", "試驗客戶" (MT), "免費的試用版", "免費試用期間"
    trial           = { [[試用]], [[試驗(?:客戶|訂閱|版|期)]], [[評估版]] },
    -- "支付方式", "付款方式", "一種付費方式"
    payment_method  = { [[付款方(?:式|法)]], [[支付方(?:式|法)]], [[付費方式]] },
    -- "「我們呼叫您」選項", "「 讓我們撥話給您 」"
    call_you        = { [[呼叫(?:你|您)]], [[撥話給(?:你|您)]], [[(?:打電話|撥電話)給(?:你|您)]], [[致電(?:你|您)]], [[回電]], [[回撥]] },
    -- "任何按比例支付的信用額度"
    prorated        = { [[按比例]], [[比例分配]], [[按日計]] },
    -- "計費會立即停止", "無法立即刪除停用的訂閱"
    immediately     = { [[立即]], [[立刻]], [[馬上]], [[即時]] },
    -- "除非您是免費的試用版上，或有可用的信用額度", not "按比例支付的信用額度" (prorated) nor "最後一張發票/帳單"
    free_trial_credits = { [[免費(?:的)?試用]], [[(?<!比例)(?<!比例的)(?<!比例支付的)(?<!比例計算的)信用額度]], [[可用(?:的)?(?:額度|點數|點)]] },
    -- "重新啟動訂用帳戶" (MT for reactivate), "重新啟用"
    reactivate      = { [[重新啟用]], [[重新啟動]], [[再次啟用]], [[重新激活]] },
    -- "資源群組"
    resources       = { [[資源]] },
    -- "進行同步處理，請先關閉同步處理"
    sync            = { [[同步]], [[(?<![A-Za-z])(?:dir)?sync(?![A-Za-z])]] },
    -- "已停用的訂閱", "停用的訂閱"
    disabled_subscription = { [[(?:停用|禁用)(?:的)?(?:訂閱|訂用帳戶)]], [[(?:訂閱|訂用帳戶)(?:已被|已|被)(?:停用|禁用)]] },
  },
}
