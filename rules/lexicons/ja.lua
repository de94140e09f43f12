-- Japanese: words the fact reader uses in the aligned unit of a Japanese doc.
-- Checked against the ja-JP docs of all three articles. No spaces between words: fragments
-- are plain substrings. Numbers are usually digits followed by a counter ("10 分", "90 日間",
-- "25 未満", "1人のグローバル管理者").
lexicon "ja" {
  -- unit words after (or before) a number
  units = {
    days     = { [[日間]], [[日]] },
    minutes  = { [[分間]], [[分]] },
    hours    = { [[時間]] },
    months   = { [[[かヶカケヵ箇]月]], [[か月間]], [[月間]] },
    licenses = { [[ライセンス]] },
    users    = { [[ユーザー]], [[ユーザ]], [[利用者]] },
    accounts = { [[アカウント]] },
  },
  -- words that bound a number ("25 未満", "25 以上", "最大で 10 分")
  bounds = {
    below    = { [[未満]], [[より少ない]], [[より少な]], [[を下回る]], [[に満たない]] },        -- "N 未満"
    above    = { [[を超える]], [[を超えて]], [[を超過]], [[より多い]], [[を上回る]], [[超]] },    -- "N を超える"
    at_least = { [[以上]], [[少なくとも]], [[最低]] },                                           -- "N 以上"
    -- "最大で 10 分", "10 分まで" (まで only after a counter: "25 未満になるまで" is "until")
    at_most  = { [[最大]], [[以下]], [[最長]], [[上限]], [[(?:分|日|日間|時間|か月|ヶ月|カ月|人|個|件|ライセンス)まで]] }, -- "最大 N"
  },
  -- numbers written as words (kanji numerals and native counts)
  numbers = {
    ["一"] = 1, ["一つ"] = 1, ["ひとつ"] = 1, ["一人"] = 1, ["ひとり"] = 1, ["一名"] = 1,
    ["二"] = 2, ["二つ"] = 2, ["ふたつ"] = 2, ["二人"] = 2, ["ふたり"] = 2,
    ["三"] = 3, ["三つ"] = 3, ["四"] = 4, ["四つ"] = 4, ["五"] = 5, ["五つ"] = 5, ["六"] = 6, ["六つ"] = 6,
    ["七"] = 7, ["七つ"] = 7, ["八"] = 8, ["八つ"] = 8, ["九"] = 9, ["九つ"] = 9, ["十"] = 10,
    ["十一"] = 11, ["十二"] = 12, ["十五"] = 15, ["二十"] = 20, ["二十五"] = 25, ["三十"] = 30,
    ["六十"] = 60, ["九十"] = 90,
  },
  -- terms for the values of set facts
  terms = {
    account_admin   = { [[アカウント管理者]], [[アカウント所有者]], [[アカウント オーナー]] },
    service_admin   = { [[サービス管理者]] },
    owner           = { [[(?<!アカウント)所有者]], [[(?<!アカウント )オーナー]] },
    contributor     = { [[共同作成者]], [[投稿者]] },
    -- "1人のグローバル管理者", "グローバル管理者アカウント"
    global_admin    = { [[グローバル\s*管理者]], [[全体管理者]], [[全体\s*管理者]] },
    billing_admin   = { [[課金管理者]], [[請求管理者]], [[課金\s*管理者]], [[請求先管理者]] },
    vms_deallocated = { [[仮想マシン]], [[割り当てが解除]], [[割り当て解除]] },
    ips_released    = { [[IP\s*アドレス]] },
    storage_read_only = { [[読み取り専用]] },
  },
}
