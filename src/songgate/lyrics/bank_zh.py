"""The Chinese phrase bank: themes, the words that call them up, titles, and
hand-written lines grouped by the rhyme class of their last character.

The writer never makes lines from parts; it picks whole lines a person
wrote, so every line reads as natural Chinese. Grouping by rhyme class
lets a section rhyme by construction: all its lines come from one group.
The lines live in ``bank_zh_heart``, ``bank_zh_world`` and ``bank_zh_sky``
as plain text blocks, parsed once at import.
"""

from __future__ import annotations

from dataclasses import dataclass

from songgate.lyrics import bank_zh_heart as heart
from songgate.lyrics import bank_zh_sky as sky
from songgate.lyrics import bank_zh_world as world

GENTLE = "gentle"  # the theme for prompts that name nothing we know


@dataclass(frozen=True, slots=True)
class Theme:
    """A theme: its id (shared with the style tags), Chinese name, the prompt
    words that select it, candidate titles, and its lines by rhyme class."""

    id: str
    name: str
    keywords: tuple[str, ...]  # Chinese substrings and lower-case English words
    titles: tuple[str, ...]
    groups: dict[str, tuple[str, ...]]


def parse_groups(block: str) -> dict[str, tuple[str, ...]]:
    """``[class]`` headers, then lines: {class: lines in the order written}."""
    groups: dict[str, list[str]] = {}
    current: list[str] | None = None
    for raw in block.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            current = groups.setdefault(line[1:-1], [])
        elif current is None:
            raise ValueError(f"line before any rhyme class: {line!r}")
        else:
            current.append(line)
    return {name: tuple(lines) for name, lines in groups.items()}


def _theme(
    id_: str, name: str, keywords: str, titles: str, block: str
) -> tuple[str, Theme]:
    return id_, Theme(id_, name, tuple(keywords.split()), tuple(titles.split()),
                      parse_groups(block))


THEMES: dict[str, Theme] = dict((
    _theme("love", "爱情",
           "情歌 爱情 恋爱 初恋 暗恋 喜欢 心动 表白 告白 浪漫 甜蜜 约会 想你 想念 情人 婚礼 爱 恋"
           " love romance romantic crush sweet date kiss valentine darling wedding",
           "心动 刚刚好 月光情书 牵你的手 最美的偶然 你的名字 细水长流 一起看月亮",
           heart.LOVE),
    _theme("heartbreak", "失恋",
           "失恋 分手 伤心 悲伤 眼泪 心碎 离别 难过 孤单 孤独 遗憾 再见 伤感 哭"
           " sad sadness breakup heartbreak heartbroken tears cry lonely goodbye alone broken",
           "背影 告别 心碎 不说再见 一个人 长街 错过 晴天之前",
           heart.HEARTBREAK),
    _theme("summer", "夏天海边",
           "夏天 夏日 夏夜 海边 大海 沙滩 海浪 阳光 暑假 假期 冰淇淋 西瓜 海岛 夏 海"
           " summer sea beach ocean sunshine sunny holiday vacation island surf waves",
           "夏日海风 浪花 海边的夏天 冰汽水 蓝色海岸 晚霞 夏天的风 贝壳",
           world.SUMMER),
    _theme("night", "夜晚城市",
           "夜晚 夏夜 深夜 午夜 城市 霓虹 街头 都市 晚上 失眠 夜"
           " night city midnight neon street urban downtown tonight",
           "霓虹 午夜城市 天台 夜归人 末班车 城市灯火 路灯下 深夜电台",
           world.NIGHT),
    _theme("weekend", "周末快乐",
           "周末 快乐 开心 派对 聚会 生日 欢乐 庆祝 跳舞 节日 新年 放假 狂欢 愉快 欢快"
           " weekend fun party happy dance dancing birthday celebrate celebration friday"
           " saturday sunday joy",
           "快乐周末 不醉不归 周末的阳光 好心情 开心就好 周末出发 跳起来",
           world.WEEKEND),
    _theme("home", "家与亲情",
           "家人 亲情 妈妈 母亲 爸爸 父亲 父母 外婆 奶奶 爷爷 母爱 父爱 回家 团圆 家"
           " home family mom mother mum dad father parents mama papa grandma",
           "回家 等我回家 饭菜香 一盏灯 平安就好 老房子 家门",
           heart.HOME),
    _theme("friendship", "友情",
           "友情 友谊 朋友 兄弟 姐妹 毕业 同学 青春 伙伴 闺蜜 校园 老友"
           " friend friends friendship buddy buddies graduation school youth",
           "老朋友 兄弟 青春 一起走 毕业那天 我们的约定 相逢",
           heart.FRIENDSHIP),
    _theme("travel", "旅行",
           "旅行 旅途 旅游 旅程 路上 公路 远方 出发 火车 背包 远行 流浪 自驾 路"
           " travel road trip journey train wander roadtrip adventure",
           "在路上 远方 出发 下一站 旅人 车窗外 天涯 明信片",
           world.TRAVEL),
    _theme("rain", "雨",
           "下雨 雨天 雨夜 雨季 阴天 雨"
           " rain rainy raining storm",
           "雨天 听雨 雨后 屋檐 一把伞 小雨 雨夜 彩虹",
           world.RAIN),
    _theme("dreams", "梦想",
           "梦想 希望 追梦 未来 奋斗 加油 励志 勇敢 坚持 努力 成功 理想 梦"
           " dream dreams hope future brave courage goal",
           "追梦 翅膀 向前 未来 勇气 第一步 梦想的花 向阳花",
           sky.DREAMS),
    _theme("nature", "星空自然",
           "星空 星星 大自然 自然 森林 月亮 银河 草原 风景 夜空 流星 萤火虫 日出 日落 星 山 花 湖"
           " star stars sky nature forest mountain mountains moon galaxy flower flowers",
           "星空 银河 萤火虫 流星 山谷 森林 月光下 小溪",
           sky.NATURE),
    _theme("seasons", "四季",
           "四季 季节 春天 秋天 冬天 落叶 初雪 枫叶 春 秋 冬 雪"
           " spring autumn fall winter season seasons snow",
           "四季 春夏秋冬 落叶 初雪 桃花 秋天 季节 蝉鸣",
           sky.SEASONS),
    _theme("memories", "回忆",
           "回忆 怀念 从前 往事 过去 曾经 思念 那年 童年 时光 怀旧 当年 记忆 旧"
           " memory memories remember nostalgia nostalgic old past yesterday",
           "旧照片 从前 十七岁 老歌 回忆 时光 枫叶 那年夏天",
           heart.MEMORIES),
    _theme("freedom", "自由",
           "自由 飞翔 翅膀 叛逆 摇滚 不羁 放飞 解放 飞"
           " free freedom fly wild rebel",
           "自由 野马 飞翔 做自己 没有尽头 地平线 风一样",
           sky.FREEDOM),
    _theme("hometown", "故乡",
           "故乡 家乡 老家 乡愁 思乡 归乡 回乡 乡村 村庄 游子 故土"
           " hometown village countryside",
           "故乡 乡愁 炊烟 老屋 回乡 石桥 故乡的月 游子",
           sky.HOMETOWN),
    _theme("classical", "中国风",
           "中国风 古风 国风 江南 古代 古典 诗词 唐诗 宋词 江湖 武侠 长安 古筝 烟雨 水墨"
           " 戏曲 明月 琴 酒 柳 侠"
           " ancient classical guzheng",
           "江南 烟雨 琴声 明月 相思 清酒 梨花 长亭",
           sky.CLASSICAL),
    _theme(GENTLE, "日常温柔",
           "温柔 日常 平凡 生活 治愈 简单 安静"
           " gentle calm everyday life chill healing quiet",
           "慢慢来 日子 晴天 小幸福 温柔 好天气 窗外 平凡",
           sky.GENTLE),
))

# Words that contain a theme word but mean something else (大家 is "everyone",
# not 家 "home"); they are matched first and count for nothing.
NEUTRAL_WORDS: tuple[str, ...] = (
    "大家", "国家", "作家", "专家", "上海", "海报", "花钱", "花费", "爱好", "山寨", "冬瓜",
)
