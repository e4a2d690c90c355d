"""Reading and writing Excel (xlsx) ledgers: the one layer every import and export goes through.

An import declares its sheet once, as a `SheetSpec` of `Column`s: the header as the clerks' ledger
spells it (Chinese; it is data, not interface text, so it is not translated), the field it fills,
whether it is required, and a `Parser` for its cells. Then

- `SheetSpec.read(file)` reads an upload into a `Sheet` of parsed rows and errors by row and column,
  and the import service adds its own errors and calls `Sheet.raise_if_errors()` before it writes:
  an import is all-or-nothing (`reading`);
- `SheetSpec.template()` builds the empty workbook clerks download (`template`);
- `ImportPage` and `TemplateDownload` are the base views of every import page (`views`), and
  `xlsx_response` sends a workbook with its Chinese file name (`responses`).

The parsers and `Column` live in `columns`. Import from this package, not from its modules.
"""

from jiayuan.core.xlsx.columns import (
    CellInvalid,
    Choice,
    Column,
    Date,
    Integer,
    Number,
    Parser,
    Text,
    Year,
    cell_text,
    code,
    normalise_label,
)
from jiayuan.core.xlsx.reading import (
    CellError,
    ImportResult,
    Row,
    Sheet,
    SheetSpec,
    open_workbook,
    read_upload,
    reject_with,
)
from jiayuan.core.xlsx.responses import XLSX_CONTENT_TYPE, xlsx_response
from jiayuan.core.xlsx.template import INSTRUCTIONS_TITLE, ReferenceSheet, build_template
from jiayuan.core.xlsx.views import ImportPage, TemplateDownload, UploadForm

__all__ = [
    "INSTRUCTIONS_TITLE",
    "XLSX_CONTENT_TYPE",
    "CellError",
    "CellInvalid",
    "Choice",
    "Column",
    "Date",
    "ImportPage",
    "ImportResult",
    "Integer",
    "Number",
    "Parser",
    "ReferenceSheet",
    "Row",
    "Sheet",
    "SheetSpec",
    "TemplateDownload",
    "Text",
    "UploadForm",
    "Year",
    "build_template",
    "cell_text",
    "code",
    "normalise_label",
    "open_workbook",
    "read_upload",
    "reject_with",
    "xlsx_response",
]
