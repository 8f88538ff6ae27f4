"""Read downloaded spreadsheets back as rows of text, the way the tests compare them."""

import codecs
import csv
import io

from openpyxl import load_workbook


def csv_rows(response) -> list[list[str]]:
    """The rows of a streamed CSV download, which starts with the UTF-8 byte order mark."""
    body = b"".join(response.streaming_content)
    assert body.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(body[len(codecs.BOM_UTF8) :].decode("utf-8"))))


def xlsx_workbook(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)


def xlsx_rows(response) -> list[list[str]]:
    """The rows of the only sheet of an XLSX download, empty cells as ""."""
    (sheet,) = xlsx_workbook(response).worksheets
    return [
        ["" if cell is None else cell for cell in row] for row in sheet.iter_rows(values_only=True)
    ]
