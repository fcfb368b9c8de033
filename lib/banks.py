"""A pledgee bank and its branches count as one bank: 中国银行洛阳分行 → 中国银行."""

import re
import unicodedata

# Short names people write, and names that differ from the registered one.
ALIASES = {
    "工行": "中国工商银行",
    "工商银行": "中国工商银行",
    "农行": "中国农业银行",
    "农业银行": "中国农业银行",
    "中行": "中国银行",
    "建行": "中国建设银行",
    "建设银行": "中国建设银行",
    "交行": "交通银行",
    "邮储银行": "中国邮政储蓄银行",
    "邮政储蓄银行": "中国邮政储蓄银行",
    "浦发银行": "上海浦东发展银行",
    "光大银行": "中国光大银行",
    "民生银行": "中国民生银行",
    "农发行": "中国农业发展银行",
    "国开行": "国家开发银行",
}
_HEAD = re.compile(r"^(.+?银行)")
_SHORT = re.compile(r"^(工行|农行|中行|建行|交行|农发行|国开行)")


def bank_group(name):
    """The bank a branch belongs to, as it is listed in the bank ranking."""
    text = "".join(unicodedata.normalize("NFKC", name or "").split())
    text = text.replace("(", "").replace(")", "")
    short = _SHORT.match(text)
    if short:
        return ALIASES[short.group(1)]
    head = _HEAD.match(text)
    if not head:
        return text
    bank = head.group(1)
    return ALIASES.get(bank, bank)
