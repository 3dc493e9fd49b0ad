/*
 * layout_xml.c - ALTO (v4) and hOCR from a page's recognized words.
 *
 * daftar reads a page in bands (see cleanup.c), so Tesseract's own ALTO and
 * hOCR would be one fragment per band, in the cleaned derivative's pixels.
 * Writing both from the words instead gives one document per page in the
 * same master-page pixels as the stored word boxes, with Tesseract's block,
 * paragraph and line grouping kept.
 */
#include <string.h>

#include "recognize_int.h"

typedef struct span {
  size_t first, end; /* words [first, end) */
  daftar_box box;
} span;

/* The run of words from i sharing the key (block, and para/line when
 * asked), with the union of their boxes. */
static span run_of(const ocr_page_result *r, size_t i, int para, int line) {
  const daftar_word *w = r->words;
  span s = {i, i, w[i].box};
  while(s.end < r->nwords && w[s.end].block == w[i].block &&
        (!para || w[s.end].para == w[i].para) &&
        (!line || w[s.end].line == w[i].line)) {
    s.box = daftar_box_union(s.box, w[s.end].box);
    s.end++;
  }
  return s;
}

static int xml_text(dbuf *b, const char *s) {
  int rc = DAFTAR_OK;
  for(; *s && rc == DAFTAR_OK; s++) {
    switch(*s) {
    case '&': rc = dbuf_puts(b, "&amp;"); break;
    case '<': rc = dbuf_puts(b, "&lt;"); break;
    case '>': rc = dbuf_puts(b, "&gt;"); break;
    case '"': rc = dbuf_puts(b, "&quot;"); break;
    case '\'': rc = dbuf_puts(b, "&apos;"); break;
    default: rc = dbuf_putc(b, *s); break;
    }
  }
  return rc;
}

static int alto_geom(dbuf *b, daftar_box x) {
  return dbuf_printf(b, " HPOS=\"%d\" VPOS=\"%d\" WIDTH=\"%d\" HEIGHT=\"%d\"",
                     x.x0, x.y0, x.x1 - x.x0, x.y1 - x.y0);
}

int layout_alto(const ocr_page_result *r, int page_no, int w, int h,
                dbuf *b) {
  int rc = dbuf_printf(
      b,
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<alto xmlns=\"http://www.loc.gov/standards/alto/ns-v4#\" "
      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
      "xsi:schemaLocation=\"http://www.loc.gov/standards/alto/ns-v4# "
      "http://www.loc.gov/alto/v4/alto-4-2.xsd\">\n"
      " <Description>\n  <MeasurementUnit>pixel</MeasurementUnit>\n"
      "  <OCRProcessing ID=\"OCR_0\"><ocrProcessingStep><processingSoftware>"
      "<softwareName>daftar (Tesseract %s, model %s)</softwareName>"
      "</processingSoftware></ocrProcessingStep></OCRProcessing>\n"
      " </Description>\n <Layout>\n"
      "  <Page ID=\"page_%d\" PHYSICAL_IMG_NR=\"%d\" WIDTH=\"%d\" "
      "HEIGHT=\"%d\">\n   <PrintSpace HPOS=\"0\" VPOS=\"0\" WIDTH=\"%d\" "
      "HEIGHT=\"%d\">\n",
      TessVersion(), r->model[0] ? r->model : "?", page_no, page_no, w, h, w,
      h);
  size_t i = 0;
  while(rc == DAFTAR_OK && i < r->nwords) {
    span blk = run_of(r, i, 0, 0);
    rc = dbuf_printf(b, "    <TextBlock ID=\"block_%d_%d\"", page_no,
                     r->words[i].block);
    if(!rc)
      rc = alto_geom(b, blk.box);
    if(!rc)
      rc = dbuf_puts(b, ">\n");
    while(rc == DAFTAR_OK && i < blk.end) {
      span ln = run_of(r, i, 1, 1);
      rc = dbuf_printf(b, "     <TextLine ID=\"line_%d_%d\"", page_no,
                       r->words[i].line);
      if(!rc)
        rc = alto_geom(b, ln.box);
      if(!rc)
        rc = dbuf_puts(b, ">\n");
      for(; rc == DAFTAR_OK && i < ln.end; i++) {
        const daftar_word *wd = &r->words[i];
        if(i > ln.first)
          rc = dbuf_puts(b, "      <SP/>\n");
        if(!rc)
          rc = dbuf_printf(b, "      <String ID=\"word_%d_%zu\"", page_no,
                           i + 1);
        if(!rc)
          rc = alto_geom(b, wd->box);
        if(!rc)
          rc = dbuf_printf(b, " WC=\"%.2f\" CONTENT=\"", wd->conf / 100.0);
        if(!rc)
          rc = xml_text(b, wd->text);
        if(!rc)
          rc = dbuf_puts(b, "\"/>\n");
      }
      if(!rc)
        rc = dbuf_puts(b, "     </TextLine>\n");
    }
    if(!rc)
      rc = dbuf_puts(b, "    </TextBlock>\n");
  }
  if(!rc)
    rc = dbuf_puts(b, "   </PrintSpace>\n  </Page>\n </Layout>\n</alto>\n");
  return rc;
}

static int hocr_bbox(dbuf *b, daftar_box x) {
  return dbuf_printf(b, "bbox %d %d %d %d", x.x0, x.y0, x.x1, x.y1);
}

int layout_hocr(const ocr_page_result *r, int page_no, int w, int h,
                dbuf *b) {
  const char *lang = strcmp(r->lang, "ckb") == 0 ? "ckb" : "ar";
  int rc = dbuf_printf(
      b,
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" "
      "\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n"
      "<html xmlns=\"http://www.w3.org/1999/xhtml\" xml:lang=\"%s\" "
      "lang=\"%s\" dir=\"rtl\">\n<head>\n<title></title>\n"
      "<meta http-equiv=\"Content-Type\" content=\"text/html;charset=utf-8\"/>\n"
      "<meta name=\"ocr-system\" content=\"daftar (Tesseract %s)\"/>\n"
      "<meta name=\"ocr-capabilities\" content=\"ocr_page ocr_carea ocr_par "
      "ocr_line ocrx_word ocrp_wconf\"/>\n</head>\n<body>\n"
      "<div class=\"ocr_page\" id=\"page_%d\" title=\"bbox 0 0 %d %d; "
      "ppageno %d\">\n",
      lang, lang, TessVersion(), page_no, w, h, page_no > 0 ? page_no - 1 : 0);
  size_t i = 0;
  while(rc == DAFTAR_OK && i < r->nwords) {
    span blk = run_of(r, i, 0, 0);
    rc = dbuf_printf(b, " <div class=\"ocr_carea\" id=\"block_%d_%d\" title=\"",
                     page_no, r->words[i].block);
    if(!rc)
      rc = hocr_bbox(b, blk.box);
    if(!rc)
      rc = dbuf_puts(b, "\">\n");
    while(rc == DAFTAR_OK && i < blk.end) {
      span par = run_of(r, i, 1, 0);
      rc = dbuf_printf(b, "  <p class=\"ocr_par\" id=\"par_%d_%d\" dir=\"rtl\" "
                          "title=\"", page_no, r->words[i].para);
      if(!rc)
        rc = hocr_bbox(b, par.box);
      if(!rc)
        rc = dbuf_puts(b, "\">\n");
      while(rc == DAFTAR_OK && i < par.end) {
        span ln = run_of(r, i, 1, 1);
        rc = dbuf_printf(b, "   <span class=\"ocr_line\" id=\"line_%d_%d\" "
                            "title=\"", page_no, r->words[i].line);
        if(!rc)
          rc = hocr_bbox(b, ln.box);
        if(!rc)
          rc = dbuf_puts(b, "\">");
        for(; rc == DAFTAR_OK && i < ln.end; i++) {
          const daftar_word *wd = &r->words[i];
          rc = dbuf_printf(b, "<span class=\"ocrx_word\" id=\"word_%d_%zu\" "
                              "title=\"", page_no, i + 1);
          if(!rc)
            rc = hocr_bbox(b, wd->box);
          if(!rc)
            rc = dbuf_printf(b, "; x_wconf %d\">", (int)(wd->conf + 0.5f));
          if(!rc)
            rc = xml_text(b, wd->text);
          if(!rc)
            rc = dbuf_puts(b, i + 1 < ln.end ? "</span> " : "</span>");
        }
        if(!rc)
          rc = dbuf_puts(b, "</span>\n");
      }
      if(!rc)
        rc = dbuf_puts(b, "  </p>\n");
    }
    if(!rc)
      rc = dbuf_puts(b, " </div>\n");
  }
  if(!rc)
    rc = dbuf_puts(b, "</div>\n</body>\n</html>\n");
  return rc;
}
