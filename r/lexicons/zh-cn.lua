-- Chinese (Simplified): words the fact reader uses in the aligned unit of a zh-CN doc.
-- Checked against the zh-CN docs of all three articles. No spaces between words: fragments
-- are plain substrings. Both 帐 and 账 occur ("帐户管理员", "账户"). Note: the Office 365 doc
-- writes "25个以上的许可证" (25 or more) for "more than 25"; 以上 is read as at_least.
lexicon "zh-cn" {
  -- unit words after (or before) a number ("90 天", "10 分钟", "6 个月", "许可证数少于25个")
  units = {
    days     = { [[天]], [[日]] },
    minutes  = { [[分钟]] },
    hours    = { [[小时]] },
    months   = { [[个月]], [[月]] },
    licenses = { [[许可证]], [[许可]], [[授权]] },
    users    = { [[用户]], [[使用者]] },
    accounts = { [[[帐账]户]], [[[帐账]号]] },
  },
  -- words that bound a number
  bounds = {
    below    = { [[少于]], [[不足]], [[小于]], [[低于]], [[不到]] },                             -- "少于 N"
    above    = { [[(?<!不)超过]], [[多于]], [[大于]], [[高于]], [[超出]] },                       -- "超过 N"
    at_least = { [[以上]], [[至少]], [[或更多]], [[最少]], [[不少于]] },                          -- "N 个以上"
    at_most  = { [[最多]], [[多达]], [[至多]], [[不超过]], [[以下]], [[最长]], [[长达]], [[或更少]] }, -- "多达 N"
  },
  -- numbers written as words ("删除除一个全局管理员之外的所有用户")
  numbers = {
    ["一"] = 1, ["一个"] = 1, ["一位"] = 1, ["一名"] = 1, ["二"] = 2, ["两"] = 2, ["两个"] = 2,
    ["三"] = 3, ["四"] = 4, ["五"] = 5, ["六"] = 6, ["七"] = 7, ["八"] = 8, ["九"] = 9, ["十"] = 10,
    ["十一"] = 11, ["十二"] = 12, ["十五"] = 15, ["二十"] = 20, ["二十五"] = 25, ["三十"] = 30,
    ["六十"] = 60, ["九十"] = 90,
  },
  -- terms for the values of set facts
  terms = {
    -- "You must delete all resources ... before you can cancel": deleting, and resources
    delete_resources = { [[删除.{0,20}资源|资源.{0,20}删除]] },
    -- "以帐户管理员身份取消"; EA "帐户所有者"
    account_admin   = { [[[帐账]户管理员]], [[[帐账]户所有者]], [[[帐账]户系统管理员]] },
    service_admin   = { [[服务管理员]], [[服务系统管理员]] },
    owner           = { [[(?<![帐账]户)所有者]] },
    contributor     = { [[参与者]], [[贡献者]] },
    -- "除一个全局管理员之外", "全局管理员帐户"
    global_admin    = { [[全局管理员]], [[全局系统管理员]], [[全局或计费管理员]], [[全局(?=或)]] },
    billing_admin   = { [[计费管理员]], [[账单管理员]], [[帐单管理员]], [[计费系统管理员]] },
    -- "虚拟机已解除分配"
    vms_deallocated = { [[虚拟机]], [[解除分配]] },
    ips_released    = { [[IP\s*地址]] },
    storage_read_only = { [[只读]] },
    -- concept terms: a yes/no fact is accepted in a translation only when a term of its
    -- concept appears in the aligned paragraph
    -- "如果你是试用客户", "试用订阅将自动过期"
    trial           = { [[试用]], [[试验(?:客户|订阅|版|期)]], [[评估版]] },
    -- "除非你提供了支付方式", "付款方式"
    payment_method  = { [[付款方(?:式|法)]], [[支付方(?:式|法)]], [[付费方式]] },
    -- "让我们给您打电话" / "我们呼叫您"
    call_you        = { [[(?:给|为)(?:你|您)打电话]], [[(?:呼叫|致电)(?:你|您)]], [[打电话给(?:你|您)]], [[回电]], [[回拨]] },
    -- "任何按比例贷项"
    prorated        = { [[按比例]], [[比例分配]], [[按日计]] },
    -- "计费将立即停止"
    immediately     = { [[立即]], [[立刻]], [[马上]], [[即时]] },
    -- "免费试用" / "信用额度", not the prorated "按比例…额度" nor "发送最终帐单"
    free_trial_credits = { [[免费(?:的)?试用]], [[(?<!比例)(?<!比例的)(?<!比例支付的)(?<!比例计算的)信用额度]], [[可用(?:的)?(?:额度|点数|贷项|积分)]] },
    -- "重新激活订阅"
    reactivate      = { [[重新激活]], [[再次激活]], [[重新启用]], [[再次启用]] },
    -- "资源组"
    resources       = { [[资源]] },
    -- "如果用户从本地同步，请先关闭 sync"
    sync            = { [[同步]], [[(?<![A-Za-z])(?:dir)?sync(?![A-Za-z])]] },
    -- "查找已禁用的订阅", "每个禁用的订阅"
    disabled_subscription = { [[(?:禁用|停用)(?:的)?订阅]], [[订阅(?:已被|已|被)(?:禁用|停用)]] },
  },
}
