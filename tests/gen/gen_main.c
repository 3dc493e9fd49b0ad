/*
 * gen_main.c - the daftar-gen command: `batch` and `line` modes.
 *
 *   daftar-gen batch --out DIR [--seed N] [--files N] [--docs N]
 *              [--lang ar|ckb|mixed] [--degrade none|light|heavy]
 *              [--compression g4|lzw|jpeg|none|mixed] [--dpi 300|200]
 *              [--rotate 0|90|180|270] [--letters]
 *              [--layout colon|leader|table|mixed] [--font FAMILY]
 *   daftar-gen line --text TEXT --out FILE.tif [--font FAMILY]
 *              [--size PT] [--dpi N] [--rotate DEG] [--compression C]
 *              [--degrade none|light|heavy] [--seed N]
 *
 * Output depends on the arguments alone: the same seed gives the same
 * bytes.  Small batches still cover the cases tests need: with --lang
 * mixed files alternate Arabic and Sorani, layouts and (with mixed)
 * compressions cycle over documents, and the second file's registration
 * is always two pages.
 *
 * Exit status: 0 done, 2 usage error, 1 failure.
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gen.h"

#define EXIT_USAGE 2
#define DEFAULT_LINE_FONT "Noto Naskh Arabic"
#define DEFAULT_LINE_SIZE_PT 32.0
#define LINE_TEXT_MAX 4096
#define FILE_NO_FIRST_MIN 1000 /* file numbers are 5 digits */
#define FILE_NO_FIRST_MAX 50000
#define FILE_NO_STEP_MAX 5     /* 50000 + 5 * GEN_FILES_MAX < 100000 */
#define TWO_PAGE_CHANCE 0.3    /* registrations split over two pages */
#define TWO_PAGE_FILE 1        /* this file's registration always is */

enum degrade { DEGRADE_NONE = 0, DEGRADE_LIGHT, DEGRADE_HEAVY };

typedef struct batch_opts {
  const char *out;
  uint64_t seed;
  int files, docs;
  int lang;        /* enum gen_lang, or -1 for mixed */
  enum degrade degrade;
  int compression; /* enum gen_compression, or -1 for mixed */
  int dpi;         /* 0: chosen per document */
  int rotate;      /* -1: chosen per document (heavy only) */
  int letters;
  int layout;      /* enum gen_layout, or -1 for mixed (cycled) */
  const char *font; /* one family for every document, or NULL */
  int digits;       /* enum gen_digits, or -1 for mixed */
} batch_opts;

static const char usage_text[] =
    "usage: daftar-gen batch --out DIR [--seed N] [--files N] [--docs N]\n"
    "           [--lang ar|ckb|mixed] [--degrade none|light|heavy]\n"
    "           [--compression g4|lzw|jpeg|none|mixed] [--dpi 300|200]\n"
    "           [--rotate 0|90|180|270] [--letters]\n"
    "           [--layout colon|leader|table|mixed] [--font FAMILY]\n"
    "           [--digits ascii|arabic-indic|persian|mixed]\n"
    "       daftar-gen line --text TEXT --out FILE.tif [--font FAMILY]\n"
    "           [--size PT] [--dpi N] [--rotate DEG] [--compression C]\n"
    "           [--degrade none|light|heavy] [--seed N]\n"
    "\n"
    "batch: synthetic scanned paper files in DIR (must be new or empty):\n"
    "  DIR/<file_no>/doc-NN.tif and DIR/truth.jsonl (one line per document:\n"
    "  source, file_no, lang, doc_type, digits, rotation, skew, dpi,\n"
    "  compression, pages [{n, text}], fields, font, layout, date_format).\n"
    "  Defaults: --seed 1 --files 4 --docs 2 --lang mixed --degrade light\n"
    "  --compression mixed --layout mixed; dpi 300 (light/heavy: some\n"
    "  pages 200).  Field layouts: label then colon, dotted leader, or\n"
    "  table cell; the truth reads \"label: value\" or \"label value\".\n"
    "  rotation is the clockwise turn applied to the page; skew is in\n"
    "  degrees, positive clockwise.\n"
    "line: one line of text (logical order) as a TIFF; --size in points\n"
    "  (default 32), --dpi default 300, --rotate any angle in degrees\n"
    "  (clockwise), --compression default lzw.  --degrade light|heavy\n"
    "  scans the line like a batch page of that level (faded ink, blur,\n"
    "  dust, 200 dpi, and like a G4 page bitonal), drawn from --seed\n"
    "  (default 1), but with no skew or quarter turn: the line is\n"
    "  rendered at 300 dpi and --dpi (300 or 200) forces the scan\n"
    "  resolution.\n";

static int usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
  va_list ap;

  fputs("daftar-gen: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputs("\n(daftar-gen --help shows the usage)\n", stderr);
  return EXIT_USAGE;
}

/* ---- argument parsing -------------------------------------------------- */

/* 0 when a strto* call consumed all of the non-empty s without range
 * error (errno cleared before the call). */
static int parsed_whole(const char *s, const char *end)
{
  return *s != '\0' && errno == 0 && *end == '\0' ? 0 : -1;
}

static int parse_long(const char *s, long lo, long hi, long *out)
{
  char *end;
  long v;

  errno = 0;
  v = strtol(s, &end, 10);
  if(parsed_whole(s, end) || v < lo || v > hi)
    return -1;
  *out = v;
  return 0;
}

static int parse_seed(const char *s, uint64_t *out)
{
  char *end;
  unsigned long long v;

  errno = 0;
  v = strtoull(s, &end, 10);
  if(parsed_whole(s, end) || *s == '-') /* strtoull accepts "-1" */
    return -1;
  *out = (uint64_t)v;
  return 0;
}

static int parse_double(const char *s, double lo, double hi, double *out)
{
  char *end;
  double v;

  errno = 0;
  v = strtod(s, &end);
  if(parsed_whole(s, end) || !(v >= lo && v <= hi))
    return -1;
  *out = v;
  return 0;
}

/* Index of s in names (n entries), or -1. */
static int parse_enum(const char *s, const char *const *names, int n)
{
  int i;

  for(i = 0; s != NULL && i < n; i++)
    if(strcmp(s, names[i]) == 0)
      return i;
  return -1;
}

static int parse_compression(const char *s, int allow_mixed)
{
  static const char *const names[] = {"g4", "lzw", "jpeg", "none", "mixed"};
  int c = parse_enum(s, names, allow_mixed ? 5 : 4);

  return c == 4 ? -2 : c; /* -2: mixed */
}

#define FONT_LIST "Noto Naskh Arabic, Noto Sans Arabic, Amiri, DejaVu Sans"

/* 1 if family is one of the candidates and installed. */
static int font_installed(const char *family)
{
  const char **fonts;
  int n = gen_fonts_available(&fonts), i;

  for(i = 0; i < n; i++)
    if(strcmp(fonts[i], family) == 0)
      return 1;
  return 0;
}

/* ---- batch mode -------------------------------------------------------- */

/* Refuses an output directory that holds anything: a batch never mixes
 * with, or overwrites, other files. */
static int prepare_out_dir(const char *dir)
{
  DIR *d = opendir(dir);
  struct dirent *e;
  int used = 0;

  if(d == NULL) {
    if(errno != ENOENT) {
      daftar_log(DLOG_ERROR, "daftar-gen: cannot open %s: %s", dir,
                 strerror(errno));
      return DAFTAR_EIO;
    }
    return file_mkdirs(dir);
  }
  while((e = readdir(d)) != NULL)
    if(strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
      used = 1;
  closedir(d);
  if(used) {
    daftar_log(DLOG_ERROR,
               "daftar-gen: output directory %s is not empty; refusing to "
               "write into it",
               dir);
    return DAFTAR_EREFUSED;
  }
  return DAFTAR_OK;
}

/* How hard each --degrade level treats a document: the chance of each
 * defect and its strength.  Light is an office scanner on a good day;
 * heavy is a worn carbon copy fed by hand. */
typedef struct degrade_profile {
  int skew_max_centideg; /* skew uniform in +-this, 1/100 degree */
  double p_blur;
  int blur_max;          /* box half-width, 1..blur_max */
  double p_noise;
  double noise;          /* fraction of pixels hit */
  double p_faded;
  double p_200dpi;       /* when --dpi is not given */
  double p_turned;       /* a quarter or half turn, unless --rotate */
} degrade_profile;

static const degrade_profile degrade_profiles[] = {
    [DEGRADE_NONE] = {0, 0.0, 0, 0.0, 0.0, 0.0, 0.0, 0.0},
    [DEGRADE_LIGHT] = {300, 0.4, 1, 0.6, 0.0003, 0.2, 0.25, 0.0},
    [DEGRADE_HEAVY] = {500, 1.0, 2, 1.0, 0.002, 0.5, 0.4, 0.15},
};

static void choose_scan(const batch_opts *o, gen_rng *r, int doc_counter,
                        int comp_offset, gen_scan *s)
{
  const degrade_profile *p = &degrade_profiles[o->degrade];
  int skew = p->skew_max_centideg;

  memset(s, 0, sizeof(*s));
  if(o->compression >= 0)
    s->compression = (enum gen_compression)o->compression;
  else /* cycle the three a scanner writes; "none" only on request */
    s->compression = (enum gen_compression)((doc_counter + comp_offset) % 3);
  s->skew_deg = skew > 0 ? gen_rng_range(r, -skew, skew) / 100.0 : 0.0;
  if(gen_rng_chance(r, p->p_blur))
    s->blur = gen_rng_range(r, 1, p->blur_max);
  if(gen_rng_chance(r, p->p_noise))
    s->noise = p->noise;
  s->faded = gen_rng_chance(r, p->p_faded);
  s->dpi = gen_rng_chance(r, p->p_200dpi) ? 200 : GEN_RENDER_DPI;
  if(gen_rng_chance(r, p->p_turned))
    s->rotation = 90 * gen_rng_range(r, 1, 3);
  if(o->dpi != 0)
    s->dpi = o->dpi;
  if(o->rotate >= 0)
    s->rotation = o->rotate;
}

/* A line cut from a scanned page: the page's ink, blur, dust and
 * resolution, but no skew or quarter turn (a reader deskews and turns the
 * page before it cuts lines; --rotate tilts a line on purpose).  A batch
 * writes one page in three as G4 (thresholded): so is one line in three
 * here, as 8 bpp black and white.  dpi: 0, or 300/200 to force it. */
#define LINE_BITONAL_CHANCE (1.0 / 3.0)

static void choose_line_scan(enum degrade level, int dpi, gen_rng *r,
                             gen_scan *s, int *bitonal)
{
  const degrade_profile *p = &degrade_profiles[level];

  memset(s, 0, sizeof(*s));
  s->compression = GEN_COMP_NONE;
  if(gen_rng_chance(r, p->p_blur))
    s->blur = gen_rng_range(r, 1, p->blur_max);
  if(gen_rng_chance(r, p->p_noise))
    s->noise = p->noise;
  s->faded = gen_rng_chance(r, p->p_faded);
  s->dpi = gen_rng_chance(r, p->p_200dpi) ? 200 : GEN_RENDER_DPI;
  if(dpi != 0)
    s->dpi = dpi;
  *bitonal = level != DEGRADE_NONE && gen_rng_chance(r, LINE_BITONAL_CHANCE);
}

static const char *date_format_name(enum gen_date_fmt f)
{
  static const char *const names[GEN_NDATE_FMT] = {"dd/mm/yyyy", "d/m/yyyy",
                                                   "yyyy-mm-dd"};
  return names[f];
}

/* Appends the truth line of one document (without page texts' rendering
 * details beyond their text). */
static int put_truth(dbuf *b, const char *source, const char *file_no,
                     const gen_doc *doc, const gen_scan *s, dbuf *texts,
                     int npages)
{
  int rc = 0, i;

  rc |= dbuf_puts(b, "{\"source\":");
  rc |= json_put_str(b, source);
  rc |= dbuf_puts(b, ",\"file_no\":");
  rc |= json_put_str(b, file_no);
  rc |= dbuf_printf(b,
                    ",\"lang\":\"%s\",\"doc_type\":\"%s\",\"digits\":\"%s\","
                    "\"rotation\":%d,\"skew\":%.2f,\"dpi\":%d,"
                    "\"compression\":\"%s\",\"pages\":[",
                    gen_lang_name(doc->lang), gen_doc_type_name(doc->type),
                    gen_digits_name(doc->digits), s->rotation, s->skew_deg,
                    s->dpi, gen_compression_name(s->compression));
  for(i = 0; i < npages; i++) {
    rc |= dbuf_printf(b, "%s{\"n\":%d,\"text\":", i ? "," : "", i + 1);
    rc |= json_put_str(b, dbuf_cstr(&texts[i]));
    rc |= dbuf_putc(b, '}');
  }
  rc |= dbuf_puts(b, "],\"fields\":{");
  for(i = 0; i < GEN_NFIELD; i++) {
    rc |= dbuf_printf(b, "%s", i ? "," : "");
    rc |= json_put_key(b, gen_field_name((enum gen_field_id)i));
    rc |= json_put_str(b, doc->present[i] ? doc->truth[i] : NULL);
  }
  rc |= dbuf_puts(b, "},\"font\":");
  rc |= json_put_str(b, doc->font);
  rc |= dbuf_printf(b, ",\"layout\":\"%s\",\"date_format\":\"%s\"}\n",
                    doc->type == GEN_DOC_OTHER ? "prose"
                                               : gen_layout_name(doc->layout),
                    date_format_name(doc->date_fmt));
  return rc ? DAFTAR_ENOMEM : DAFTAR_OK;
}

/* Renders, degrades and writes every page of doc to path. */
static int write_doc(const gen_doc *doc, const gen_scan *s, gen_rng *r,
                     const char *path, dbuf texts[GEN_DOC_PAGES_MAX])
{
  int rc = DAFTAR_OK, n;

  for(n = 0; n < doc->npages && rc == DAFTAR_OK; n++) {
    PIX *clean = NULL, *scanned = NULL;

    rc = gen_render_page(doc, n, &clean, &texts[n]);
    if(rc == DAFTAR_OK)
      rc = gen_scan_apply(clean, s, r, &scanned);
    if(rc == DAFTAR_OK)
      rc = gen_scan_write(path, scanned, s->compression, s->dpi, s->faded,
                          n);
    pixDestroy(&clean);
    pixDestroy(&scanned);
  }
  return rc;
}

typedef struct batch_state {
  const batch_opts *o;
  const char **fonts;
  int nfonts;
  int doc_counter;  /* documents so far, for the cycles */
  int layout_offset, comp_offset, lang_offset;
  int pages;
  gen_doc *doc;     /* one scratch document (large) */
  dbuf truth;
} batch_state;

static int make_file(batch_state *st, int f, const char *file_no)
{
  const batch_opts *o = st->o;
  enum gen_doc_type types[GEN_DOCS_PER_FILE_MAX + 1];
  gen_worker w;
  gen_rng fr;
  char *dir;
  int ntypes, d, rc = DAFTAR_OK, wage_index = 0;
  enum gen_lang lang = o->lang >= 0 ? (enum gen_lang)o->lang
                                    : (enum gen_lang)((f + st->lang_offset) %
                                                      GEN_NLANG);

  gen_worker_make(o->seed, f, lang, &w);
  gen_rng_seed(&fr, o->seed, (uint64_t)f + 1, 1);
  ntypes = gen_file_plan(&fr, o->docs, o->letters, types);
  dir = file_join(o->out, file_no);
  if(dir == NULL)
    return DAFTAR_ENOMEM;
  rc = file_mkdirs(dir);
  for(d = 0; d < ntypes && rc == DAFTAR_OK; d++) {
    dbuf texts[GEN_DOC_PAGES_MAX] = {DBUF_INIT, DBUF_INIT};
    char name[32], source[64], *path;
    gen_doc_opts dopt;
    gen_scan scan;
    gen_rng dr;
    int i;

    gen_rng_seed(&dr, o->seed, (uint64_t)f + 1, (uint64_t)d + 2);
    memset(&dopt, 0, sizeof(dopt));
    dopt.type = types[d];
    if(types[d] == GEN_DOC_WAGE_CHANGE)
      dopt.wage_index = ++wage_index;
    dopt.digits = o->digits;
    dopt.layout =
        o->layout >= 0
            ? (enum gen_layout)o->layout
            : (enum gen_layout)((st->doc_counter + st->layout_offset) %
                                GEN_NLAYOUT);
    dopt.two_pages =
        types[d] == GEN_DOC_REGISTRATION &&
        (f == TWO_PAGE_FILE || gen_rng_chance(&dr, TWO_PAGE_CHANCE));
    dopt.font = st->fonts[gen_rng_below(&dr, (uint32_t)st->nfonts)];
    if(o->font != NULL)
      dopt.font = o->font;
    rc = gen_doc_build(&w, &dopt, &dr, st->doc);
    if(rc)
      break;
    choose_scan(o, &dr, st->doc_counter, st->comp_offset, &scan);
    snprintf(name, sizeof(name), "doc-%02d.tif", d + 1);
    snprintf(source, sizeof(source), "%s/%s", file_no, name);
    path = file_join(dir, name);
    rc = path == NULL ? DAFTAR_ENOMEM
                      : write_doc(st->doc, &scan, &dr, path, texts);
    if(rc == DAFTAR_OK)
      rc = put_truth(&st->truth, source, file_no, st->doc, &scan, texts,
                     st->doc->npages);
    st->pages += st->doc->npages;
    st->doc_counter++;
    free(path);
    for(i = 0; i < GEN_DOC_PAGES_MAX; i++)
      dbuf_free(&texts[i]);
  }
  free(dir);
  return rc;
}

static int run_batch(const batch_opts *o)
{
  batch_state st;
  gen_rng br;
  char *truth_path = NULL;
  int f, rc, first, stepn;
  struct timespec t0, t1;

  memset(&st, 0, sizeof(st));
  st.o = o;
  dbuf_init(&st.truth, 0);
  clock_gettime(CLOCK_MONOTONIC, &t0);
  st.nfonts = gen_fonts_available(&st.fonts);
  if(st.nfonts == 0) {
    daftar_log(DLOG_ERROR, "daftar-gen: none of the Arabic-script fonts "
                           "(fonts-noto-core, fonts-hosny-amiri, "
                           "fonts-dejavu-core) is installed");
    return DAFTAR_ENOTFOUND;
  }
  rc = prepare_out_dir(o->out);
  if(rc)
    return rc;
  st.doc = malloc(sizeof(*st.doc));
  if(st.doc == NULL)
    return DAFTAR_ENOMEM;
  gen_rng_seed(&br, o->seed, 0, 0);
  st.layout_offset = (int)gen_rng_below(&br, GEN_NLAYOUT);
  st.comp_offset = (int)gen_rng_below(&br, 3);
  st.lang_offset = (int)gen_rng_below(&br, GEN_NLANG);
  first = gen_rng_range(&br, FILE_NO_FIRST_MIN, FILE_NO_FIRST_MAX);
  stepn = gen_rng_range(&br, 1, FILE_NO_STEP_MAX);
  for(f = 0; f < o->files && rc == DAFTAR_OK; f++) {
    char file_no[16];

    snprintf(file_no, sizeof(file_no), "%05d", first + f * stepn);
    rc = make_file(&st, f, file_no);
  }
  if(rc == DAFTAR_OK) {
    truth_path = file_join(o->out, "truth.jsonl");
    rc = truth_path == NULL
             ? DAFTAR_ENOMEM
             : file_write_atomic(truth_path, st.truth.data, st.truth.len);
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  if(rc == DAFTAR_OK)
    printf("daftar-gen: %d documents, %d pages in %s (%.1f s)\n",
           st.doc_counter, st.pages, o->out,
           (double)(t1.tv_sec - t0.tv_sec) +
               (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
  else
    daftar_log(DLOG_ERROR, "daftar-gen: batch failed: %s",
               daftar_strerror(rc));
  free(truth_path);
  free(st.doc);
  dbuf_free(&st.truth);
  return rc;
}

static int batch_main(int argc, char **argv)
{
  static const char *const langs[] = {"ar", "ckb", "mixed"};
  static const char *const degrades[] = {"none", "light", "heavy"};
  static const char *const layouts[] = {"colon", "leader", "table",
                                        "mixed"};
  static const char *const digit_styles[] = {"ascii", "arabic-indic",
                                             "persian", "mixed"};
  batch_opts o = {NULL, 1, 4, 2, -1, DEGRADE_LIGHT, -1, 0, -1, 0, -1, NULL,
                  -1};
  int i;

  for(i = 2; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    long n;
    int e;

    if(strcmp(a, "--letters") == 0) {
      o.letters = 1;
      continue;
    }
    if(v == NULL)
      return usage_error("%s needs a value", a);
    i++;
    if(strcmp(a, "--out") == 0) {
      o.out = v;
    } else if(strcmp(a, "--seed") == 0) {
      if(parse_seed(v, &o.seed))
        return usage_error("bad --seed %s", v);
    } else if(strcmp(a, "--files") == 0) {
      if(parse_long(v, 1, GEN_FILES_MAX, &n))
        return usage_error("bad --files %s (1..10000)", v);
      o.files = (int)n;
    } else if(strcmp(a, "--docs") == 0) {
      if(parse_long(v, 1, GEN_DOCS_PER_FILE_MAX, &n))
        return usage_error("bad --docs %s (1..20)", v);
      o.docs = (int)n;
    } else if(strcmp(a, "--lang") == 0) {
      e = parse_enum(v, langs, 3);
      if(e < 0)
        return usage_error("bad --lang %s", v);
      o.lang = e == 2 ? -1 : e;
    } else if(strcmp(a, "--font") == 0) {
      if(!font_installed(v))
        return usage_error("font %s is not one of the installed "
                           "Arabic-script fonts (%s)",
                           v, FONT_LIST);
      o.font = v;
    } else if(strcmp(a, "--digits") == 0) {
      e = parse_enum(v, digit_styles, 4);
      if(e < 0)
        return usage_error("bad --digits %s", v);
      o.digits = e == 3 ? -1 : e;
    } else if(strcmp(a, "--layout") == 0) {
      e = parse_enum(v, layouts, 4);
      if(e < 0)
        return usage_error("bad --layout %s", v);
      o.layout = e == 3 ? -1 : e;
    } else if(strcmp(a, "--degrade") == 0) {
      e = parse_enum(v, degrades, 3);
      if(e < 0)
        return usage_error("bad --degrade %s", v);
      o.degrade = (enum degrade)e;
    } else if(strcmp(a, "--compression") == 0) {
      e = parse_compression(v, 1);
      if(e == -1)
        return usage_error("bad --compression %s", v);
      o.compression = e == -2 ? -1 : e;
    } else if(strcmp(a, "--dpi") == 0) {
      if(parse_long(v, 200, 300, &n) || (n != 200 && n != 300))
        return usage_error("bad --dpi %s (300 or 200)", v);
      o.dpi = (int)n;
    } else if(strcmp(a, "--rotate") == 0) {
      if(parse_long(v, 0, 270, &n) || n % 90 != 0)
        return usage_error("bad --rotate %s (0, 90, 180 or 270)", v);
      o.rotate = (int)n;
    } else {
      return usage_error("unknown option %s", a);
    }
  }
  if(o.out == NULL)
    return usage_error("%s", "batch needs --out DIR");
  return run_batch(&o) == DAFTAR_OK ? 0 : 1;
}

/* ---- line mode --------------------------------------------------------- */

typedef struct line_opts {
  const char *text, *out, *font;
  double size, rotate;
  int dpi;             /* render dpi; with a degrade level 0, 300 or 200 */
  int comp;            /* enum gen_compression */
  enum degrade degrade;
  uint64_t seed;
} line_opts;

/* The scanned look of --degrade: s applied to pix (300 dpi), then, when
 * bitonal, thresholded as a G4 page is and turned back into 8 bpp. */
static int degrade_line(PIX **pix, const gen_scan *s, int bitonal,
                        gen_rng *r)
{
  PIX *scanned = NULL, *bin;
  int rc;

  rc = gen_scan_apply(*pix, s, r, &scanned);
  if(rc)
    return rc;
  pixDestroy(pix);
  *pix = scanned;
  if(!bitonal)
    return DAFTAR_OK;
  bin = pixThresholdToBinary(*pix, s->faded ? GEN_G4_THRESHOLD_FADED
                                            : GEN_G4_THRESHOLD);
  scanned = bin == NULL ? NULL : pixConvert1To8(NULL, bin, 255, 0);
  pixDestroy(&bin);
  if(scanned == NULL)
    return DAFTAR_ENOMEM;
  pixDestroy(pix);
  *pix = scanned;
  pixSetResolution(*pix, s->dpi, s->dpi);
  return DAFTAR_OK;
}

static int run_line(const line_opts *o)
{
  PIX *pix = NULL, *rot = NULL;
  double quarter = o->rotate / 90.0;
  gen_scan scan;
  gen_rng r;
  int rc, bitonal = 0, dpi = o->dpi;

  if(o->degrade != DEGRADE_NONE) {
    gen_rng_seed(&r, o->seed, 0, 0);
    choose_line_scan(o->degrade, o->dpi, &r, &scan, &bitonal);
    dpi = GEN_RENDER_DPI;
  }
  rc = gen_render_line(o->text, o->font, o->size, dpi, &pix);
  if(rc)
    goto out;
  if(o->rotate != 0.0) {
    if(quarter == floor(quarter))
      rot = pixRotateOrth(pix, ((int)quarter % 4 + 4) % 4);
    else /* embed: grow the canvas so no corner is cut */
      rot = pixRotate(pix, (l_float32)(o->rotate * 3.14159265358979 / 180.0),
                      L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, pixGetWidth(pix),
                      pixGetHeight(pix));
    if(rot == NULL) {
      rc = DAFTAR_ENOMEM;
      goto out;
    }
    pixDestroy(&pix);
    pix = rot;
  }
  if(o->degrade != DEGRADE_NONE) {
    rc = degrade_line(&pix, &scan, bitonal, &r);
    if(rc)
      goto out;
    dpi = scan.dpi;
  }
  rc = gen_scan_write(o->out, pix, (enum gen_compression)o->comp, dpi,
                      o->degrade != DEGRADE_NONE && scan.faded, 0);
out:
  pixDestroy(&pix);
  return rc;
}

static int line_main(int argc, char **argv)
{
  static const char *const degrades[] = {"none", "light", "heavy"};
  line_opts o = {NULL, NULL, DEFAULT_LINE_FONT, DEFAULT_LINE_SIZE_PT, 0,
                 GEN_RENDER_DPI, GEN_COMP_LZW, DEGRADE_NONE, 1};
  int i, dpi_given = 0, e;

  for(i = 2; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    long n;

    if(v == NULL)
      return usage_error("%s needs a value", a);
    i++;
    if(strcmp(a, "--text") == 0) {
      o.text = v;
    } else if(strcmp(a, "--out") == 0) {
      o.out = v;
    } else if(strcmp(a, "--font") == 0) {
      o.font = v;
    } else if(strcmp(a, "--size") == 0) {
      if(parse_double(v, 4, 200, &o.size))
        return usage_error("bad --size %s (4..200 points)", v);
    } else if(strcmp(a, "--dpi") == 0) {
      if(parse_long(v, 72, 1200, &n))
        return usage_error("bad --dpi %s (72..1200)", v);
      o.dpi = (int)n;
      dpi_given = 1;
    } else if(strcmp(a, "--rotate") == 0) {
      if(parse_double(v, -360, 360, &o.rotate))
        return usage_error("bad --rotate %s (-360..360 degrees)", v);
    } else if(strcmp(a, "--compression") == 0) {
      o.comp = parse_compression(v, 0);
      if(o.comp < 0)
        return usage_error("bad --compression %s (g4|lzw|jpeg|none)", v);
    } else if(strcmp(a, "--degrade") == 0) {
      e = parse_enum(v, degrades, 3);
      if(e < 0)
        return usage_error("bad --degrade %s (none|light|heavy)", v);
      o.degrade = (enum degrade)e;
    } else if(strcmp(a, "--seed") == 0) {
      if(parse_seed(v, &o.seed))
        return usage_error("bad --seed %s", v);
    } else {
      return usage_error("unknown option %s", a);
    }
  }
  if(o.text == NULL || o.out == NULL)
    return usage_error("%s", "line needs --text TEXT and --out FILE");
  if(o.text[0] == '\0' || strlen(o.text) > LINE_TEXT_MAX ||
     !utf8_valid(o.text, strlen(o.text)))
    return usage_error("%s", "--text must be 1..4096 bytes of UTF-8");
  if(!font_installed(o.font))
    return usage_error("font %s is not one of the installed Arabic-script "
                       "fonts (%s)",
                       o.font, FONT_LIST);
  if(o.degrade != DEGRADE_NONE) {
    /* Rendered at 300 dpi; --dpi is then the scan's resolution. */
    if(dpi_given && o.dpi != 300 && o.dpi != 200)
      return usage_error("bad --dpi %d with --degrade (300 or 200)", o.dpi);
    o.dpi = dpi_given ? o.dpi : 0;
  }
  return run_line(&o) == DAFTAR_OK ? 0 : 1;
}

/* LeakSanitizer calls this in sanitizer builds (it is inert otherwise).
 * fontconfig keeps a pattern per process that Pango never releases and
 * FcFini() cannot be called safely (see gen_render_shutdown): a leak of
 * the library, not of daftar-gen. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
  return "leak:libfontconfig.so\n";
}

const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
  return "print_suppressions=0";
}

/* Leptonica's messages join daftar's log instead of going to bare stderr. */
static void lept_message(const char *msg)
{
  daftar_log(DLOG_WARN, "daftar-gen: leptonica: %s", msg);
}

/* 1 if --help or -h stands where an option may (not as --text's value). */
static int wants_help(int argc, char **argv)
{
  int i;

  for(i = 1; i < argc; i++)
    if((strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) &&
       (i == 1 || strcmp(argv[i - 1], "--text") != 0))
      return 1;
  return 0;
}

int main(int argc, char **argv)
{
  int status;

  leptSetStderrHandler(lept_message);
  if(wants_help(argc, argv)) {
    fputs(usage_text, stdout);
    return 0;
  }
  if(argc < 2)
    return usage_error("%s", "missing mode (batch or line)");
  if(strcmp(argv[1], "batch") == 0)
    status = batch_main(argc, argv);
  else if(strcmp(argv[1], "line") == 0)
    status = line_main(argc, argv);
  else
    return usage_error("unknown mode %s (batch or line)", argv[1]);
  gen_render_shutdown();
  return status;
}
