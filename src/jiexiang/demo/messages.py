"""Synthetic citizen messages (诉求) per category, in the way 12345 callers phrase them: for the demo,
the classifier's tests and the intake benchmarks. Generated text, not real messages."""

from __future__ import annotations

import random
from collections.abc import Iterator

# category code → phrasings; {place} is an alley with a house number or a landmark.
TEMPLATES: dict[str, list[str]] = {
    "1101": [
        "{place}门口堆了很多杂物，好几天没人清理",
        "{place}有人乱堆旧家具和废品，影响通行",
        "反映{place}楼道外堆放大量杂物，存在安全隐患",
        "{place}胡同里乱堆物料，请尽快处理",
    ],
    "1102": [
        "{place}有装修垃圾和渣土堆在路边",
        "{place}附近倒了一堆建筑垃圾，砖头沙土都有",
        "夜里有渣土车在{place}倾倒渣土",
    ],
    "1103": ["{place}垃圾成堆没人清，味道很大", "{place}路边有暴露垃圾，苍蝇很多", "{place}有人乱扔生活垃圾"],
    "1104": ["{place}的垃圾桶满了溢出来了", "{place}垃圾箱满溢好几天没人收", "{place}垃圾站满了，垃圾堆到外面"],
    "1201": ["{place}墙上贴满了小广告", "{place}电线杆上有办证的小广告", "有人在{place}墙面喷涂小广告"],
    "1301": [
        "{place}有人私搭乱建，正在加盖一间房",
        "举报{place}院内违建，搭了个棚子",
        "{place}门口新建了违法建筑，占用公共通道",
        "{place}有人在屋顶私建房屋",
    ],
    "1401": ["下雨后{place}积水很深，行人没法走", "{place}路面积水排不出去", "{place}雨后内涝，水淹到膝盖"],
    "1501": ["{place}门口总有车辆乱停车，堵住出入口", "{place}有车违停挡道，消防车进不来", "{place}长期停着一辆僵尸车"],
    "1502": ["{place}一带停车难，居民晚上找不到车位", "{place}附近没有停车位，希望增设停车场"],
    "1503": ["{place}有商户占道经营，把货摆到路上", "{place}早点摊占道出摊，影响通行", "{place}饭馆店外经营摆桌子"],
    "1504": ["{place}有流动商贩骑三轮车卖菜", "{place}路口游商聚集，卖水果的很多"],
    "1505": [
        "{place}晚上广场舞音响太吵，影响休息",
        "{place}有商户用大音响招揽顾客，噪音扰民",
        "{place}半夜有人喊叫，很吵",
    ],
    "1601": ["{place}路面有个大坑，容易摔倒", "{place}道路破损坑洼不平", "{place}柏油路面裂缝很大"],
    "1602": ["{place}人行道地砖松动翘起", "{place}步道砖破损，盲道被占"],
    "1701": ["{place}绿化带被人毁坏", "{place}草坪被踩坏了，树坑也没了"],
    "0117": ["{place}的井盖丢了，很危险", "{place}井盖破损松动，车一过就响", "{place}路中间没有井盖，请赶紧处理"],
    "0114": ["{place}的路灯不亮了，晚上很黑", "{place}路灯坏了好几天", "{place}一排路灯都不亮"],
    "0305": ["{place}的果皮箱坏了", "{place}垃圾箱坏了盖子掉了"],
    "0206": ["{place}的护栏被撞坏了", "{place}道路栏杆倒了"],
}
OPENINGS = ["", "您好，", "市民来电反映：", "来电人称，", "我想反映一下，", "请相关部门处理：", "急！"]
CLOSINGS = ["", "希望尽快处理。", "谢谢。", "已经反映过多次了。", "请派人来看看。", "麻烦尽快解决，谢谢！"]


def message(rng: random.Random, code: str, place: str) -> str:
    body = rng.choice(TEMPLATES[code]).format(place=place)
    return f"{rng.choice(OPENINGS)}{body}{'，' if rng.random() < 0.5 else '。'}{rng.choice(CLOSINGS)}".strip("，")


def labelled_messages(rng: random.Random, places: list[str], count: int) -> Iterator[tuple[str, str]]:
    """(text, category code) pairs, categories drawn with uneven frequencies as in real hotline data."""
    codes = sorted(TEMPLATES)
    weights = [1.0 / (1 + i % 7) for i in range(len(codes))]
    for _ in range(count):
        code = rng.choices(codes, weights)[0]
        yield message(rng, code, rng.choice(places)), code
