#!/usr/bin/env python3
"""Writes the document fixtures the tests read (tests/fixtures/docs/):
PDF, DOCX, ODT and EPUB files shaped like the real ones analysts keep, made
byte for byte the same on every run (no clocks, no random ids), with nothing
but Python's standard library, so the fixtures can be re-made and reviewed.

  report.pdf      3 pages: a title in large type, a running header and a
                  "Page N of 3" footer, a word hyphenated across a line end,
                  a two-column page, a table, a Russian page (a CID font
                  with a ToUnicode map, as PDF makers write non-Latin text)
  encrypted.pdf   the same document behind a user password (RC4, the
                  standard security handler, revision 2)
  truncated.pdf   report.pdf cut short inside its second page
  scanned.pdf     one page holding only an image (no text)
  loop.pdf        a page tree whose node lists itself as its own kid
  fake.pdf        an HTML page named .pdf
  memo.docx       Word: Title and Heading styles, a word split across runs, a
                  table, a tracked deletion, document properties
  broken.docx     a docx whose document.xml is not well-formed
  bomb.docx       a docx whose document.xml inflates to 64 MB (a zip bomb)
  notes.odt       OpenDocument: text:h headings, spans, text:s spaces, a
                  footnote, meta.xml properties
  book.epub       EPUB 3: three chapters whose spine order differs from the
                  manifest's, one file name with a %-escape

Usage: tools/gen-doc-fixtures.py [DIR]   (default tests/fixtures/docs)
"""
import hashlib
import os
import sys
import zipfile
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STAMP = (2024, 3, 1, 12, 0, 0)  # every zip member's time

# ---------------------------------------------------------------- PDF


def pdf_string(s):
    return "(" + s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


class Pdf:
    """A PDF of numbered objects, written with a cross-reference table."""

    def __init__(self):
        self.objs = []

    def add(self, body):
        self.objs.append(body if isinstance(body, bytes) else body.encode("latin-1"))
        return len(self.objs)

    def set(self, num, body):
        self.objs[num - 1] = body if isinstance(body, bytes) else body.encode("latin-1")

    def stream(self, data, extra=""):
        return self.add(b"<< /Length %d%s >>\nstream\n" % (len(data), extra.encode()) + data +
                        b"\nendstream")

    def write(self, root, info, trailer_extra=""):
        out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for i, body in enumerate(self.objs):
            offsets.append(len(out))
            out += b"%d 0 obj\n" % (i + 1) + body + b"\nendobj\n"
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(self.objs) + 1)
        for off in offsets:
            out += b"%010d 00000 n \n" % off
        out += (b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" %
                (len(self.objs) + 1, root, info, trailer_extra.encode(), xref))
        return bytes(out)


def text_ops(lines, font="F1", size=11):
    """Content-stream operators drawing (x, y, text) lines in font."""
    ops = []
    for x, y, s in lines:
        ops.append("BT /%s %d Tf %d %d Td %s Tj ET" % (font, size, x, y, pdf_string(s)))
    return "\n".join(ops)


RUSSIAN = [
    "Заявление Министерства иностранных дел",
    "",
    "Односторонние санкции противоречат Уставу ООН",
    "и подрывают международное право.",
]


def cid_ops(lines, chars, size=11):
    """Russian lines drawn with the CID font: two-byte codes, one per char."""
    ops = []
    for x, y, s in lines:
        codes = "".join("%04X" % (chars.index(c) + 1) for c in s)
        ops.append("BT /F3 %d Tf %d %d Td <%s> Tj ET" % (size, x, y, codes))
    return "\n".join(ops)


def to_unicode(chars):
    body = ["/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
            "/CMapName /Quire-UCS def /CMapType 2 def",
            "1 begincodespacerange <0000> <FFFF> endcodespacerange",
            "%d beginbfchar" % len(chars)]
    for i, c in enumerate(chars):
        body.append("<%04X> <%04X>" % (i + 1, ord(c)))
    body += ["endbfchar", "endcmap CMapName currentdict /CMap defineresource pop end end"]
    return "\n".join(body).encode()


def header_footer(n, total):
    return [(72, 770, "UN Security Council - Report S/2023/123"),
            (270, 40, "Page %d of %d" % (n, total))]


def report_pages():
    page1 = header_footer(1, 3) + [
        (72, 700, "Unilateral Sanctions and the Charter"),  # drawn large (see below)
        (72, 660, "New York, 12 May 2023"),
        (72, 630, "The Group of Friends in Defence of the Charter of the United"),
        (72, 616, "Nations met to discuss unilateral coercive measures and their"),
        (72, 602, "effect on development. Members said such measures violate interna-"),
        (72, 588, "tional law and the sovereign equality of States."),
        (72, 556, "A second paragraph notes that humanitarian exemptions rarely work"),
        (72, 542, "in practice, as banks refuse transfers to sanctioned countries."),
    ]
    left = ["Delegations from the Non-Aligned", "Movement called for dialogue and", "restraint in the region."]
    right = ["Observers from civil society", "asked for monitoring of food", "and medicine supplies."]
    page2 = header_footer(2, 3) + [(72, 700 - 14 * i, s) for i, s in enumerate(left)] + \
        [(320, 700 - 14 * i, s) for i, s in enumerate(right)] + [
        (72, 600, "Table 1. Votes on draft resolution A/78/L.5"),
        (72, 580, "Region"), (220, 580, "In favour"), (340, 580, "Against"),
        (72, 566, "Africa"), (220, 566, "51"), (340, 566, "0"),
        (72, 552, "Europe"), (220, 552, "2"), (340, 552, "40"),
    ]
    return page1, page2


def build_report(encrypt=None):
    pdf = Pdf()
    catalog = pdf.add("<< /Type /Catalog /Pages 2 0 R >>")
    pages = pdf.add("")  # filled in below
    f1 = pdf.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    f2 = pdf.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
    running = ["UN Security Council - Report S/2023/123", "Page 3 of 3"]
    chars = sorted(set("".join(RUSSIAN + running)))
    tu = pdf.stream(to_unicode(chars))
    cid = pdf.add("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /DejaVuSans "
                  "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                  "/DW 600 /CIDToGIDMap /Identity >>")
    f3 = pdf.add("<< /Type /Font /Subtype /Type0 /BaseFont /DejaVuSans /Encoding /Identity-H "
                 "/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (cid, tu))
    res = "<< /Font << /F1 %d 0 R /F2 %d 0 R /F3 %d 0 R >> >>" % (f1, f2, f3)
    page1, page2 = report_pages()
    title = page1[2]
    c1 = text_ops(page1[:2] + page1[3:]) + "\n" + text_ops([title], "F2", 20)
    c2 = text_ops(page2)
    russian = [(72, 700 - 16 * i, s) for i, s in enumerate(RUSSIAN) if s]
    c3 = cid_ops([(72, 770, running[0]), (270, 40, running[1])] + russian, chars)
    kids = []
    for content in (c1, c2, c3):
        s = pdf.stream(content.encode("latin-1") if content.isascii() else content.encode())
        kids.append(pdf.add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                            "/Resources %s /Contents %d 0 R >>" % (res, s)))
    pdf.set(pages, "<< /Type /Pages /Kids [%s] /Count %d >>" %
            (" ".join("%d 0 R" % k for k in kids), len(kids)))
    info = pdf.add("<< /Title (Report of the Secretary-General) /Producer (quire fixtures) "
                   "/CreationDate (D:20230515090000Z) >>")
    if not encrypt:
        return pdf.write(catalog, info)
    return encrypt_pdf(pdf, catalog, info, encrypt)


# The standard security handler, revision 2 (PDF 1.7, 7.6.3): RC4, 40 bits.
PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def rc4(key, data):
    s, j = list(range(256)), 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out, i, j = bytearray(), 0, 0
    for b in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(b ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def encrypt_pdf(pdf, catalog, info, user):
    file_id = hashlib.md5(b"quire fixture").digest()
    perms = -4
    o = rc4(hashlib.md5((b"owner" + PAD)[:32]).digest()[:5], (user.encode() + PAD)[:32])
    key = hashlib.md5((user.encode() + PAD)[:32] + o + perms.to_bytes(4, "little", signed=True) +
                      file_id).digest()[:5]
    u = rc4(key, PAD)
    for n, body in enumerate(pdf.objs, 1):
        if b"stream\n" not in body:
            continue
        head, rest = body.split(b"stream\n", 1)
        data = rest[:-len(b"\nendstream")]
        k = hashlib.md5(key + n.to_bytes(3, "little") + b"\0\0").digest()[:10]
        pdf.objs[n - 1] = head + b"stream\n" + rc4(k, data) + b"\nendstream"
    enc = pdf.add(b"<< /Filter /Standard /V 1 /R 2 /O <" + o.hex().encode() + b"> /U <" +
                  u.hex().encode() + b"> /P -4 >>")
    return pdf.write(catalog, info, " /Encrypt %d 0 R /ID [<%s> <%s>]" %
                     (enc, file_id.hex(), file_id.hex()))


def build_scanned():
    pdf = Pdf()
    catalog = pdf.add("<< /Type /Catalog /Pages 2 0 R >>")
    pdf.add("<< /Type /Pages /Kids [5 0 R] /Count 1 >>")
    img = pdf.stream(bytes(range(64)), " /Type /XObject /Subtype /Image /Width 8 /Height 8 "
                     "/ColorSpace /DeviceGray /BitsPerComponent 8")
    s = pdf.stream(b"q 400 0 0 400 100 200 cm /Im1 Do Q")
    pdf.add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            "/Resources << /XObject << /Im1 %d 0 R >> >> /Contents %d 0 R >>" % (img, s))
    info = pdf.add("<< /Producer (scanner) >>")
    return pdf.write(catalog, info)


def build_loop():
    pdf = Pdf()
    catalog = pdf.add("<< /Type /Catalog /Pages 2 0 R >>")
    pdf.add("<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>")
    f = pdf.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    s = pdf.stream(text_ops([(72, 700, "A page in a looping page tree")]).encode())
    pdf.objs[2] = ("<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 %d 0 R >> >> "
                   "/Contents %d 0 R >>" % (f, s)).encode()
    info = pdf.add("<< >>")
    return pdf.write(catalog, info)


# ---------------------------------------------------------------- zips


def zip_bytes(members, first_stored=None):
    """A zip of (name, bytes) in order; first_stored is written uncompressed
    first (EPUB's and ODT's mimetype)."""
    path = os.path.join(os.environ.get("TMPDIR", "/tmp"), "quire-fixture.zip")
    with zipfile.ZipFile(path, "w") as z:
        if first_stored:
            z.writestr(zipfile.ZipInfo(first_stored[0], STAMP), first_stored[1],
                       compress_type=zipfile.ZIP_STORED)
        for name, data in members:
            z.writestr(zipfile.ZipInfo(name, STAMP), data, compress_type=zipfile.ZIP_DEFLATED)
    data = open(path, "rb").read()
    os.unlink(path)
    return data


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def wp(text, style=None):
    ppr = '<w:pPr><w:pStyle w:val="%s"/></w:pPr>' % style if style else ""
    return "<w:p>%s<w:r><w:t xml:space=\"preserve\">%s</w:t></w:r></w:p>" % (ppr, text)


def docx_members(body):
    return [
        ("[Content_Types].xml",
         '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
         'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
         '</Types>'),
        ("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
         'openxmlformats.org/package/2006/relationships"/>'),
        ("word/document.xml", body),
        ("docProps/core.xml",
         '<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.'
         'openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/'
         'elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"><dc:title>Memo on the Charter'
         '</dc:title><dcterms:created>2023-06-02T08:00:00Z</dcterms:created></cp:coreProperties>'),
    ]


def build_docx():
    paras = [
        wp("Memo on unilateral sanctions", "Title"),
        wp("Background", "Heading1"),
        wp("The Charter of the United Nations gives the Security Council alone the power to "
           "impose binding measures."),
        "<w:p><w:r><w:t>Unilateral coercive measures are </w:t></w:r><w:r><w:t>sanc</w:t></w:r>"
        "<w:r><w:t>tions imposed without</w:t></w:r><w:r><w:tab/><w:t>a mandate.</w:t></w:r>"
        "<w:del><w:r><w:delText>This sentence was deleted.</w:delText></w:r></w:del></w:p>",
        "<w:p/>",
        wp("Votes", "Heading1"),
        "<w:tbl><w:tr><w:tc>%s</w:tc><w:tc>%s</w:tc></w:tr></w:tbl>" % (wp("Africa"), wp("51 in favour")),
        wp("The Group of Friends in Defence of the Charter will meet again in September."),
    ]
    body = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document %s><w:body>%s'
            "</w:body></w:document>" % (W, "".join(paras)))
    return zip_bytes(docx_members(body))


def build_broken_docx():
    body = ('<?xml version="1.0"?><w:document %s><w:body>%s<w:p><w:r><w:t>cut off'
            % (W, wp("A paragraph before the damage.")))
    return zip_bytes(docx_members(body))


def build_bomb_docx():
    body = ('<?xml version="1.0"?><w:document %s><w:body><w:p><w:r><w:t>' % W +
            " " * (64 << 20) + "</w:t></w:r></w:p></w:body></w:document>")
    return zip_bytes(docx_members(body))


T = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
     'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
     'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
     'xmlns:dc="http://purl.org/dc/elements/1.1/"')


def build_odt():
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content %s><office:body>'
        "<office:text>"
        '<text:h text:outline-level="1">Notes from the summit</text:h>'
        "<text:p>Leaders of <text:span>Russia</text:span> and China called for a"
        "<text:s/>summit of the Security Council<text:note><text:note-citation>1</text:note-citation>"
        "<text:note-body><text:p>A footnote that is left out.</text:p></text:note-body></text:note>"
        " to restore trust.</text:p>"
        '<text:h text:outline-level="2">Sanctions</text:h>'
        "<text:p>Both sides rejected unilateral<text:s text:c=\"3\"/>sanctions.</text:p>"
        "</office:text></office:body></office:document-content>" % T)
    meta = ('<?xml version="1.0" encoding="UTF-8"?><office:document-meta %s><office:meta>'
            "<dc:title>Summit notes</dc:title><meta:creation-date>2023-09-20T10:00:00"
            "</meta:creation-date></office:meta></office:document-meta>" % T)
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:'
                'oasis:names:tc:opendocument:xmlns:manifest:1.0"/>')
    return zip_bytes([("META-INF/manifest.xml", manifest), ("content.xml", content),
                      ("meta.xml", meta)],
                     ("mimetype", "application/vnd.oasis.opendocument.text"))


def chapter(title, paras):
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">\n'
            "<head><title>%s</title></head>\n<body>\n<h1>%s</h1>\n%s\n</body>\n</html>\n" %
            (title, title, "\n".join("<p>%s</p>" % p for p in paras)))


def build_epub():
    container = ('<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:'
                 'opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" '
                 'media-type="application/oebps-package+xml"/></rootfiles></container>')
    opf = ('<?xml version="1.0" encoding="UTF-8"?><package xmlns="http://www.idpf.org/2007/opf" '
           'version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
           "<dc:title>A History of the Charter</dc:title><dc:date>2020-10-24</dc:date></metadata>"
           '<manifest><item id="c3" href="text/chapter%203.xhtml" media-type="application/xhtml+xml"/>'
           '<item id="c1" href="text/one.xhtml" media-type="application/xhtml+xml"/>'
           '<item id="c2" href="text/two.xhtml" media-type="application/xhtml+xml"/></manifest>'
           '<spine><itemref idref="c1"/><itemref idref="c2"/><itemref idref="c3"/></spine></package>')
    return zip_bytes([
        ("META-INF/container.xml", container),
        ("OEBPS/content.opf", opf),
        ("OEBPS/text/one.xhtml", chapter("San Francisco, 1945", [
            "Delegates of fifty nations signed the Charter in June 1945.",
            "It entered into force on 24 October 1945."])),
        ("OEBPS/text/two.xhtml", chapter("The Security Council", [
            "Five permanent members hold a veto over substantive decisions."])),
        ("OEBPS/text/chapter 3.xhtml", chapter("Sanctions", [
            "Article 41 lets the Council impose measures not involving armed force.",
            "Unilateral sanctions have no such basis in the Charter."])),
    ], ("mimetype", "application/epub+zip"))


# ---------------------------------------------------------------- any text
# For tools/bench/formats.py: the same words as PDF pages, a DOCX, an EPUB.

LINES_PER_PAGE, WRAP = 50, 90


def wrap(para):
    lines, line = [], ""
    for w in para.split():
        if line and len(line) + 1 + len(w) > WRAP:
            lines.append(line)
            line = w
        else:
            line = (line + " " + w) if line else w
    return lines + [line] if line else lines


def text_pdf(title, paras):
    """title and paragraphs as Letter pages of Helvetica, 50 lines each, a
    blank line between paragraphs (characters outside windows-1252: '?')."""
    rows = [title, ""]
    for para in paras:
        rows += wrap(para) + [""]
    pdf = Pdf()
    catalog = pdf.add("<< /Type /Catalog /Pages 2 0 R >>")
    pages = pdf.add("")
    font = pdf.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    kids = []
    for at in range(0, len(rows), LINES_PER_PAGE):
        ops = [text_ops([(72, 750 - 14 * i, r)]) for i, r in enumerate(rows[at:at + LINES_PER_PAGE]) if r]
        content = "\n".join(ops).encode("cp1252", errors="replace")
        s = pdf.stream(content)
        kids.append(pdf.add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                            "/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>" % (font, s)))
    pdf.set(pages, "<< /Type /Pages /Kids [%s] /Count %d >>" %
            (" ".join("%d 0 R" % k for k in kids), len(kids)))
    info = pdf.add("<< /Producer (quire bench) >>")
    return pdf.write(catalog, info)


def xml_escape(t):
    return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def text_docx(title, paras):
    body = [wp(xml_escape(title), "Title")] + [wp(xml_escape(p)) for p in paras]
    doc = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document %s><w:body>%s'
           "</w:body></w:document>" % (W, "".join(body)))
    return zip_bytes(docx_members(doc))


def text_epub(title, paras, per_chapter=20):
    container = ('<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:'
                 'opendocument:xmlns:container"><rootfiles><rootfile full-path="content.opf" '
                 'media-type="application/oebps-package+xml"/></rootfiles></container>')
    chapters = [paras[i:i + per_chapter] for i in range(0, max(len(paras), 1), per_chapter)]
    items = "".join('<item id="c%d" href="c%d.xhtml" media-type="application/xhtml+xml"/>' % (i, i)
                    for i in range(len(chapters)))
    spine = "".join('<itemref idref="c%d"/>' % i for i in range(len(chapters)))
    opf = ('<?xml version="1.0" encoding="UTF-8"?><package xmlns="http://www.idpf.org/2007/opf" '
           'version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>%s'
           "</dc:title></metadata><manifest>%s</manifest><spine>%s</spine></package>"
           % (xml_escape(title), items, spine))
    members = [("META-INF/container.xml", container), ("content.opf", opf)]
    for i, ch in enumerate(chapters):
        members.append(("c%d.xhtml" % i, chapter("%s (%d)" % (xml_escape(title), i + 1),
                                                 [xml_escape(p) for p in ch])))
    return zip_bytes(members, ("mimetype", "application/epub+zip"))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "tests", "fixtures", "docs")
    os.makedirs(out, exist_ok=True)
    report = build_report()
    files = {
        "report.pdf": report,
        "encrypted.pdf": build_report(encrypt="secret"),
        "truncated.pdf": report[:len(report) // 2],
        "scanned.pdf": build_scanned(),
        "loop.pdf": build_loop(),
        "fake.pdf": b"<!DOCTYPE html><html><body><p>Not a PDF at all.</p></body></html>\n",
        "memo.docx": build_docx(),
        "broken.docx": build_broken_docx(),
        "bomb.docx": build_bomb_docx(),
        "notes.odt": build_odt(),
        "book.epub": build_epub(),
    }
    for name, data in files.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode())
    print("wrote %d fixtures to %s" % (len(files), out))


if __name__ == "__main__":
    main()
