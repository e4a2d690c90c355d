"""Place names of the demo city: Yinchuan (银川市), Ningxia, and the words its estates are named with.

The city, its six districts and counties and their subdistricts and towns are real, with their
division codes (GB/T 2260 and the statistics office's 12-digit codes). Subdistrict codes follow the
national convention: 街道 001-099, 镇 100-199, 乡 200-399, numbered in the order listed here.
Communities, estates, roads and companies are invented but sound like the place.
"""

from __future__ import annotations

from dataclasses import dataclass


def words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


@dataclass(frozen=True)
class District:
    code: str  # 6 digits
    name: str
    centre: tuple[float, float]  # latitude, longitude: where its estates cluster
    subdistricts: tuple[str, ...]
    roads: tuple[str, ...]

    @property
    def full_code(self) -> str:
        return f"{self.code}000000"


CITY_CODE = "640100000000"
CITY_NAME = "银川市"
PHONE_AREA = "0951"
# The demo map stays inside this box (latitude, longitude) around the city centre; the two
# southern counties are pulled a little north to stay on it.
BOUNDS = ((38.40, 38.60), (106.10, 106.40))

DISTRICTS: tuple[District, ...] = (
    District(
        "640104",
        "兴庆区",
        (38.475, 106.295),
        words(
            "凤凰北街街道 解放西街街道 文化街街道 富宁街街道 新华街街道 玉皇阁北街街道 前进街街道 "
            "中山南街街道 银古路街道 胜利街街道 丽景街街道 掌政镇 大新镇 通贵乡 月牙湖乡"
        ),
        words(
            "解放东街 解放西街 文化东街 文化西街 新华东街 中山北街 中山南街 民族北街 民族南街 清和北街 "
            "凤凰北街 丽景北街 丽景南街 胜利南街 银古路 北京东路 上海东路 长城东路 湖滨东街 玉皇阁北街"
        ),
    ),
    District(
        "640105",
        "西夏区",
        (38.495, 106.160),
        words("西花园路街道 北京西路街道 文昌路街道 朔方路街道 宁华路街道 贺兰山西路街道 兴泾镇 镇北堡镇"),
        words(
            "北京西路 怀远路 文昌北街 文昌南街 朔方路 宁华路 贺兰山西路 同心路 学院路 西花园路 "
            "文萃北街 兴洲路 黄河西路"
        ),
    ),
    District(
        "640106",
        "金凤区",
        (38.478, 106.235),
        words("黄河东路街道 北京中路街道 上海西路街道 满城北街街道 长城中路街道 阅海湾街道 良田镇 丰登镇"),
        words(
            "北京中路 上海西路 正源北街 正源南街 亲水大街 宝湖路 黄河东路 长城中路 满城北街 满城南街 "
            "康平路 贺兰山中路 万寿路 宁安大街 六盘山路 尹家渠街"
        ),
    ),
    District(
        "640121",
        "永宁县",
        (38.432, 106.255),
        words("团结西路街道 杨和镇 李俊镇 望远镇 望洪镇 闽宁镇 胜利乡"),
        words("杨和北街 杨和南街 团结西路 团结东路 宁和南街 永清路 望远大街 丰收路"),
    ),
    District(
        "640122",
        "贺兰县",
        (38.565, 106.345),
        words("富兴街街道 习岗镇 金贵镇 立岗镇 洪广镇 常信乡"),
        words("富兴北街 富兴南街 银河东路 银河西路 习岗路 利民街 虹桥街 兰光路"),
    ),
    District(
        "640181",
        "灵武市",
        (38.440, 106.365),
        words("城区街道 东塔镇 宁东镇 临河镇 马家滩镇 郝家桥镇 崇兴镇 梧桐树乡 白土岗乡"),
        words("灵州大道 朔方路 东塔路 新华街 北门大街 南门大街 园艺路 古城路"),
    ),
)


def subdistrict_codes(district: District) -> list[tuple[str, str]]:
    """(12-digit code, name) of every subdistrict of a district, numbered by kind in list order."""
    counters = {"街道": 1, "镇": 100, "乡": 200}
    result = []
    for name in district.subdistricts:
        kind = next(k for k in ("街道", "镇", "乡") if name.endswith(k))
        result.append((f"{district.code}{counters[kind]:03d}000", name))
        counters[kind] += 1
    return result


# Community names are a stem and an optional suffix, then 社区.
COMMUNITY_STEMS = words(
    "丽景 民乐 富宁 银湖 湖滨 兴源 康乐 塔寺 红花 清河 新华 光明 长城 团结 友爱 前进 海宝 燕鸽 银佐 "
    "春林 永康 满春 园林 银古 宝湖 金波 黄河 阅海 北塔 文化 胜利 紫园 东湖 西桥 南薰 鼓楼 玉皇 承天 "
    "兴安 利民 和平 幸福 安康 双渠 唐徕 惠农 艾依 丰盈 良田 枣园 观湖 兴庆 燕庆 上前 大新 通贵 掌政 "
    "洼路 金凤 泰康 正源 亲水 万寿 宁安 六盘 尹家 满城 上海 北京 贺兰 朔方 文昌 宁华 怀远 同心 西花 "
    "学院 兴泾 镇北 芦花 平吉 杨和 李俊 望远 望洪 闽宁 习岗 金贵 立岗 洪广 常信 富兴 虹桥 兰光 灵州 "
    "东塔 崇兴 临河 宁东 古城 园艺 梧桐 白土 新民 新城 兴业 福宁 瑞丰 和顺 康居 祥和 育才 翠竹 雅园 "
    "绿洲 金水 银河 沙湖"
)
COMMUNITY_SUFFIXES = ("", "", "", "东", "西", "南", "北", "新", "街", "路", "园", "苑")

# Estate names: a stem and a suffix (花园, 小区, 苑 ...); old estates are often a work unit's compound.
ESTATE_STEMS = words(
    "阅海 凤凰 丽景 宁安 贺兰 西湖 塞上 金凤 银河 湖畔 水岸 紫金 福宁 康居 幸福 和美 东方 唐徕 艾依 "
    "宝湖 鸣翠 海宝 北塔 南门 览山 观湖 悦澜 锦绣 世纪 怡园 翠园 兰亭 金地 银座 鼎盛 华府 盛世 御景 "
    "天骄 星河 铂悦 春天 阳光 朝阳 清水 湖景 凯旋 逸景 枫林 桃源 梨花 杏林 塞北 沙湖 明珠 新月 宁和 "
    "泰和 永安 长安 锦华 雅居 绿洲 金水 景城 满城 亲水 正源 上陵 万寿 龙湖 润泽 华夏 宏远 金宇 恒基 "
    "瀚海 正丰 西部 鑫园 嘉禾 书香 学府 领秀 悦府 水韵 馨园 丰庆 双城 芦花 良田 兴庆 怀远 朔方 文昌 "
    "同心 国际 城市 中央 湖城 北京 上海 长城 黄河 六盘 宁夏 银川 凤城"
)
ESTATE_SUFFIXES = words(
    "花园 小区 苑 家园 新村 佳苑 华庭 名邸 雅居 公馆 城 湾 府 里 嘉园 丽都 御府 新城 名城 广场"
)
ESTATE_VARIANTS = words("二期 三期 东区 西区 南区 北区 A区 B区 C区 四期")
OLD_ESTATE_UNITS = words(
    "粮食局 供电局 电信局 自来水公司 第一中学 人民医院 建筑公司 毛纺厂 机械厂 农机公司 税务局 邮政局 "
    "交通局 铁路 林业局 水利厅 气象局 橡胶厂 化肥厂 糖厂 仪表厂 纺织厂 商业局 物资局 轻工局 教育局"
)
OLD_ESTATE_FORMS = ("{unit}家属院", "{unit}宿舍", "{unit}住宅小区", "{stem}小区", "{stem}新村", "{stem}巷")

# Words for company names.
COMPANY_WORDS = words(
    "塞上 凤城 贺兰 银湖 宁和 嘉禾 润泽 华夏 宏远 金宇 恒基 瀚海 正丰 鼎盛 盛世 安居 乐居 美居 和顺 "
    "祥和 诚信 信达 永信 恒信 中瀚 森淼 银基 银联 宁东 西部 北方 新天 天泰 泰和 康宁 众合 联合 万和 "
    "万通 万嘉 金泰 金诚 金盾 银盾 绿城 绿苑 锦程 锦华 星河 星辰 朗润 博雅 尚品 优居 佳和 佳苑 怡和 "
    "怡居 家和 家园 邦泰 德润 德信 诚达 兴业 兴盛 隆基 隆盛 宝丰 宝湖 丰源 源泉"
)
COMPANY_PLACES = ("宁夏", "银川", "银川市", "宁夏回族自治区")
ENTERPRISE_FORMS = ("物业服务有限公司", "物业管理有限公司", "物业服务有限责任公司", "物业管理服务有限公司")
DEVELOPER_FORMS = ("房地产开发有限公司", "置业有限公司", "房地产开发集团有限公司")

# Where owners' ID numbers come from: mostly the city, some the rest of Ningxia and nearby provinces.
NINGXIA_ID_AREAS = words("640102 640302 640381 640202 640402 640502 640521 640522")
OTHER_ID_AREAS = words("610102 610602 620102 620402 150102 150602 410102 130102 370102")

# Mobile prefixes of the three carriers.
MOBILE_PREFIXES = words(
    "130 131 132 133 135 136 137 138 139 150 151 152 153 155 156 157 158 159 166 173 175 176 177 180 "
    "181 182 183 185 186 187 188 189 191 195 198 199"
)

# Given-name characters beyond Faker's, which are mostly men's.
GIVEN_CHARACTERS = words(
    "秀 英 丽 娟 敏 静 霞 芳 燕 玲 梅 红 兰 琴 艳 萍 婷 雪 慧 佳 欣 怡 悦 瑶 倩 颖 璐 琳 晶 蓉 凤 玉 淑 "
    "珍 华 春 桂 金 荣 建 国 志 文 海 永 宏 德 学"
)
