/*
 * gen_content.c - synthetic workers and the documents of their files.
 *
 * A paper file (one folder, one file number) belongs to one worker: a
 * registration form first, then wage-change notices, maybe a termination
 * notice, maybe a letter.  The facts agree across the file: the same SSN
 * and national ID, start date before end date, wages that only rise.
 *
 * Labels and titles are exactly the defaults of issue 2, so the extraction
 * can be measured against them.  Names come from small built-in lists; the
 * Sorani lists use the letters Arabic lacks (ڕ ڵ ۆ ێ ە ڤ) on purpose: a few
 * names, an employer and a letter's note carry ڤ, which only the project's
 * Sorani model can output (the `Arabic` model and stock `ara` cannot).
 */
#include <stdio.h>
#include <string.h>

#include "gen.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- names of enums ---------------------------------------------------- */

static const char *const lang_names[GEN_NLANG] = {"ar", "ckb"};
static const char *const digits_names[GEN_NDIGITS] = {
    "ascii", "arabic-indic", "persian"};
static const char *const layout_names[GEN_NLAYOUT] = {"colon", "leader",
                                                       "table"};
static const char *const doc_type_names[GEN_NDOC_TYPE] = {
    "registration", "wage_change", "termination", "other"};
static const char *const field_names[GEN_NFIELD] = {DAFTAR_FIELD_NAMES};

const char *gen_lang_name(enum gen_lang l) { return lang_names[l]; }
const char *gen_digits_name(enum gen_digits d) { return digits_names[d]; }
const char *gen_layout_name(enum gen_layout l) { return layout_names[l]; }
const char *gen_doc_type_name(enum gen_doc_type t)
{
  return doc_type_names[t];
}
const char *gen_field_name(enum gen_field_id f) { return field_names[f]; }

/* ---- word lists -------------------------------------------------------- */

static const char *const ar_male[] = {
    "محمد",   "أحمد",  "علي",   "حسن",   "حسين",  "عمر",   "خالد",
    "إبراهيم", "يوسف",  "عبدالله", "مصطفى", "محمود", "كريم",  "سعيد",
    "جاسم",   "قاسم",  "صالح",  "ناصر",  "فاضل",  "حيدر",  "عباس",
    "جعفر",   "مهدي",  "رعد",   "سعد",   "فراس",  "ماجد",  "وليد",
    "طارق",   "زياد",  "نبيل",  "هاشم",  "كاظم",  "رشيد",  "عادل",
    "جمال",   "سالم",  "منير",  "ياسين", "حامد"};
static const char *const ar_female[] = {
    "فاطمة", "زينب", "مريم",  "خديجة", "عائشة", "آمنة", "سعاد", "نوال",
    "هدى",   "ليلى", "سميرة", "نجلاء", "رباب",  "سناء", "وفاء", "بشرى",
    "أمل",   "هناء", "رقية",  "كوثر",  "نادية", "سلوى", "منى",  "إيمان",
    "حليمة", "صبيحة", "نعيمة", "بتول",  "سهام",  "جميلة"};
static const char *const ckb_male[] = {
    "ئازاد",  "هێمن",   "شۆڕش",   "دڵشاد",  "ڕێبوار", "کۆسرەت", "هەڵۆ",
    "سەرهەنگ", "بەختیار", "ئاراس",  "کاروان", "دلێر",   "گۆران",  "نەوزاد",
    "ڕزگار",  "هۆشیار", "ئەحمەد", "محەمەد", "عومەر",  "عەلی",   "حەسەن",
    "کەریم",  "قادر",   "ڕەحیم",  "سالار",  "زانا",   "کاڤان",   "پێشەوا",
    "جەمال",  "فەرهاد", "ڕۆڤان", "ئاسۆ",   "هەڤاڵ",   "ڕەوەند", "کامەران",
    "هاوڕێ",  "شێرکۆ",  "ئیبراهیم", "یووسف", "بەڵێن"};
static const char *const ckb_female[] = {
    "ئامینە", "خەجێ",  "گوڵاڵە", "شیرین",  "نەسرین", "ڕووناک", "کوێستان",
    "فاتیمە", "زەینەب", "بەفرین", "ڤیان",   "ڕۆژان",  "سۆزان",  "پەخشان",
    "گەلاوێژ", "چنوور", "ئەڤین",   "نازدار", "هێرۆ",   "لەیلا",  "پەروین",
    "گوڵنار", "شەڤین",  "ئاوێنە", "شلێر",   "دەریا",  "هەتاو",  "بەهار",
    "سروە",   "ڕەنگین"};

static const char *const ar_employers[] = {
    "شركة الرافدين للمقاولات",   "مصنع بغداد للألبسة",
    "شركة النور للتجارة العامة", "معمل الفرات للإسمنت",
    "شركة دجلة للنقل",          "مطعم الواحة",
    "شركة البصرة للمواد الغذائية", "مستشفى السلام الأهلي",
    "شركة الأمل للإنشاءات",      "فندق بابل",
    "مطبعة الحكمة",             "شركة الخليج للخدمات النفطية"};
static const char *const ckb_employers[] = {
    "کۆمپانیای ئاسۆ بۆ بازرگانی",   "کارگەی چیمەنتۆی سلێمانی",
    "کۆمپانیای کۆڕەک بۆ گواستنەوە", "نەخۆشخانەی ئازادی",
    "کۆمپانیای هەولێر بۆ بیناسازی", "چێشتخانەی ڤیلا",
    "کۆمپانیای زاگرۆس",            "کارگەی شیری دهۆک",
    "هۆتێلی ڕۆیاڵ",                "چاپخانەی ڕەنج",
    "کۆمپانیای گەلاوێژ بۆ خزمەتگوزاری", "فرۆشگای نیشتمان"};

/* Default labels of issue 2, per field and language; NULL ends a list. */
#define LABELS_MAX 4
static const char *const labels[GEN_NLANG][GEN_NFIELD][LABELS_MAX] = {
    [GEN_LANG_AR] =
        {
            [GEN_F_WORKER_NAME] = {"اسم العامل", "الاسم الكامل للعامل",
                                   "اسم المضمون", NULL},
            [GEN_F_MOTHER_NAME] = {"اسم الأم", NULL},
            [GEN_F_BIRTH_DATE] = {"تاريخ الولادة", "تاريخ الميلاد", NULL},
            [GEN_F_NATIONAL_ID] = {"رقم البطاقة الوطنية", "رقم الهوية", NULL},
            [GEN_F_WORKER_SSN] = {"رقم الضمان", "رقم الضمان الاجتماعي", NULL},
            [GEN_F_EMPLOYER_NAME] = {"اسم صاحب العمل", "جهة العمل",
                                     "اسم المنشأة", NULL},
            [GEN_F_EMPLOYER_NUMBER] = {"رقم صاحب العمل", "رقم تسجيل المنشأة",
                                       NULL},
            [GEN_F_START_DATE] = {"تاريخ المباشرة", "تاريخ بدء العمل", NULL},
            [GEN_F_END_DATE] = {"تاريخ ترك العمل", "تاريخ انتهاء الخدمة",
                                NULL},
            [GEN_F_MONTHLY_WAGE] = {"الأجر الشهري", "الراتب الشهري", NULL},
        },
    [GEN_LANG_CKB] =
        {
            [GEN_F_WORKER_NAME] = {"ناوی کرێکار", "ناوی تەواوی کرێکار", NULL},
            [GEN_F_MOTHER_NAME] = {"ناوی دایک", NULL},
            [GEN_F_BIRTH_DATE] = {"ڕێکەوتی لەدایکبوون", NULL},
            [GEN_F_NATIONAL_ID] = {"ژمارەی کارتی نیشتمانی", NULL},
            [GEN_F_WORKER_SSN] = {"ژمارەی دەستەبەری",
                                  "ژمارەی دەستەبەری کۆمەڵایەتی", NULL},
            [GEN_F_EMPLOYER_NAME] = {"ناوی خاوەنکار", NULL},
            [GEN_F_EMPLOYER_NUMBER] = {"ژمارەی خاوەنکار", NULL},
            [GEN_F_START_DATE] = {"ڕێکەوتی دەستپێکردن", NULL},
            [GEN_F_END_DATE] = {"ڕێکەوتی وازهێنان", NULL},
            [GEN_F_MONTHLY_WAGE] = {"مووچەی مانگانە", NULL},
        },
};

static const char *const titles[GEN_NLANG][GEN_NDOC_TYPE] = {
    [GEN_LANG_AR] = {"استمارة تسجيل عامل مضمون", "إشعار تغيير الأجر",
                     "إشعار ترك العمل", NULL},
    [GEN_LANG_CKB] = {"فۆرمی تۆمارکردنی کرێکار", "ئاگاداری گۆڕینی مووچە",
                      "ئاگاداری وازهێنان لە کار", NULL},
};

static const char *const org_header[GEN_NLANG] = {
    "وزارة العمل والشؤون الاجتماعية - دائرة الضمان الاجتماعي",
    "وەزارەتی کار و کاروباری کۆمەڵایەتی - بەڕێوەبەرایەتی دەستەبەری "
    "کۆمەڵایەتی"};
static const char *const continued[GEN_NLANG] = {"تابع", "بەردەوامی"};
static const char *const sign_caption[GEN_NLANG] = {"توقيع صاحب العمل وختمه",
                                                     "واژۆ و مۆری خاوەنکار"};

/* Letters: addressee, subject, body (%1$s name, %2$s SSN), a note,
 * closing, signature.  Each body names the worker and their SSN in running
 * text; the note holds no personal data. */
typedef struct letter_tmpl {
  const char *to, *subject, *body, *note, *closing, *sign;
} letter_tmpl;

/* "Number:" and "Date:" of a letter's reference block (not fields). */
static const char *const letter_ref[GEN_NLANG] = {"العدد", "ژمارە"};
static const char *const letter_date[GEN_NLANG] = {"التاريخ", "ڕێکەوت"};

static const letter_tmpl ar_letters[] = {
    {"إلى / دائرة الضمان الاجتماعي", "م / تأييد استمرار بالعمل",
     "تحية طيبة وبعد، نؤيد لكم أن السيد %1$s يعمل لدينا بصورة مستمرة حتى "
     "تاريخه، وهو مسجل في الضمان الاجتماعي بالرقم %2$s، وقد أعطي هذا التأييد "
     "بناء على طلبه لتقديمه إلى الجهات المختصة.",
     "علما أن المذكور ملتزم بالدوام الرسمي ولم تسجل بحقه أي مخالفة خلال مدة "
     "خدمته لدينا.",
     "مع فائق الاحترام والتقدير.", "المدير المفوض"},
    {"إلى / قسم شؤون المضمونين", "م / تحديث بيانات",
     "نرجو التفضل بتحديث بيانات المضمون %1$s ذي رقم الضمان الاجتماعي %2$s، "
     "وذلك لتغيير عنوان سكنه، وإلحاق الوثائق المرفقة طيا بإضبارته لديكم.",
     "ونرفق لكم نسخة من البطاقة الموحدة وبطاقة السكن الجديدة للاطلاع وإكمال "
     "اللازم.",
     "مع الشكر والتقدير.", "مدير الموارد البشرية"},
};
static const letter_tmpl ckb_letters[] = {
    {"بۆ / بەڕێوەبەرایەتی دەستەبەری کۆمەڵایەتی",
     "بابەت / پشتگیری بەردەوامی لە کار",
     "سڵاو و ڕێز، پشتگیری ئەوە دەکەین کە بەڕێز %1$s لە لای ئێمە بە بەردەوامی "
     "کار دەکات و لە دەستەبەری کۆمەڵایەتی بە ژمارە %2$s تۆمار کراوە. ئەم "
     "پشتگیرییە بە داوای خۆی پێدرا بۆ پێشکەشکردنی بە لایەنە پەیوەندیدارەکان.",
     "هەروەها ناوبراو پابەندە بە کاتی فەرمی و هیچ سەرپێچییەکی لە ماوەی "
     "خزمەتیدا تۆمار نەکراوە.",
     "لەگەڵ ڕێزدا.", "بەڕێوەبەری گشتی"},
    {"بۆ / بەشی کاروباری کرێکاران", "بابەت / نوێکردنەوەی زانیاری",
     "تکایە زانیارییەکانی کرێکار %1$s خاوەنی ژمارەی دەستەبەری %2$s نوێ "
     "بکەنەوە بەهۆی گۆڕینی ناونیشانی نیشتەجێبوونی، و بەڵگەنامە هاوپێچەکان "
     "بخەنە دۆسیەکەیەوە.",
     "وێنەیەک لە کارتی نیشتمانی و ڤیزای کار و کارتی نیشتەجێبوونی نوێی هاوپێچ کراوە بۆ "
     "ئاگاداری و تەواوکردنی پێویست.",
     "لەگەڵ سوپاسدا.", "بەڕێوەبەری سەرچاوە مرۆییەکان"},
};

/* ---- the facts' ranges ------------------------------------------------- */

#define BIRTH_YEAR_MIN 1955
#define BIRTH_YEAR_MAX 2000
#define HIRE_AGE_MIN 18
#define HIRE_AGE_MAX 35
#define LAST_START_YEAR 2024  /* files end before the archive's present */
#define LAST_END_YEAR 2025
#define SERVICE_YEARS_MAX 15
#define WAGE_STEP 5000L       /* wages are round: multiples of 5,000 IQD */
#define WAGE_STEPS_MIN 50     /* 250,000 */
#define WAGE_STEPS_MAX 400    /* 2,000,000 */
#define RAISE_PCT_MIN 5
#define RAISE_PCT_MAX 30

/* ---- helpers ----------------------------------------------------------- */

static const char *pick(gen_rng *r, const char *const *list, size_t n)
{
  return list[gen_rng_below(r, (uint32_t)n)];
}

static int days_in_month(int y, int m)
{
  static const int days[12] = {31, 28, 31, 30, 31, 30,
                               31, 31, 30, 31, 30, 31};
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

  return m == 2 && leap ? 29 : days[m - 1];
}

static gen_date random_date(gen_rng *r, int y_lo, int y_hi)
{
  gen_date d;

  d.y = gen_rng_range(r, y_lo, y_hi);
  d.m = gen_rng_range(r, 1, 12);
  d.d = gen_rng_range(r, 1, days_in_month(d.y, d.m));
  return d;
}

/* Writes n random decimal digits, the first one non-zero. */
static void random_digits(gen_rng *r, char *out, int n)
{
  int i;

  for(i = 0; i < n; i++)
    out[i] = (char)('0' + (i == 0 ? gen_rng_range(r, 1, 9)
                                  : gen_rng_range(r, 0, 9)));
  out[n] = '\0';
}

/* Overwrites the last 5 digits of id with a bijection of index (an odd
 * multiplier not divisible by 5 permutes 0..99999), so no two workers
 * of a batch share it. */
static void make_unique_tail(char *id, size_t len, int index, uint32_t mul,
                             uint32_t add)
{
  uint32_t v = ((uint32_t)index * mul + add) % 100000u;
  int i;

  for(i = 0; i < 5; i++) {
    id[len - 1 - (size_t)i] = (char)('0' + v % 10);
    v /= 10;
  }
}

void gen_worker_make(uint64_t seed, int index, enum gen_lang lang,
                     gen_worker *w)
{
  gen_rng r, er, br;
  int ckb = lang == GEN_LANG_CKB;
  const char *const *male = ckb ? ckb_male : ar_male;
  size_t nmale = ckb ? NELEM(ckb_male) : NELEM(ar_male);
  const char *const *female = ckb ? ckb_female : ar_female;
  size_t nfemale = ckb ? NELEM(ckb_female) : NELEM(ar_female);
  const char *const *emps = ckb ? ckb_employers : ar_employers;
  size_t nemps = ckb ? NELEM(ckb_employers) : NELEM(ar_employers);
  uint32_t emp, tail_ssn, tail_nid;
  int k, years;

  memset(w, 0, sizeof(*w));
  gen_rng_seed(&r, seed, (uint64_t)index + 1, 0);
  w->lang = lang;
  snprintf(w->name, sizeof(w->name), "%s %s %s", pick(&r, male, nmale),
           pick(&r, male, nmale), pick(&r, male, nmale));
  snprintf(w->mother, sizeof(w->mother), "%s %s", pick(&r, female, nfemale),
           pick(&r, male, nmale));
  w->birth = random_date(&r, BIRTH_YEAR_MIN, BIRTH_YEAR_MAX);
  years = gen_rng_range(&r, HIRE_AGE_MIN, HIRE_AGE_MAX);
  w->start = random_date(&r, w->birth.y + years, w->birth.y + years);
  if(w->start.y > LAST_START_YEAR)
    w->start.y = LAST_START_YEAR;
  /* The end comes in a later year than the start. */
  w->end = random_date(&r, w->start.y + 1, w->start.y + SERVICE_YEARS_MAX);
  if(w->end.y > LAST_END_YEAR)
    w->end.y = LAST_END_YEAR;
  if(w->end.y <= w->start.y)
    w->end.y = w->start.y + 1;
  if(w->end.d > days_in_month(w->end.y, w->end.m))
    w->end.d = days_in_month(w->end.y, w->end.m);

  /* The tails' offsets are the batch's, the same for every worker. */
  gen_rng_seed(&br, seed, 0, 7);
  tail_nid = gen_rng_below(&br, 100000u);
  tail_ssn = gen_rng_below(&br, 100000u);
  random_digits(&r, w->national_id, 12);
  make_unique_tail(w->national_id, 12, index, 7919u, tail_nid);
  random_digits(&r, w->ssn, 10);
  make_unique_tail(w->ssn, 10, index, 104729u, tail_ssn);

  /* The employer's number belongs to the employer, not the worker: it is
   * drawn from the batch seed and the employer alone. */
  emp = gen_rng_below(&r, (uint32_t)nemps);
  snprintf(w->employer_name, sizeof(w->employer_name), "%s", emps[emp]);
  gen_rng_seed(&er, seed, 1000003u + (uint64_t)lang * 1000u + emp, 1);
  random_digits(&er, w->employer_number, 7);

  w->wage[0] = WAGE_STEP * gen_rng_range(&r, WAGE_STEPS_MIN, WAGE_STEPS_MAX);
  for(k = 1; k <= GEN_DOCS_PER_FILE_MAX; k++) {
    long raise =
        w->wage[k - 1] * gen_rng_range(&r, RAISE_PCT_MIN, RAISE_PCT_MAX) / 100;
    w->wage[k] = w->wage[k - 1] + (raise / WAGE_STEP + 1) * WAGE_STEP;
  }
}

int gen_file_plan(gen_rng *r, int ndocs, int letters,
                  enum gen_doc_type types[GEN_DOCS_PER_FILE_MAX + 1])
{
  int n = 0, i;

  types[n++] = GEN_DOC_REGISTRATION;
  if(ndocs == 2) {
    types[n++] = gen_rng_chance(r, 0.5) ? GEN_DOC_WAGE_CHANGE
                                        : GEN_DOC_TERMINATION;
  } else if(ndocs > 2) {
    int terminated = gen_rng_chance(r, 0.6);

    for(i = 1; i < ndocs - terminated; i++)
      types[n++] = GEN_DOC_WAGE_CHANGE;
    if(terminated)
      types[n++] = GEN_DOC_TERMINATION;
  }
  if(letters)
    types[n++] = GEN_DOC_OTHER;
  return n;
}

/* ---- formatting values ------------------------------------------------- */

/* Copies the ASCII string in to out, digits written in style d. */
static void put_digits(const char *in, enum gen_digits d, char *out,
                       size_t cap)
{
  size_t o = 0;
  uint32_t zero = d == GEN_DIGITS_ARABIC_INDIC ? 0x0660u
                  : d == GEN_DIGITS_PERSIAN    ? 0x06F0u
                                               : (uint32_t)'0';

  for(; *in != '\0'; in++) {
    char enc[4];
    size_t n = 1;

    if(*in >= '0' && *in <= '9')
      n = utf8_encode(zero + (uint32_t)(*in - '0'), enc);
    else
      enc[0] = *in;
    if(o + n + 1 > cap)
      break;
    memcpy(out + o, enc, n);
    o += n;
  }
  out[o] = '\0';
}

static void format_date(gen_date dt, enum gen_date_fmt f, char *ascii,
                        size_t cap)
{
  switch(f) {
  case GEN_DATE_DMY_PADDED:
    snprintf(ascii, cap, "%02d/%02d/%04d", dt.d, dt.m, dt.y);
    break;
  case GEN_DATE_DMY:
    snprintf(ascii, cap, "%d/%d/%04d", dt.d, dt.m, dt.y);
    break;
  default:
    snprintf(ascii, cap, "%04d-%02d-%02d", dt.y, dt.m, dt.d);
    break;
  }
}

/* 1250000 -> "1,250,000" with sep (UTF-8), or plain when sep is "". */
static void format_wage(long wage, const char *sep, char *out, size_t cap)
{
  char plain[32];
  size_t len, i, o = 0, seplen = strlen(sep);

  snprintf(plain, sizeof(plain), "%ld", wage);
  len = strlen(plain);
  for(i = 0; i < len && o + seplen + 2 < cap; i++) {
    if(i > 0 && (len - i) % 3 == 0 && seplen > 0) {
      memcpy(out + o, sep, seplen);
      o += seplen;
    }
    out[o++] = plain[i];
  }
  out[o] = '\0';
}

/* ---- building documents ------------------------------------------------ */

typedef struct doc_builder {
  gen_doc *doc;
  gen_rng *r;
  const char *wage_sep;
} doc_builder;

static gen_item *add_item(gen_page *p, enum gen_item_kind kind,
                          const char *text)
{
  gen_item *it;

  if(p->nitems >= GEN_PAGE_ITEMS_MAX)
    return NULL;
  it = &p->items[p->nitems++];
  it->kind = kind;
  it->label[0] = '\0';
  snprintf(it->text, sizeof(it->text), "%s", text);
  return it;
}

/* Adds field f to page p: the label (one of the defaults), the value as
 * shown (ascii_shown with the document's digits) and the truth. */
static int add_field(doc_builder *b, gen_page *p, enum gen_field_id f,
                     const char *ascii_shown, const char *truth)
{
  const char *const *opts = labels[b->doc->lang][f];
  size_t nopts = 0;
  gen_item *it;

  while(nopts < LABELS_MAX && opts[nopts] != NULL)
    nopts++;
  it = add_item(p, GEN_ITEM_FIELD, "");
  if(it == NULL)
    return DAFTAR_ELIMIT;
  snprintf(it->label, sizeof(it->label), "%s", pick(b->r, opts, nopts));
  put_digits(ascii_shown, b->doc->digits, it->text, sizeof(it->text));
  b->doc->present[f] = 1;
  snprintf(b->doc->truth[f], sizeof(b->doc->truth[f]), "%s", truth);
  return DAFTAR_OK;
}

static int add_date_field(doc_builder *b, gen_page *p, enum gen_field_id f,
                          gen_date dt)
{
  char shown[32], truth[32];

  format_date(dt, b->doc->date_fmt, shown, sizeof(shown));
  format_date(dt, GEN_DATE_ISO, truth, sizeof(truth));
  return add_field(b, p, f, shown, truth);
}

static int add_wage_field(doc_builder *b, gen_page *p, long wage)
{
  char shown[64], truth[32];

  format_wage(wage, b->wage_sep, shown, sizeof(shown));
  snprintf(truth, sizeof(truth), "%ld", wage);
  return add_field(b, p, GEN_F_MONTHLY_WAGE, shown, truth);
}

static void add_heading(gen_doc *doc, gen_page *p, int continued_page)
{
  char title[GEN_VALUE_MAX];

  add_item(p, GEN_ITEM_HEADER, org_header[doc->lang]);
  if(continued_page)
    snprintf(title, sizeof(title), "%s: %s", continued[doc->lang],
             titles[doc->lang][doc->type]);
  else
    snprintf(title, sizeof(title), "%s", titles[doc->lang][doc->type]);
  add_item(p, GEN_ITEM_TITLE, title);
}

static int build_form(doc_builder *b, const gen_worker *w,
                      const gen_doc_opts *o)
{
  gen_doc *doc = b->doc;
  gen_page *p = &doc->pages[0];
  int rc = DAFTAR_OK;

  doc->npages = 1;
  add_heading(doc, p, 0);
  rc |= add_field(b, p, GEN_F_WORKER_NAME, w->name, w->name);
  switch(o->type) {
  case GEN_DOC_REGISTRATION:
    rc |= add_field(b, p, GEN_F_MOTHER_NAME, w->mother, w->mother);
    rc |= add_date_field(b, p, GEN_F_BIRTH_DATE, w->birth);
    rc |= add_field(b, p, GEN_F_NATIONAL_ID, w->national_id,
                    w->national_id);
    rc |= add_field(b, p, GEN_F_WORKER_SSN, w->ssn, w->ssn);
    if(o->two_pages) {
      doc->npages = 2;
      p = &doc->pages[1];
      add_heading(doc, p, 1);
    }
    rc |= add_field(b, p, GEN_F_EMPLOYER_NAME, w->employer_name,
                    w->employer_name);
    rc |= add_field(b, p, GEN_F_EMPLOYER_NUMBER, w->employer_number,
                    w->employer_number);
    rc |= add_date_field(b, p, GEN_F_START_DATE, w->start);
    rc |= add_wage_field(b, p, w->wage[0]);
    break;
  case GEN_DOC_WAGE_CHANGE:
    rc |= add_field(b, p, GEN_F_WORKER_SSN, w->ssn, w->ssn);
    rc |= add_field(b, p, GEN_F_EMPLOYER_NAME, w->employer_name,
                    w->employer_name);
    rc |= add_field(b, p, GEN_F_EMPLOYER_NUMBER, w->employer_number,
                    w->employer_number);
    rc |= add_wage_field(b, p, w->wage[o->wage_index]);
    break;
  default: /* termination */
    rc |= add_field(b, p, GEN_F_NATIONAL_ID, w->national_id,
                    w->national_id);
    rc |= add_field(b, p, GEN_F_WORKER_SSN, w->ssn, w->ssn);
    rc |= add_field(b, p, GEN_F_EMPLOYER_NAME, w->employer_name,
                    w->employer_name);
    rc |= add_field(b, p, GEN_F_EMPLOYER_NUMBER, w->employer_number,
                    w->employer_number);
    rc |= add_date_field(b, p, GEN_F_START_DATE, w->start);
    rc |= add_date_field(b, p, GEN_F_END_DATE, w->end);
    break;
  }
  if(add_item(p, GEN_ITEM_SIGN, sign_caption[doc->lang]) == NULL)
    rc = DAFTAR_ELIMIT;
  return rc ? DAFTAR_ELIMIT : DAFTAR_OK;
}

static int build_letter(doc_builder *b, const gen_worker *w)
{
  gen_doc *doc = b->doc;
  gen_page *p = &doc->pages[0];
  const letter_tmpl *t =
      doc->lang == GEN_LANG_CKB
          ? &ckb_letters[gen_rng_below(b->r, NELEM(ckb_letters))]
          : &ar_letters[gen_rng_below(b->r, NELEM(ar_letters))];
  char ssn[64], body[GEN_TEXT_MAX], ascii[64], shown[64];
  char line[GEN_VALUE_MAX];
  gen_date written;

  doc->npages = 1;
  put_digits(w->ssn, doc->digits, ssn, sizeof(ssn));
  add_item(p, GEN_ITEM_HEADER, w->employer_name);
  /* The reference block's number and date are not fields: extraction
   * must not take them for the worker's. */
  snprintf(ascii, sizeof(ascii), "%d/%d", gen_rng_range(b->r, 10, 999),
           gen_rng_range(b->r, 1, 12));
  put_digits(ascii, doc->digits, shown, sizeof(shown));
  snprintf(line, sizeof(line), "%s: %s", letter_ref[doc->lang], shown);
  add_item(p, GEN_ITEM_META, line);
  written = random_date(b->r, LAST_START_YEAR, LAST_END_YEAR);
  format_date(written, doc->date_fmt, ascii, sizeof(ascii));
  put_digits(ascii, doc->digits, shown, sizeof(shown));
  snprintf(line, sizeof(line), "%s: %s", letter_date[doc->lang], shown);
  add_item(p, GEN_ITEM_META, line);
  add_item(p, GEN_ITEM_LINE, t->to);
  add_item(p, GEN_ITEM_LINE, t->subject);
  /* The templates are constants of this file, with %1$s and %2$s only. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  snprintf(body, sizeof(body), t->body, w->name, ssn);
#pragma GCC diagnostic pop
  add_item(p, GEN_ITEM_PARA, body);
  add_item(p, GEN_ITEM_PARA, t->note);
  add_item(p, GEN_ITEM_LINE, t->closing);
  if(add_item(p, GEN_ITEM_SIGN, t->sign) == NULL)
    return DAFTAR_ELIMIT;
  doc->present[GEN_F_WORKER_NAME] = 1;
  snprintf(doc->truth[GEN_F_WORKER_NAME], GEN_VALUE_MAX, "%s", w->name);
  doc->present[GEN_F_WORKER_SSN] = 1;
  snprintf(doc->truth[GEN_F_WORKER_SSN], GEN_VALUE_MAX, "%s", w->ssn);
  return DAFTAR_OK;
}

static enum gen_digits pick_digits(gen_rng *r, enum gen_lang lang)
{
  /* Sorani offices write Persian digits more often than Arabic ones. */
  double u = gen_rng_unit(r);
  double ascii = lang == GEN_LANG_CKB ? 0.3 : 0.4;
  double indic = lang == GEN_LANG_CKB ? 0.35 : 0.45;

  if(u < ascii)
    return GEN_DIGITS_ASCII;
  return u < ascii + indic ? GEN_DIGITS_ARABIC_INDIC : GEN_DIGITS_PERSIAN;
}

int gen_doc_build(const gen_worker *w, const gen_doc_opts *o, gen_rng *r,
                  gen_doc *doc)
{
  /* ASCII digits take the Latin comma; Arabic-script digits either. */
  static const char *const wage_seps[] = {"", ",", "٬"};
  doc_builder b;

  memset(doc, 0, sizeof(*doc));
  doc->type = o->type;
  doc->lang = w->lang;
  doc->layout = o->layout;
  doc->font = o->font;
  doc->digits = pick_digits(r, w->lang); /* drawn always: same stream */
  if(o->digits >= 0)
    doc->digits = (enum gen_digits)o->digits;
  doc->date_fmt = (enum gen_date_fmt)gen_rng_below(r, GEN_NDATE_FMT);
  doc->body_pt = 12.0 + 0.5 * gen_rng_range(r, 0, 4);
  b.doc = doc;
  b.r = r;
  b.wage_sep = wage_seps[gen_rng_below(
      r, doc->digits == GEN_DIGITS_ASCII ? 2 : NELEM(wage_seps))];
  if(o->type == GEN_DOC_OTHER)
    return build_letter(&b, w);
  return build_form(&b, w, o);
}
