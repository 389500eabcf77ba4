"""Word classes for names: generic descriptors, locations and particles, in English and Chinese.

Generic words (technology, group, holdings) are weighted down, not dropped: two names that differ only in
them are close, but when a name has nothing else they carry the comparison. Locations (Hangzhou, China)
are optional qualifiers. The Chinese glossary gives the standard English rendering of the words that
company names are built from, so 华为技术有限公司 meets "Huawei Technologies Co., Ltd." in full strength;
anything else in a Han name is romanised (pinyin) or glossed through CC-CEDICT as a weaker signal.
"""

from __future__ import annotations

from enum import StrEnum


def word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


class WordClass(StrEnum):
    CORE = "core"
    GENERIC = "generic"
    LOCATION = "location"
    STOP = "stop"


GENERIC_WORDS = word_set(
    """
    wireless optronic optronics automation navigation mobile
    technology technologies tech digital group holding holdings international intl industries industry
    industrial science sciences scientific electronics electronic electric electrical communications
    communication telecommunications telecommunication telecom network networks system systems service
    services solutions solution engineering equipment manufacturing mfg development investment investments
    energy resources materials material information intelligent intelligence software global national general
    power construction machinery aviation aerospace heavy trading trade enterprise enterprises products
    product research institute academy chemical chemicals petroleum oil gas shipping shipbuilding logistics
    capital partners ventures securities finance financial medical pharmaceutical pharmaceuticals biotech
    biotechnology health motor motors automotive instruments instrument microelectronics optoelectronics
    robotics innovation innovative smart cloud data media culture metals metal mining minerals steel precision
    photonics defense defence security surveillance semiconductor semiconductors integrated circuit circuits
    offshore new import export branch airlines aircraft shipyard railway railways bank commercial agricultural
    construction infrastructure nuclear marine ocean electronic optical optics laboratory laboratories lab
    center centre applied
    """
)
# Generic words about how a firm is organised rather than what it does.
ORGANISATION_WORDS = word_set(
    """
    group holding international global national general enterprise corporation corp company co limited ltd inc
    incorporated
    """
)
LOCATION_WORDS = word_set(
    """
    china prc zhongguo hongkong hk sz bj sh beijing shanghai shenzhen hangzhou guangzhou tianjin wuhan chengdu
    xian nanjing chongqing suzhou hefei wuxi xiamen dalian qingdao jinan zhengzhou changsha harbin shenyang
    kunming fuzhou ningbo dongguan zhuhai foshan nanchang guiyang lanzhou taiyuan shijiazhuang changzhou hunan
    hubei guangdong jiangsu zhejiang sichuan shandong fujian anhui henan hebei shaanxi shanxi liaoning jilin
    heilongjiang yunnan guizhou gansu hainan jiangxi guangxi xinjiang tibet ningxia qinghai macau macao taiwan
    asia pacific america usa american europe
    """
)
STOP_WORDS = word_set(
    """
    of and the de del la le du des for und y e & in at on
    """
)

# Chinese words that company names are built from, with their usual English rendering and class.
HAN_GLOSSARY: dict[str, tuple[str, WordClass]] = {
    "科技": ("technology", WordClass.GENERIC),
    "技术": ("technology", WordClass.GENERIC),
    "数字": ("digital", WordClass.GENERIC),
    "创新": ("innovation", WordClass.GENERIC),
    "集团": ("group", WordClass.GENERIC),
    "控股": ("holdings", WordClass.GENERIC),
    "国际": ("international", WordClass.GENERIC),
    "工业": ("industry", WordClass.GENERIC),
    "实业": ("industrial", WordClass.GENERIC),
    "电子": ("electronics", WordClass.GENERIC),
    "通信": ("communications", WordClass.GENERIC),
    "通讯": ("communications", WordClass.GENERIC),
    "电信": ("telecom", WordClass.GENERIC),
    "网络": ("network", WordClass.GENERIC),
    "信息": ("information", WordClass.GENERIC),
    "智能": ("intelligent", WordClass.GENERIC),
    "软件": ("software", WordClass.GENERIC),
    "系统": ("systems", WordClass.GENERIC),
    "设备": ("equipment", WordClass.GENERIC),
    "制造": ("manufacturing", WordClass.GENERIC),
    "能源": ("energy", WordClass.GENERIC),
    "石油": ("oil", WordClass.GENERIC),
    "天然气": ("gas", WordClass.GENERIC),
    "化工": ("chemical", WordClass.GENERIC),
    "建设": ("construction", WordClass.GENERIC),
    "建筑": ("construction", WordClass.GENERIC),
    "工程": ("engineering", WordClass.GENERIC),
    "投资": ("investment", WordClass.GENERIC),
    "发展": ("development", WordClass.GENERIC),
    "研究院": ("institute", WordClass.GENERIC),
    "研究所": ("institute", WordClass.GENERIC),
    "航空": ("aviation", WordClass.GENERIC),
    "航天": ("aerospace", WordClass.GENERIC),
    "船舶": ("shipbuilding", WordClass.GENERIC),
    "重工": ("heavy", WordClass.GENERIC),
    "半导体": ("semiconductor", WordClass.GENERIC),
    "集成电路": ("integrated circuit", WordClass.GENERIC),
    "微电子": ("microelectronics", WordClass.GENERIC),
    "光电": ("optoelectronics", WordClass.GENERIC),
    "生物": ("biotech", WordClass.GENERIC),
    "医药": ("pharmaceutical", WordClass.GENERIC),
    "医疗": ("medical", WordClass.GENERIC),
    "材料": ("materials", WordClass.GENERIC),
    "机械": ("machinery", WordClass.GENERIC),
    "装备": ("equipment", WordClass.GENERIC),
    "仪器": ("instruments", WordClass.GENERIC),
    "海洋": ("offshore", WordClass.GENERIC),
    "移动": ("mobile", WordClass.GENERIC),
    "联通": ("unicom", WordClass.CORE),
    "银行": ("bank", WordClass.GENERIC),
    "商业": ("commercial", WordClass.GENERIC),
    "工商": ("industrial commercial", WordClass.GENERIC),
    "农业": ("agricultural", WordClass.GENERIC),
    "铁路": ("railway", WordClass.GENERIC),
    "中国": ("china", WordClass.LOCATION),
    "中华": ("china", WordClass.LOCATION),
    "北京": ("beijing", WordClass.LOCATION),
    "上海": ("shanghai", WordClass.LOCATION),
    "深圳": ("shenzhen", WordClass.LOCATION),
    "杭州": ("hangzhou", WordClass.LOCATION),
    "广州": ("guangzhou", WordClass.LOCATION),
    "天津": ("tianjin", WordClass.LOCATION),
    "武汉": ("wuhan", WordClass.LOCATION),
    "成都": ("chengdu", WordClass.LOCATION),
    "西安": ("xian", WordClass.LOCATION),
    "南京": ("nanjing", WordClass.LOCATION),
    "重庆": ("chongqing", WordClass.LOCATION),
    "苏州": ("suzhou", WordClass.LOCATION),
    "合肥": ("hefei", WordClass.LOCATION),
    "无锡": ("wuxi", WordClass.LOCATION),
    "厦门": ("xiamen", WordClass.LOCATION),
    "香港": ("hongkong", WordClass.LOCATION),
    "浙江": ("zhejiang", WordClass.LOCATION),
    "江苏": ("jiangsu", WordClass.LOCATION),
    "广东": ("guangdong", WordClass.LOCATION),
    "湖北": ("hubei", WordClass.LOCATION),
    "四川": ("sichuan", WordClass.LOCATION),
    "福建": ("fujian", WordClass.LOCATION),
    "安徽": ("anhui", WordClass.LOCATION),
}
# Legal-form endings of Chinese company names, longest first so 股份有限公司 wins over 有限公司.
HAN_LEGAL_FORMS: tuple[tuple[str, str], ...] = (
    ("股份有限公司", "jsc"),
    ("有限责任公司", "ltd"),
    ("有限公司", "ltd"),
    ("总公司", "corp"),
    ("公司", "corp"),
)

# Romanised Korean surnames as they appear in lists (McCune-Reischauer and common spellings).
KOREAN_SURNAMES: dict[str, str] = {
    "김": "kim", "이": "lee", "리": "ri", "박": "pak", "최": "choe", "정": "jong", "강": "kang", "조": "cho",
    "윤": "yun", "장": "jang", "임": "im", "림": "rim", "한": "han", "오": "o", "서": "so", "신": "sin",
    "권": "kwon", "황": "hwang", "안": "an", "송": "song", "류": "ryu", "홍": "hong", "고": "ko", "문": "mun",
    "양": "yang", "손": "son", "배": "pae", "백": "paek", "허": "ho", "남": "nam", "심": "sim", "노": "ro",
    "하": "ha", "곽": "kwak", "성": "song", "차": "cha", "주": "ju", "우": "u", "구": "ku", "전": "jon",
}  # fmt: skip


def word_class(token: str) -> WordClass:
    """The class of a folded word; legal-form words inside a name ("Corporation of China") are generic."""
    if token in STOP_WORDS:
        return WordClass.STOP
    if token in LOCATION_WORDS:
        return WordClass.LOCATION
    if token in GENERIC_WORDS or token in ORGANISATION_WORDS or (token.endswith("s") and token[:-1] in GENERIC_WORDS):
        return WordClass.GENERIC
    return WordClass.CORE
