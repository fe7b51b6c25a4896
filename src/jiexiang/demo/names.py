"""Names for the synthetic demo: real street names of the 西长安街 area where the briefing mentions them,
plausible Beijing hutong names for the rest. Positions and everything else about them are invented."""

from __future__ import annotations

SUBDISTRICT = ("110102001", "西长安街街道")

COMMUNITIES = [  # (code suffix, name), laid out west→east, south row then north row
    ("001", "西交民巷社区"),
    ("002", "和平门社区"),
    ("003", "新文化街社区"),
    ("004", "六部口社区"),
    ("005", "钟声社区"),
    ("006", "西黄城根南街社区"),
    ("007", "府右街社区"),
    ("008", "南北长街社区"),
]

# Main streets (not back alleys): five running north–south (west→east), five east–west (south→north).
NORTH_SOUTH_STREETS = ["西单北大街", "佟麟阁路", "北新华街", "府右街", "南长街"]
EAST_WEST_STREETS = ["前门西大街", "绒线胡同", "西长安街", "灵境胡同", "西安门大街"]

# Back alleys named in the briefing come first, so they are always in the demo.
BRIEFING_ALLEYS = ["东斜街", "光明胡同", "织女桥东河沿", "力学胡同", "西交民巷"]

REAL_ALLEYS = [
    "西斜街",
    "大酱房胡同",
    "小酱房胡同",
    "东绒线胡同",
    "西绒线胡同",
    "石碑胡同",
    "安福胡同",
    "东安福胡同",
    "西安福胡同",
    "双栅栏胡同",
    "兵部洼胡同",
    "前细瓦厂胡同",
    "后细瓦厂胡同",
    "背阴胡同",
    "新壁街",
    "高碑胡同",
    "抄手胡同",
    "帘子胡同",
    "油房胡同",
    "东太平街",
    "西太平街",
    "察院胡同",
    "大六部口街",
    "小六部口街",
    "碑子胡同",
    "松树胡同",
    "东铁匠胡同",
    "西铁匠胡同",
    "头发胡同",
    "受水河胡同",
    "旧帘子胡同",
    "东新帘子胡同",
    "西新帘子胡同",
    "前百户胡同",
    "后百户胡同",
    "文昌胡同",
    "大木仓胡同",
    "取灯胡同",
    "西单横二条",
    "辟才胡同",
    "大石虎胡同",
    "小石虎胡同",
    "前英子胡同",
    "后英子胡同",
    "新文化街",
    "东栓马桩胡同",
    "西栓马桩胡同",
    "北大吉巷",
    "钟声胡同",
    "东河沿",
    "西河沿",
]

# For the remaining alleys: prefix + base + 胡同, as Beijing names them.
GENERATED_PREFIXES = ["东", "西", "南", "北", "前", "后", "大", "小"]
GENERATED_BASES = [
    "椿树",
    "槐树",
    "柳树",
    "井儿",
    "灯草",
    "鸭子",
    "琉璃",
    "炒豆",
    "箭杆",
    "笤帚",
    "板章",
    "铁门",
    "报子",
    "罗贤",
    "手帕",
    "丰盛",
    "粉子",
    "香炉",
    "盆儿",
    "鹞儿",
    "扁担",
    "轿子",
    "羊肉",
    "豆芽菜",
]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
GIVEN_NAMES = [
    "建国",
    "秀兰",
    "志强",
    "丽娟",
    "海涛",
    "晓燕",
    "伟",
    "静",
    "军",
    "敏",
    "磊",
    "洁",
    "明",
    "芳",
    "勇",
    "红梅",
    "凯",
    "婷",
    "鹏",
    "霞",
    "立新",
    "淑珍",
    "国庆",
    "桂英",
    "德胜",
    "玉兰",
    "振华",
    "春燕",
]

LANDMARKS = [
    "北京音乐厅",
    "六部口地铁站",
    "西单地铁站",
    "和平门地铁站",
    "西长安街街道办事处",
    "西单文化广场",
    "新文化街小学",
    "府右街菜市场",
    "光明胡同停车场",
    "灵境胡同公交站",
]

# Units that own and maintain components, and the classes they look after.
UNITS = [
    ("西长安街街道城市管理办公室", "department"),
    ("西城区城市管理委员会", "department"),
    ("西城区园林绿化局", "department"),
    ("北京市自来水集团", "utility"),
    ("北京城市排水集团", "utility"),
    ("国网北京城区供电公司", "utility"),
    ("北京市路灯管理中心", "utility"),
    ("北京市热力集团", "utility"),
    ("北京燃气集团", "utility"),
    ("北京联通西城分公司", "utility"),
    ("长安物业管理有限公司", "property_company"),
    ("府右街准物业服务有限公司", "property_company"),
    ("灵境物业管理有限公司", "property_company"),
    ("六部口环境服务有限公司", "property_company"),
]
