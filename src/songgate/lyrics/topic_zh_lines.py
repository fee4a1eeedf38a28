"""Chinese line templates that sing the prompt's nouns, by rhyme class and story part.

Each template is a whole line with one ``{x}`` slot for a noun (海边, 火车,
宇航员); the slot never ends the line, and the last character is in the
class the template is filed under, so a filled template rhymes with every
bank line of that class (一韵到底). ``verse`` lines tell the scene and what
happened, ``doing`` lines sing the prompt's verb (追逐的日子像一场梦),
``turn`` lines open the bridge with a "but", ``hook`` lines open the chorus
and sing the subject.
"""

from __future__ import annotations

# class → role → templates
TEMPLATES: dict[str, dict[str, tuple[str, ...]]] = {
    "江阳": {
        "doing": ("{x}的日子闪着光",),
        "verse": ("{x}映着昏黄的光", "我在{x}旁边张望", "{x}还是旧时模样",
                  "一想起{x}心就发烫", "我把{x}写进月光"),
        "turn": ("可{x}已去了远方", "如果{x}不再一样"),
        "hook": ("{x}一直在我心上", "{x}是我的天堂"),
    },
    "言前": {
        "doing": ("还记得{x}的那天",),
        "verse": ("{x}静静映在窗前", "我和{x}说了再见", "把{x}放在心里面",
                  "{x}就在我的眼前", "我守着{x}到天边"),
        "turn": ("可{x}已不在身边", "也许{x}会慢慢改变"),
        "hook": ("{x}陪我到永远", "{x}是我的思念"),
    },
    "人辰": {
        "doing": ("{x}的那个清晨",),
        "verse": ("{x}还留着余温", "我在{x}旁边等人", "{x}藏着一颗真心",
                  "{x}记得我的青春", "我走过{x}的清晨"),
        "turn": ("可{x}已没有回音", "如果{x}不再温存"),
        "hook": ("{x}温暖我的心", "我忘不了{x}的温存"),
    },
    "中东": {
        "doing": ("{x}的日子像一场梦",),
        "verse": ("{x}吹着轻轻的风", "{x}映着夕阳红", "我把{x}放进梦中",
                  "{x}在雾里朦胧", "我和{x}一路相逢"),
        "turn": ("可{x}已消失在风中", "也许{x}会不同"),
        "hook": ("{x}在我的梦中", "{x}是我的晴空"),
    },
    "一七": {
        "doing": ("{x}的日子在回忆里",),
        "verse": ("{x}还留在记忆里", "我在{x}等着你", "{x}落满了回忆",
                  "我把{x}藏在心底", "{x}陪着我呼吸"),
        "turn": ("可{x}已经远去", "如果{x}能再遇"),
        "hook": ("{x}是我的秘密", "{x}一直在我心里"),
    },
    "发花": {
        "doing": ("{x}的那年盛夏",),
        "verse": ("{x}旁边开满了花", "我在{x}旁边长大", "{x}映着满天晚霞",
                  "和{x}说说心里话", "{x}在雨里说话"),
        "turn": ("可{x}再也不说话", "如果{x}还在那"),
        "hook": ("{x}就是我的家", "{x}远在海角天涯"),
    },
    "遥条": {
        "doing": ("{x}的时候你在笑",),
        "verse": ("{x}在风中轻摇", "我在{x}旁边奔跑", "{x}被月光照耀",
                  "{x}是我的骄傲", "我对着{x}微笑"),
        "turn": ("可{x}已不再美好", "如果{x}能知道"),
        "hook": ("{x}一直对我微笑", "{x}把我紧紧拥抱"),
    },
    "油求": {
        "doing": ("{x}的日子慢慢走",),
        "verse": ("我在{x}旁边停留", "{x}陪我走过春秋", "{x}留在我的心头",
                  "我和{x}挥挥手", "{x}边的风很温柔"),
        "turn": ("可{x}已不能挽留", "如果{x}还能守候"),
        "hook": ("{x}一直在我心头", "{x}陪我一起走"),
    },
    "怀来": {
        "doing": ("{x}的日子会回来",),
        "verse": ("{x}在等我回来", "我把{x}藏进心怀", "{x}又一次醒来",
                  "我为{x}把门打开", "{x}旁的花又盛开"),
        "turn": ("可{x}再也不回来", "如果{x}还一直在"),
        "hook": ("{x}是我的期待", "{x}永远都会在"),
    },
}
