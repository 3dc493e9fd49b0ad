/* i18n.c - interface text in Sorani Kurdish, Arabic and English.
 *
 * Column order follows enum vlang (ckb, ar, en).  Field labels are the form
 * labels of issue 2, so staff see the words printed on the paper. */
#include <string.h>

#include "viewer_int.h"

static const char *const lang_codes[VLANG_COUNT] = {"ckb", "ar", "en"};
static const char *const lang_names[VLANG_COUNT] = {"کوردی", "العربية",
                                                    "English"};

static const char *const messages[M_COUNT][VLANG_COUNT] = {
    [M_APP_NAME] = {"دەفتەر", "دفتر", "daftar"},
    [M_SEARCH] = {"گەڕان", "بحث", "Search"},
    [M_QUERY_HINT] = {"ناو، ژمارەی دەستەبەری یان دەق",
                      "الاسم أو رقم الضمان أو نص", "Name, number or text"},
    [M_RESULTS] = {"ئەنجامەکان", "النتائج", "Results"},
    [M_NO_RESULTS] = {"هیچ ئەنجامێک نییە", "لا توجد نتائج", "No results"},
    [M_QUERY_REFUSED] = {"ئەم گەڕانە ناکرێت", "تعذّر تنفيذ هذا البحث",
                         "This search cannot be run"},
    [M_WORKER] = {"کرێکار", "العامل", "Worker"},
    [M_DOCUMENT] = {"بەڵگەنامە", "الوثيقة", "Document"},
    [M_IDENTITY] = {"ناسنامە", "الهوية", "Identity"},
    [M_NAME_VARIANTS] = {"شێوەکانی ناو", "صيغ الاسم", "Name variants"},
    [M_DOCUMENTS] = {"بەڵگەنامەکان", "الوثائق", "Documents"},
    [M_PAGE] = {"لاپەڕە", "الصفحة", "Page"},
    [M_PAGES] = {"لاپەڕەکان", "الصفحات", "Pages"},
    [M_FIELDS] = {"خانە دەرهێنراوەکان", "الحقول المستخرجة",
                  "Extracted fields"},
    [M_TEXT] = {"دەقی ناسراو", "النص المقروء", "Recognized text"},
    [M_CONFIDENCE] = {"متمانە", "الثقة", "Confidence"},
    [M_VALUE] = {"بەها", "القيمة", "Value"},
    [M_FIELD] = {"خانە", "الحقل", "Field"},
    [M_SOURCE] = {"سەرچاوە", "المصدر", "Source"},
    [M_FILE_NO] = {"ژمارەی دۆسیە", "رقم الملف", "File number"},
    [M_BATCH] = {"دەستە", "الدفعة", "Batch"},
    [M_DOC_TYPE] = {"جۆری بەڵگەنامە", "نوع الوثيقة", "Document type"},
    [M_NO_WORKER] = {"هیچ کرێکارێک نەبەستراوە", "لا عامل مرتبط",
                     "No worker linked"},
    [M_NOT_FOUND] = {"نەدۆزرایەوە", "غير موجود", "Not found"},
    [M_BAD_REQUEST] = {"داواکاریی نادروست", "طلب غير صالح", "Bad request"},
    [M_ERROR] = {"هەڵەی ڕاژەکار", "خطأ في الخادم", "Server error"},
    [M_PREV] = {"پێشوو", "السابق", "Previous"},
    [M_NEXT] = {"دواتر", "التالي", "Next"},
    [M_PAGE_IMAGE] = {"وێنەی لاپەڕە", "صورة الصفحة", "Page image"},
    [M_ZOOM] = {"گەورەکردن", "تكبير", "Zoom"},
    [M_NO_TEXT] = {"هیچ دەقێک نەناسرایەوە", "لا يوجد نص مقروء",
                   "No recognized text"},
    [M_LOCKED] = {"چاککراوە", "مصحح", "corrected"},
    [M_NO_FIELDS] = {"هیچ خانەیەک دەرنەهێنراوە", "لا توجد حقول مستخرجة",
                     "No fields extracted"},
    [M_READ_AS] = {"لە لاپەڕەکە:", "في الصفحة:", "on the page:"},
    [M_SETTLED] = {"ناوی خاوەنکار وەک بەڵگەکانی تری هەمان ژمارە",
                   "اسم صاحب العمل كما تقرؤه وثائق الرقم نفسه",
                   "the employer's name as the other documents with its "
                   "number read it"},
    [M_SETTLED_WORKER] = {"ناوی کرێکار وەک بەڵگەکانی تری هەمان کرێکار",
                          "اسم العامل كما تقرؤه وثائقه الأخرى",
                          "the worker's name as the worker's other documents "
                          "read it"},
    [M_LANGUAGE] = {"زمان", "اللغة", "Language"},
    [M_LOGIN] = {"چوونەژوورەوە", "تسجيل الدخول", "Log in"},
    [M_USER] = {"ناوی بەکارهێنەر", "اسم المستخدم", "User name"},
    [M_PASSWORD] = {"وشەی نهێنی", "كلمة المرور", "Password"},
    [M_LOGIN_FAILED] = {"ناو یان وشەی نهێنی هەڵەیە",
                        "اسم المستخدم أو كلمة المرور غير صحيحة",
                        "Wrong user name or password"},
    [M_LOGOUT] = {"چوونەدەرەوە", "تسجيل الخروج", "Log out"},
    [M_TOO_MANY] = {"هەوڵی زۆر؛ دواتر هەوڵ بدەرەوە",
                    "محاولات كثيرة؛ حاول لاحقاً",
                    "Too many attempts; try again later"},
    [M_FORBIDDEN] = {"ڕێگەپێنەدراو", "غير مسموح", "Forbidden"},
    [M_NO_ACCOUNTS] = {"ئەم ئەرشیفە هێشتا هیچ هەژمارێکی نییە. بەڕێوەبەر "
                       "یەکەمیان لەسەر ڕاژەکار دروست دەکات بەم فەرمانە:",
                       "لا توجد حسابات في هذا الأرشيف بعد. ينشئ المدير "
                       "أولها على الخادم بالأمر:",
                       "This archive has no accounts yet. An administrator "
                       "creates the first one on the server with:"},
    [M_EMPLOYMENT] = {"ماوەکانی کارکردن", "فترات العمل", "Employment"},
    [M_GAP] = {"بۆشایی", "فجوة", "Gap"},
    [M_OVERLAP] = {"تێکەڵبوون", "تداخل", "Overlap"},
    [M_ONGOING] = {"بەردەوام", "مستمر", "ongoing"},
    [M_DAYS] = {"ڕۆژ", "يوم", "days"},
    [M_REVIEW] = {"پێداچوونەوە", "مراجعة", "Review"},
    [M_NOTHING_TO_REVIEW] = {"هیچ شتێک بۆ پێداچوونەوە نییە",
                             "لا شيء للمراجعة", "Nothing to review"},
    [M_CANDIDATE] = {"پێشنیار", "مقترح", "suggestion"},
    [M_BATCHES] = {"دەستەکان", "الدفعات", "Batches"},
    [M_STATUS] = {"دۆخ", "الحالة", "Status"},
    [M_STARTED] = {"دەستپێک", "البدء", "Started"},
    [M_ENDED] = {"کۆتایی", "الانتهاء", "Ended"},
    [M_FILES] = {"دۆسیەکان", "الملفات", "Files"},
    [M_DUPLICATES] = {"دووبارەکان", "المكررات", "Duplicates"},
    [M_REFUSED] = {"ڕەتکراوەکان", "المرفوضة", "Refused"},
    [M_AUDIT] = {"تۆماری چاودێری", "سجل التدقيق", "Audit log"},
    [M_WHEN] = {"کات", "الوقت", "When"},
    [M_ACTION] = {"کردار", "الإجراء", "Action"},
    [M_OBJECT] = {"بابەت", "الهدف", "Object"},
    [M_DETAIL] = {"وردەکاری", "التفاصيل", "Detail"},
    [M_ADDRESS] = {"ناونیشان", "العنوان", "Address"},
    [M_LINKS] = {"پێشنیاری بەستنەوە", "اقتراحات الربط", "Link suggestions"},
    [M_ACCEPT] = {"پەسەندکردن", "قبول", "Accept"},
    [M_REJECT] = {"ڕەتکردنەوە", "رفض", "Reject"},
    [M_LINKED_BY] = {"هۆی بەستنەوە", "سبب الربط", "Linked by"},
};

/* A name (of a field, doc_type or linkage rule) with its label in each
 * interface language. */
typedef struct named_label {
  const char *name;
  const char *label[VLANG_COUNT];
} named_label;

static const named_label field_labels[] = {
    {"worker_name", {"ناوی کرێکار", "اسم العامل", "Worker name"}},
    {"mother_name", {"ناوی دایک", "اسم الأم", "Mother's name"}},
    {"birth_date", {"ڕێکەوتی لەدایکبوون", "تاريخ الولادة", "Birth date"}},
    {"national_id",
     {"ژمارەی کارتی نیشتمانی", "رقم البطاقة الوطنية", "National ID"}},
    {"worker_ssn",
     {"ژمارەی دەستەبەری", "رقم الضمان", "Social-security number"}},
    {"employer_name", {"ناوی خاوەنکار", "اسم صاحب العمل", "Employer"}},
    {"employer_number",
     {"ژمارەی خاوەنکار", "رقم صاحب العمل", "Employer number"}},
    {"start_date", {"ڕێکەوتی دەستپێکردن", "تاريخ المباشرة", "Start date"}},
    {"end_date", {"ڕێکەوتی وازهێنان", "تاريخ ترك العمل", "End date"}},
    {"monthly_wage", {"مووچەی مانگانە", "الأجر الشهري", "Monthly wage"}},
};

static const named_label doc_types[] = {
    {"registration", {"تۆمارکردن", "تسجيل", "Registration"}},
    {"termination", {"وازهێنان لە کار", "ترك العمل", "Termination"}},
    {"wage_change", {"گۆڕینی مووچە", "تغيير الأجر", "Wage change"}},
    {"other", {"هیتر", "أخرى", "Other"}},
};

/* Why a document is linked to its worker (index/linkage.c). */
static const named_label link_rules[] = {
    {"archivist", {"بڕیاری ئەرشیڤکار", "قرار أمين الأرشيف",
                   "Archivist's decision"}},
    {"ssn", {"ژمارەی دەستەبەری", "رقم الضمان", "Social-security number"}},
    {"national_id", {"ژمارەی کارتی نیشتمانی", "رقم البطاقة الوطنية",
                     "National ID"}},
    {"name", {"ناو لەگەڵ بەڵگەی تر", "الاسم مع أدلة أخرى",
              "Name with other evidence"}},
    {"unique_name", {"تاکە کرێکار بەم ناوە چوارییە",
                     "العامل الوحيد بهذا الاسم الرباعي",
                     "Only worker with this four-part name"}},
    {"new_worker", {"کرێکاری نوێ لەم بەڵگەنامەیەوە", "عامل جديد من هذه الوثيقة",
                    "New worker from this document"}},
};

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

const char *vlang_code(enum vlang l)
{
  return lang_codes[l];
}

const char *vlang_dir(enum vlang l)
{
  return l == VLANG_EN ? "ltr" : "rtl";
}

const char *vlang_name(enum vlang l)
{
  return lang_names[l];
}

int vlang_parse(const char *code)
{
  int l;
  if(!code)
    return -1;
  for(l = 0; l < VLANG_COUNT; l++)
    if(!strcmp(code, lang_codes[l]))
      return l;
  return -1;
}

const char *vmsg(enum vlang l, enum vmsg m)
{
  return messages[m][l];
}

/* name's label in l from table t (n rows); name itself if not there. */
static const char *label_of(const named_label *t, size_t n, enum vlang l,
                            const char *name)
{
  size_t i;
  for(i = 0; name && i < n; i++)
    if(!strcmp(name, t[i].name))
      return t[i].label[l];
  return name;
}

const char *vlang_field(enum vlang l, const char *name)
{
  return label_of(field_labels, COUNT_OF(field_labels), l, name);
}

const char *vlang_doc_type(enum vlang l, const char *doc_type)
{
  return label_of(doc_types, COUNT_OF(doc_types), l, doc_type);
}

const char *vlang_link_rule(enum vlang l, const char *rule)
{
  return label_of(link_rules, COUNT_OF(link_rules), l, rule);
}
