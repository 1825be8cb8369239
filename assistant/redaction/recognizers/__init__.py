"""The recognizer registry: every PII recognizer the redactor runs, in one list.

Adding a recognizer means adding its module and one line here. Each class declares the
languages it serves (``SUPPORTED_LANGUAGES``) and takes ``supported_language`` in its
constructor; the redactor makes one instance per language.
"""

from __future__ import annotations

from assistant.redaction.recognizers.bank_card import BankCardRecognizer
from assistant.redaction.recognizers.base import RecognizerClass
from assistant.redaction.recognizers.cn_address import CnAddressRecognizer
from assistant.redaction.recognizers.cn_landline_phone import CnLandlinePhoneRecognizer
from assistant.redaction.recognizers.cn_mobile_phone import CnMobilePhoneRecognizer
from assistant.redaction.recognizers.cn_passport import CnPassportRecognizer
from assistant.redaction.recognizers.cn_resident_id import CnResidentIdRecognizer
from assistant.redaction.recognizers.email import EmailRecognizer
from assistant.redaction.recognizers.en_address import EnAddressRecognizer
from assistant.redaction.recognizers.en_person_name import EnPersonNameRecognizer
from assistant.redaction.recognizers.hk_macau_permit import HkMacauPermitRecognizer
from assistant.redaction.recognizers.intl_phone import IntlPhoneRecognizer
from assistant.redaction.recognizers.romanized_name import RomanizedNameRecognizer
from assistant.redaction.recognizers.zh_lac_ner import ZhLacNerRecognizer
from assistant.redaction.recognizers.zh_name_beside_number import ZhNameBesideNumberRecognizer
from assistant.redaction.recognizers.zh_person_name import ZhPersonNameRecognizer

ALL_RECOGNIZERS: tuple[RecognizerClass, ...] = (
    CnResidentIdRecognizer,
    BankCardRecognizer,
    CnMobilePhoneRecognizer,
    CnLandlinePhoneRecognizer,
    IntlPhoneRecognizer,
    EmailRecognizer,
    CnPassportRecognizer,
    HkMacauPermitRecognizer,
    CnAddressRecognizer,
    ZhPersonNameRecognizer,
    ZhNameBesideNumberRecognizer,
    EnPersonNameRecognizer,
    RomanizedNameRecognizer,
    EnAddressRecognizer,
    ZhLacNerRecognizer,
)

__all__ = ["ALL_RECOGNIZERS", "RecognizerClass"]
