"""Tiny documents in every supported format, made by the tests themselves."""
from __future__ import annotations

from pathlib import Path

PARAGRAPHS = [
    ("Background", "The treaty was signed in 1907. It settled disputes over Persia, Afghanistan, and Tibet."),
    ("Outcomes", "Relations improved for a time. Tensions later returned over Persia."),
]


def write_txt(path: Path) -> None:
    body = "Sample Report\n\n" + "\n\n".join(f"{h}\n\n{p}" for h, p in PARAGRAPHS) + "\n"
    path.write_text(body, encoding="utf-8")


def write_md(path: Path) -> None:
    body = "# Sample Report\n\n" + "\n\n".join(f"## {h}\n\n{p}" for h, p in PARAGRAPHS) + "\n"
    path.write_text(body, encoding="utf-8")


def write_html(path: Path) -> None:
    sections = "".join(f"<h2>{h}</h2><p>{p}</p>" for h, p in PARAGRAPHS)
    path.write_text(f"<html><head><title>t</title><style>p{{}}</style></head><body><h1>Sample Report</h1>"
                    f"{sections}<script>var x = 1;</script></body></html>", encoding="utf-8")


def write_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("Sample Report", level=1)
    for h, p in PARAGRAPHS:
        document.add_heading(h, level=2)
        document.add_paragraph(p)
    document.save(str(path))


def write_pdf(path: Path) -> None:
    """A minimal two-page PDF with real text operators, written by hand."""
    pages = [["Sample Report", PARAGRAPHS[0][0], PARAGRAPHS[0][1]], [PARAGRAPHS[1][0], PARAGRAPHS[1][1]]]
    objects: list[bytes] = []
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(len(pages)))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    font_id = 3 + 2 * len(pages)
    for i, lines in enumerate(pages):
        content_id = 4 + 2 * i
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 {font_id} 0 R >> >> /Contents {content_id} 0 R >>".encode())
        ops = ["BT", "/F1 11 Tf", "14 TL", "50 740 Td"]
        for line in lines:
            ops.append("(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") Tj T*")
        ops.append("ET")
        stream = "\n".join(ops).encode()
        objects.append(b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    path.write_bytes(pdf_from_objects(objects))


def pdf_from_objects(objects: list[bytes]) -> bytes:
    """A PDF file of numbered objects (1 = catalog) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{off:010d} 00000 n \n".encode() for off in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


WRITERS = {".txt": write_txt, ".md": write_md, ".html": write_html, ".docx": write_docx, ".pdf": write_pdf}
