"""A circular's edit form as an administrator fills it in."""


def form_data(**overrides):
    data = {
        "organ": "河南省知识产权局",
        "code": "豫知",
        "year": "2022",
        "number": "3",
        "title": "河南省知识产权局\r\n关于通报2020年质押融资情况的通知",
        "addressees": "各省辖市、济源示范区、省直管县（市）市场监管局（知识产权管局）",
        "situation": "2020年，全省专利质押融资金额29.86亿元。",
        "body": "一、提高认识。\r\n二、加强服务。",
        "signatory": "河南省知识产权局",
        "signed_on": "2022-03-05",
        "note": "此件主动公开",
        "copy_to": "",
        "printed_by": "河南省知识产权局办公室",
        "printed_on": "2022-03-05",
        "unit_names": "short",
        "attachments-TOTAL_FORMS": "2",
        "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
        "attachments-0-position": "1",
        "attachments-0-kind": "patent",
        "attachments-0-form": "table",
        "attachments-1-position": "1",  # the untouched extra row, as the browser sends it
        "attachments-1-kind": "",
        "attachments-1-form": "table",
    }
    data.update(overrides)
    return data
