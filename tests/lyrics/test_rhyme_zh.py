"""The thirteen rhyme classes, checked against characters whose finals we know."""

from __future__ import annotations

import pytest

from songgate.lyrics.rhyme_zh import CLASS_OF_FINAL, RHYME_CLASSES, rhyme_class, rhymes

# Class → characters in it, with the final each has in standard pinyin:
# 花 hua/家 jia/他 ta (a, ia, ua); 光 guang/唐 tang/长 chang (ang, uang);
# 天 tian/边 bian/年 nian/远 yuan/山 shan (an, ian, üan); 风 feng/中 zhong/红 hong/
# 星 xing/穷 qiong (eng, ong, ing, iong); 人 ren/心 xin/身 shen/云 yun/魂 hun
# (en, in, ün, uen); 来/开/爱/怀 (ai, uai); 回 hui/飞 fei/泪 lei (uei, ei);
# 笑 xiao/遥 yao/桥 qiao/老 lao (iao, ao); 流 liu/手 shou/走 zou (iou, ou);
# 雪 xue/月 yue/夜 ye/别 bie (üe, ie); 歌 ge/多 duo/火 huo/波 bo (e, uo, o);
# 里 li/你 ni/期 qi, the apical i of 知 诗 日 字 次 四, ü of 雨 去 绿, and 儿 er;
# 路 lu/书 shu/哭 ku/舞 wu (u).
KNOWN: dict[str, str] = {
    "发花": "花家他大话涯",
    "江阳": "光唐长方窗阳",
    "言前": "天边年远山晚",
    "中东": "风中红星穷梦",
    "人辰": "人心身云魂春",
    "怀来": "来开爱怀海带",
    "灰堆": "回飞泪美睡醉",
    "遥条": "笑遥桥老好道",
    "油求": "流手走头秋酒",
    "乜斜": "雪月夜别街谢",
    "梭波": "歌多火波我过",
    "一七": "里你期知诗日字次四雨去绿儿",
    "姑苏": "路书哭舞苦湖",
}


@pytest.mark.parametrize(("name", "chars"), KNOWN.items())
def test_known_characters_fall_in_their_class(name: str, chars: str) -> None:
    assert {char: rhyme_class(char) for char in chars} == dict.fromkeys(chars, name)


def test_the_table_has_thirteen_classes_and_no_final_twice() -> None:
    assert len(RHYME_CLASSES) == 13
    finals = [final for group in RHYME_CLASSES.values() for final in group]
    assert len(finals) == len(set(finals)) == len(CLASS_OF_FINAL)


def test_u_and_u_umlaut_do_not_rhyme() -> None:
    # The loose pinyin spelling writes 雨 (yu) and 路 (lu) with the same "u".
    assert rhyme_class("雨") == "一七"
    assert rhyme_class("路") == "姑苏"
    assert not rhymes("雨", "路")


def test_a_line_rhymes_by_its_last_character_read_in_context() -> None:
    assert rhyme_class("快乐") == "梭波"  # le
    assert rhyme_class("音乐") == "乜斜"  # yue
    assert rhyme_class("长大") == "发花"
    assert rhyme_class("陪我走到天涯\uff01") == "发花"  # a full-width "!" is ignored
    assert rhymes("你的笑是我的阳光", "想和你一起看月亮")
    assert rhymes("花", "我们一起回家")
    assert not rhymes("你的笑是我的阳光", "有你的地方就是家")


def test_no_class_without_a_han_character_or_a_vowel() -> None:
    assert rhyme_class("") is None
    assert rhyme_class("hello") is None
    assert rhyme_class("!!!") is None
    assert rhyme_class("嗯") is None
    assert not rhymes("", "")
    assert not rhymes("abc", "abc")
