"""Language identification for the ten market languages.

Script first (Thai, Han), because it is exact and free: Simplified versus
Traditional Chinese by characters that exist in only one of the two sets. The
Latin-script languages (en, id, ms, tl, vi, pt, es) share an alphabet, so a
fastText model trained on the corpus 'lang' labels (the auxiliary model's
`L<code>` labels) decides, helped by letters only one language uses (Vietnamese tone letters,
Spanish ñ/¿/¡, Portuguese ã/õ/ç). Code-mixed text goes to the dominant script.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from companion.nlu.taxonomy import LANGUAGES, LATIN_LANGUAGES

LANG_PREFIX: Final = "L"

SIMPLIFIED_ONLY: Final = frozenset(
    "东丢两严丧个丰临为举么义乐习书买乱争亏亚产亲亿仅从仓仪们价众优伙会传伤体佣侧侨俭债倾偿储儿党兰关兴养兽内册军农冲决况冻净凉减凤凭击刘则刚创删别剑剧办务动劳势区华单卖厂历压县参双发变叶号吗员响团国图场坏块处备头夹夺奋妆妈娱学宝实宠审宽对寻导将尔尘尽层岁师带帮广庆库应庙开异弃张弯弹强归当录彻径忆怀态总恋恶悬惊惯愿戏战户扑执扩扫扬扰报担拟拥择挂挡挤损换据掷摄摆摇撑敌数斋断无旧时显晒暂术机杀杂权条来杨极构枪柜标样梦检欢毕气汇污汤沟没泪泽洁浅测济浓涂润涨温满灭灯灵炉点炼烂热爱爷牵状独环现电画畅疗盖盘码确礼种积称稳穷笔笼筑签简类粮紧红约级纸线练组细织终经绑结给绝统继续绿编网罗联肃胜脏脑舰艺节苏药获虑虽补装裤见观规视览觉计订认让训议讯记讲许论设证评识诉试诚话询该详语误说请读课谁调谈谢负责账货质购贴贵贸费资赏赔赚赠赶趋跃车转轮软轻载较辆辑输边达过运还这进远违连迟适选递遗邮邻酱释针钟钢钥钮钱铁银铺链销锁锅错键镜长门闪闭问间闹闻阅队阳阵阶际陆险随隐难雾静韩页顶项顺须顾顿预领颗题颜风飞饭饮饰饱饼馆马驶驾验鱼鸟鸡麦黄齐齿龙"
)
TRADITIONAL_ONLY: Final = frozenset(
    "丟亂亞來倉個們側備傭傳債傷傾僅僑價儀億儉償優儲兒內兩冊凍別刪則剛創劇劉劍動務勝勞勢匯區參員問喪單嗎嚴國圖團執報場塊塗塵壓壞夢夥夾奪奮妝娛媽學實審寬寵寶將尋對導層師帶幫幹幾庫廟廠廣張強彈彎後徑從徹惡愛態慣慮慶憑憶應懷懸戀戰戲戶捨掃掛揚換損搖撐撲擁擇擊擋擔據擠擬擲擴擺擾攝敵數斷時暢暫曬書會東條棄楊極構槍樂標樣機檢櫃權歡歲歷歸殺氣汙決沒況涼淚淨淺減測湯溝溫滅滿漲潔潤澤濃濟為無煉熱燈爐爛爭爺爾牽狀獨獲獸現環產畢畫異當療發盡盤眾確碼禮種稱積穩窮筆節範築簡簽籠糧約紅紙級細終組結絕給統綁經綠網緊線編練縣總織繼續羅義習聞聯肅腦臨興舉舊艦華葉蓋藝藥蘇蘭處號虧術衝補裝裡褲見規視親覺覽觀訂計訊訓記設許訴評詢試話該詳認語誠誤說誰課調談請論講謝證識議讀變讓豐負貨責貴買費貼貿資賞賠賣質賬賺購贈趕趨躍車軍軟較載輕輛輪輯輸轉辦農這連進運過達違遞遠適遲選遺還邊郵鄰醬釋針鈕銀銷鋪鋼錄錢錯鍋鍵鎖鏈鏡鐘鐵鑰長門閃閉開間閱關陣陸陽隊階際隨險隱雖雙雜雞難雲電霧靈靜韓響頁頂項順須預頓領頭顆題顏願類顧顯風飛飯飲飽飾餅養餘館馬駕駛驗驚髒體鬧魚鳥鳳麥麼黃點黨齊齋齒龍"
)
_SIMPLIFIED_RE: Final = re.compile("[" + "".join(sorted(SIMPLIFIED_ONLY)) + "]")
_TRADITIONAL_RE: Final = re.compile("[" + "".join(sorted(TRADITIONAL_ONLY)) + "]")
_HAN_RE: Final = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_THAI_RE: Final = re.compile("[\u0e01-\u0e2e]")
_LATIN_WORD_RE: Final = re.compile(r"(?<![_\w])[a-z\u00e0-\u024f\u1e00-\u1eff]{2,}(?![_\w])")
_VIETNAMESE_RE: Final = re.compile("[ăơưđạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]")
_SPANISH_RE: Final = re.compile("[ñ¿¡]")
_PORTUGUESE_RE: Final = re.compile("[ãõç]")

# Below this aux score the model is guessing ("hello" alone: 0.12 for vi, 0.11 for zh-Hans,
# 0.10 for zh-Hant): the caller's default is a better answer than the guess.
MIN_EVIDENCE: Final = 0.3
_ZH: Final = frozenset(("zh-Hans", "zh-Hant"))
_LATIN: Final = frozenset(LATIN_LANGUAGES)
_ALL: Final = frozenset(LANGUAGES)


class LanguageIdentifier:
    """Script rules plus the auxiliary model's language scores (see module docstring)."""

    __slots__ = ()

    @staticmethod
    def _best(probs: Mapping[str, float], allowed: frozenset[str], default: str) -> str:
        """The allowed language with the highest aux score (ties: the later code).

        `default` when no allowed language reaches `MIN_EVIDENCE`.
        """
        best: tuple[float, str] | None = None
        for key, prob in probs.items():
            lang = key[1:]
            if prob >= MIN_EVIDENCE and lang in allowed and (best is None or (prob, lang) > best):
                best = (prob, lang)
        return best[1] if best is not None else default

    def identify(self, line: str, probs: Mapping[str, float], default: str = "en") -> str:
        """Language of one normalised line; `probs` maps aux labels (`L<code>`) to scores."""
        if line.isascii():  # no Han, Thai or accented letters: only the model can tell
            allowed = _LATIN if _LATIN_WORD_RE.search(line) else _ALL
            return self._best(probs, allowed, default)
        han = len(_HAN_RE.findall(line))
        thai = len(_THAI_RE.findall(line))
        latin = len(_LATIN_WORD_RE.findall(line))
        if han and han >= 2 * latin and han >= thai:
            simplified = len(_SIMPLIFIED_RE.findall(line))
            traditional = len(_TRADITIONAL_RE.findall(line))
            if simplified != traditional:
                return "zh-Hans" if simplified > traditional else "zh-Hant"
            return self._best(probs, _ZH, "zh-Hans")
        if thai and thai >= 3 * latin:
            return "th"
        if not latin:
            if han:
                return self._best(probs, _ZH, "zh-Hans")
            return "th" if thai else self._best(probs, _ALL, default)
        if _VIETNAMESE_RE.search(line):
            return "vi"
        if _SPANISH_RE.search(line):
            return "es"
        if _PORTUGUESE_RE.search(line):
            return "pt"
        return self._best(probs, _LATIN, default)
