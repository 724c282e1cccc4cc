/* test-i18n.c — the Simplified Chinese catalog is complete, current and used.
 *
 * The catalog tests extract a fresh template from po/POTFILES.in the way
 * meson's i18n module does (same xgettext keywords), merge po/zh_CN.po with
 * it in a temporary folder and fail, naming every message, when one is
 * untranslated, fuzzy or obsolete, or when the catalog does not compile
 * cleanly. So a string added to the sources without a translation breaks
 * the build's tests instead of reaching a Chinese-speaking user in English.
 *
 * The runtime tests load the compiled catalog from the build folder, the
 * way the app does when it runs uninstalled, and check that the engine's
 * parameter labels, descriptions and group names come back in Chinese,
 * with the field's own terms for the four forces, and that lists shown to
 * the user take Chinese punctuation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libintl.h>
#include <locale.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "cd-analysis.h"
#include "cd-locale.h"
#include "cd-model.h"
#include "cd-model-json.h"
#include "cd-params.h"

/* What meson's i18n.gettext (preset: 'glib') passes to xgettext, so that
 * with po/meson.build's extra arguments the test sees exactly the messages
 * `ninja coordyn-pot` would extract. */
static const char *const xgettext_preset[] = {
  "--from-code=UTF-8",
  "--add-comments",
  "-k_",
  "--keyword=_",
  "--keyword=N_",
  "--keyword=C_:1c,2",
  "--keyword=NC_:1c,2",
  "--keyword=g_dcgettext:2",
  "--keyword=g_dngettext:2,3",
  "--keyword=g_dpgettext2:2c,3",
  "--flag=N_:1:pass-c-format",
  "--flag=C_:2:pass-c-format",
  "--flag=NC_:2:pass-c-format",
  "--flag=g_dngettext:2:pass-c-format",
  "--flag=g_strdup_printf:1:c-format",
  "--flag=g_string_printf:2:c-format",
  "--flag=g_string_append_printf:2:c-format",
  "--flag=g_error_new:3:c-format",
  "--flag=g_set_error:4:c-format",
  "--flag=g_markup_printf_escaped:1:c-format",
  "--flag=g_log:3:c-format",
  "--flag=g_print:1:c-format",
  "--flag=g_printerr:1:c-format",
  "--flag=g_printf:1:c-format",
  "--flag=g_fprintf:2:c-format",
  "--flag=g_sprintf:2:c-format",
  "--flag=g_snprintf:3:c-format",
};

/* The merged catalog, made once and shared by the catalog tests. */
static char *work_dir;
static char *merged_po;
static char *merge_error;

/* Runs a tool; on failure returns FALSE and puts what it said in *out_error. */
static gboolean
run_tool (const char *const *argv,
          char              **out_stdout,
          char              **out_stderr,
          char              **out_error)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *std_out = NULL;
  g_autofree char *std_err = NULL;
  g_autofree char *command = g_strjoinv (" ", (char **) argv);
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                     &std_out, &std_err, &status, &error))
    {
      *out_error = g_strdup_printf ("cannot run %s: %s", argv[0], error->message);
      return FALSE;
    }
  if (!g_spawn_check_wait_status (status, &error))
    {
      *out_error = g_strdup_printf ("`%s` failed (%s):\n%s%s", command, error->message,
                                    std_out, std_err);
      return FALSE;
    }
  if (out_stdout)
    *out_stdout = g_steal_pointer (&std_out);
  if (out_stderr)
    *out_stderr = g_steal_pointer (&std_err);
  return TRUE;
}

/* Extracts a fresh template and merges the Chinese catalog with it. */
static gboolean
make_merged_catalog (char **out_error)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *potfiles = g_build_filename (I18N_SOURCE_ROOT, "po", "POTFILES.in", NULL);
  g_autofree char *po = g_build_filename (I18N_SOURCE_ROOT, "po", "zh_CN.po", NULL);
  g_autofree char *pot = NULL;
  /* po/meson.build's own arguments, which carry no spaces. */
  g_auto(GStrv) extra = g_strsplit (I18N_XGETTEXT_EXTRA, " ", -1);

  work_dir = g_dir_make_tmp ("coordyn-i18n-XXXXXX", &error);
  if (work_dir == NULL)
    {
      *out_error = g_strdup_printf ("cannot make a temporary folder: %s", error->message);
      return FALSE;
    }
  pot = g_build_filename (work_dir, "coordyn.pot", NULL);
  merged_po = g_build_filename (work_dir, "zh_CN.po", NULL);

  g_ptr_array_add (argv, (char *) I18N_XGETTEXT);
  g_ptr_array_add (argv, (char *) "--package-name=" GETTEXT_PACKAGE);
  g_ptr_array_add (argv, (char *) "-f");
  g_ptr_array_add (argv, potfiles);
  g_ptr_array_add (argv, (char *) "-D");
  g_ptr_array_add (argv, (char *) I18N_SOURCE_ROOT);
  g_ptr_array_add (argv, (char *) "-o");
  g_ptr_array_add (argv, pot);
  for (guint i = 0; i < G_N_ELEMENTS (xgettext_preset); i++)
    g_ptr_array_add (argv, (char *) xgettext_preset[i]);
  for (guint i = 0; extra[i] != NULL; i++)
    if (extra[i][0] != '\0')
      g_ptr_array_add (argv, extra[i]);
  g_ptr_array_add (argv, NULL);
  if (!run_tool ((const char *const *) argv->pdata, NULL, NULL, out_error))
    return FALSE;

  {
    const char *merge[] = { I18N_MSGMERGE, "--quiet", "--no-wrap", "-o", merged_po, po, pot,
                            NULL };
    if (!run_tool (merge, NULL, NULL, out_error))
      return FALSE;
  }
  return TRUE;
}

static const char *
require_merged (void)
{
  if (merged_po == NULL && merge_error == NULL)
    make_merged_catalog (&merge_error);
  if (merge_error != NULL)
    {
      g_test_message ("%s", merge_error);
      g_test_fail ();
      return NULL;
    }
  return merged_po;
}

/* Appends a PO string's content from `"…"` with the usual C escapes. */
static void
append_po_string (GString    *out,
                  const char *quoted)
{
  const char *p = strchr (quoted, '"');
  g_autofree char *inner = NULL;
  g_autofree char *plain = NULL;
  const char *end;

  if (p == NULL)
    return;
  end = strrchr (p + 1, '"');
  if (end == NULL)
    return;
  inner = g_strndup (p + 1, end - (p + 1));
  plain = g_strcompress (inner);
  g_string_append (out, plain);
}

typedef struct
{
  char *context;
  char *msgid;
  char *msgstr;     /* msgstr, or msgstr[0] for a plural message */
  char *reference;  /* the first "#:" line, to say where the message comes from */
} PoEntry;

static void
po_entry_free (PoEntry *entry)
{
  g_free (entry->context);
  g_free (entry->msgid);
  g_free (entry->msgstr);
  g_free (entry->reference);
  g_free (entry);
}

/* A small reader for the PO files msgattrib writes: enough to name messages
 * in a failure and to check terms, not a general PO parser. The header and
 * obsolete entries (marked "#~") are skipped unless keep_obsolete is set. */
static GPtrArray *
read_po_text (const char *text,
              gboolean    keep_obsolete)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify) po_entry_free);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GString) context = NULL;
  g_autoptr(GString) msgid = NULL;
  g_autoptr(GString) msgstr = NULL;
  g_autofree char *reference = NULL;
  GString *current = NULL;

  for (guint i = 0; ; i++)
    {
      const char *line = lines[i];
      gboolean boundary = line == NULL || line[0] == '\0';

      if (line != NULL && g_str_has_prefix (line, "#~"))
        {
          if (!keep_obsolete)
            continue;
          line += 2;
          while (*line == ' ')
            line++;
        }

      if (boundary || (msgstr != NULL && (g_str_has_prefix (line, "#")
                                           || g_str_has_prefix (line, "msgctxt")
                                           || g_str_has_prefix (line, "msgid "))))
        {
          if (msgid != NULL && msgstr != NULL && msgid->len > 0)
            {
              PoEntry *entry = g_new0 (PoEntry, 1);
              entry->context = context ? g_strdup (context->str) : NULL;
              entry->msgid = g_strdup (msgid->str);
              entry->msgstr = g_strdup (msgstr->str);
              entry->reference = g_strdup (reference ? reference : "");
              g_ptr_array_add (entries, entry);
            }
          if (context)
            g_string_free (g_steal_pointer (&context), TRUE);
          if (msgid)
            g_string_free (g_steal_pointer (&msgid), TRUE);
          if (msgstr)
            g_string_free (g_steal_pointer (&msgstr), TRUE);
          g_clear_pointer (&reference, g_free);
          current = NULL;
          if (line == NULL)
            break;
          if (boundary)
            continue;
        }

      if (g_str_has_prefix (line, "#:") && reference == NULL)
        {
          reference = g_strstrip (g_strdup (line + 2));
          continue;
        }
      if (g_str_has_prefix (line, "msgctxt "))
        current = context = g_string_new (NULL);
      else if (g_str_has_prefix (line, "msgid "))
        current = msgid = g_string_new (NULL);
      else if (g_str_has_prefix (line, "msgstr ") || g_str_has_prefix (line, "msgstr[0]"))
        current = msgstr = g_string_new (NULL);
      else if (g_str_has_prefix (line, "msgid_plural ") || g_str_has_prefix (line, "msgstr["))
        {
          /* Only the singular msgid and msgstr[0] are kept. */
          current = NULL;
          continue;
        }
      else if (line[0] != '"')
        continue;
      if (current != NULL)
        append_po_string (current, line);
    }
  return entries;
}

/* Runs msgattrib with one selection option on the merged catalog. */
static GPtrArray *
select_messages (const char *option,
                 gboolean    keep_obsolete)
{
  const char *po = require_merged ();
  g_autofree char *out = NULL;
  g_autofree char *error = NULL;

  if (po == NULL)
    return NULL;
  {
    /* Checks of translated text skip fuzzy guesses: those fail on their own. */
    gboolean translated = strcmp (option, "--translated") == 0;
    const char *argv[] = { I18N_MSGATTRIB, "--no-wrap", option, po,
                           translated ? "--no-fuzzy" : NULL, NULL };
    if (!run_tool (argv, &out, NULL, &error))
      {
        g_test_message ("%s", error);
        g_test_fail ();
        return NULL;
      }
  }
  return read_po_text (out, keep_obsolete);
}

static void
report_entries (GPtrArray  *entries,
                const char *what,
                const char *fix)
{
  for (guint i = 0; i < entries->len; i++)
    {
      PoEntry *entry = g_ptr_array_index (entries, i);
      g_test_message ("%s message at %s: \"%s\"%s%s", what,
                      entry->reference[0] ? entry->reference : "(no reference)", entry->msgid,
                      entry->context ? " in context " : "",
                      entry->context ? entry->context : "");
    }
  if (entries->len > 0)
    {
      g_test_message ("%u %s message(s) in po/zh_CN.po. %s", entries->len, what, fix);
      g_test_fail ();
    }
}

static void
test_catalog_untranslated (void)
{
  g_autoptr(GPtrArray) entries = select_messages ("--untranslated", FALSE);

  if (entries == NULL)
    return;
  report_entries (entries, "untranslated",
                  "Run `ninja -C <build> coordyn-update-po` and translate them.");
}

static void
test_catalog_fuzzy (void)
{
  g_autoptr(GPtrArray) entries = select_messages ("--only-fuzzy", FALSE);

  if (entries == NULL)
    return;
  report_entries (entries, "fuzzy",
                  "Their English changed: check each translation and remove the fuzzy flag.");
}

static void
test_catalog_obsolete (void)
{
  g_autoptr(GPtrArray) entries = select_messages ("--only-obsolete", TRUE);

  if (entries == NULL)
    return;
  report_entries (entries, "obsolete",
                  "No source uses them any more: drop them (msgattrib --no-obsolete).");
}

/* msgfmt --check finds broken format strings, headers and plural forms; a
 * statistics line that mentions anything but translated messages means the
 * compiled catalog would leave English on screen. Both the file as committed
 * and the merged one are checked: the first is what the build compiles. */
static void
check_msgfmt (const char *po,
              const char *label)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *error = NULL;
  g_autofree char *mo = g_build_filename (work_dir, "check.mo", NULL);
  const char *argv[] = { I18N_MSGFMT, "--check", "--statistics", "-o", mo, po, NULL };

  if (!run_tool (argv, &out, &err, &error))
    {
      g_test_message ("%s: %s", label, error);
      g_test_fail ();
      return;
    }
  g_strstrip (err);
  g_test_message ("%s: %s", label, err);
  if (strstr (err, "translated") == NULL || strstr (err, "untranslated") != NULL
      || strstr (err, "fuzzy") != NULL)
    {
      g_test_message ("%s is not completely translated: %s", label, err);
      g_test_fail ();
    }
}

static void
test_catalog_msgfmt (void)
{
  g_autofree char *po = g_build_filename (I18N_SOURCE_ROOT, "po", "zh_CN.po", NULL);

  if (require_merged () == NULL)
    return;
  check_msgfmt (po, "po/zh_CN.po");
  check_msgfmt (merged_po, "po/zh_CN.po merged with a fresh template");
}

/* The field's terms (the glossary at the top of po/zh_CN.po):
 * an English term in a message must come out as one of these in Chinese,
 * so a reader never meets two names for one force or mechanism. */
typedef struct
{
  const char *english;        /* lower case; matched case-insensitively */
  const char *chinese[3];     /* any one of them will do */
} Term;

static const Term glossary[] = {
  { "gravity",               { "引力" } },
  { "pressure",              { "压力" } },
  { "thrust",                { "推力" } },
  { "resistance",            { "阻力" } },
  { "benefit compensation",  { "利益补偿" } },
  { "benefit-compensation",  { "利益补偿" } },
  { "information sharing",   { "信息共享" } },
  { "information-sharing",   { "信息共享" } },
  { "performance appraisal", { "绩效考核" } },
  { "performance-appraisal", { "绩效考核" } },
  { "supervision",           { "监督" } },
  { "fragmentation",         { "碎片化" } },
  { "emergenc",              { "突发事件", "应急" } },
  { "equilibri",             { "均衡" } },
  { "tipping point",         { "临界点" } },
  { "hysteresis",            { "迟滞" } },
  { "sensitivity",           { "敏感性" } },
  { "monte carlo",           { "蒙特卡洛" } },
  { "scenario",              { "情景" } },
  { "trust",                 { "信任", "互信" } },
  { "coordinat",             { "协同" } },
  { "inter-governmental",    { "府际" } },
  { "net force",             { "合力" } },
  { "partnership",           { "伙伴" } },
  { "superior",              { "上级" } },
  { "subordinate",           { "下级" } },
  { "policy change",         { "政策调整" } },
  { "loss",                  { "损失" } },
  { "stable",                { "稳定" } },
};

static void
test_catalog_terms (void)
{
  g_autoptr(GPtrArray) entries = select_messages ("--translated", FALSE);
  guint bad = 0;

  if (entries == NULL)
    return;
  g_assert_cmpuint (entries->len, >, 0);
  for (guint i = 0; i < entries->len; i++)
    {
      PoEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *lower = g_utf8_strdown (entry->msgid, -1);

      /* Search keywords keep their English words on purpose. */
      if (strchr (entry->msgid, ';') != NULL && strchr (entry->msgid, ' ') == NULL)
        continue;
      for (guint t = 0; t < G_N_ELEMENTS (glossary); t++)
        {
          gboolean found = FALSE;

          if (strstr (lower, glossary[t].english) == NULL)
            continue;
          for (guint c = 0; c < G_N_ELEMENTS (glossary[t].chinese) && glossary[t].chinese[c]; c++)
            found |= strstr (entry->msgstr, glossary[t].chinese[c]) != NULL;
          if (!found)
            {
              g_test_message ("%s: \"%s\" is translated \"%s\", without the term %s for “%s”",
                              entry->reference, entry->msgid, entry->msgstr,
                              glossary[t].chinese[0], glossary[t].english);
              bad++;
            }
        }
    }
  if (bad > 0)
    {
      g_test_message ("%u message(s) do not use the glossary's terms", bad);
      g_test_fail ();
    }
}

/* The access key of a short label ("_Open", "Save _As…"), or 0. Longer
 * texts with an underscore are formulas (μ_s, t_end), not labels. */
static gunichar
mnemonic_of (const char *text)
{
  const char *underscore = strchr (text, '_');

  if (underscore == NULL || strchr (underscore + 1, '_') != NULL
      || g_utf8_strlen (text, -1) > 40 || !g_ascii_isalpha (underscore[1]))
    return 0;
  if (underscore > text && !g_ascii_isalpha (underscore[-1]) && underscore[-1] != ' ')
    return 0;
  return g_ascii_tolower (underscore[1]);
}

/* A Chinese label keeps the English access key, as "打开(_O)", so that
 * Alt+O works whatever the language and menus keep their keyboard use. */
static void
test_catalog_mnemonics (void)
{
  g_autoptr(GPtrArray) entries = select_messages ("--translated", FALSE);
  guint bad = 0;

  if (entries == NULL)
    return;
  for (guint i = 0; i < entries->len; i++)
    {
      PoEntry *entry = g_ptr_array_index (entries, i);
      gunichar key = mnemonic_of (entry->msgid);
      g_autofree char *wanted = NULL;
      g_autofree char *lower = NULL;

      if (key == 0)
        continue;
      wanted = g_strdup_printf ("_%c", (char) key);
      lower = g_ascii_strdown (entry->msgstr, -1);
      if (strstr (lower, wanted) == NULL)
        {
          g_test_message ("%s: \"%s\" is translated \"%s\", without the access key %s",
                          entry->reference, entry->msgid, entry->msgstr, wanted);
          bad++;
        }
    }
  if (bad > 0)
    {
      g_test_message ("%u label(s) lost their access key", bad);
      g_test_fail ();
    }
}

/* Names in several languages: the user's language first; in the C locale
 * (LANG=C.UTF-8 in containers and minimal installs) English, the
 * program's own language, before the key; the key when nothing fits. */
static void
test_localized_names (void)
{
  g_autofree char *saved = g_strdup (g_getenv ("LANGUAGE"));
  g_autoptr(GArray) both = cd_localized_array_new ();
  g_autoptr(GArray) chinese = cd_localized_array_new ();

  cd_localized_set (both, "en", "Campaign-style coordination");
  cd_localized_set (both, "zh_CN", "运动式协同");
  cd_localized_set (chinese, "zh_CN", "运动式协同");

  g_unsetenv ("LANGUAGE");
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_assert_cmpstr (cd_localized_lookup (both, "campaign"), ==, "Campaign-style coordination");
  g_assert_cmpstr (cd_localized_lookup (chinese, "campaign"), ==, "campaign");
  g_assert_cmpstr (cd_localized_lookup (NULL, "campaign"), ==, "campaign");
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  g_assert_cmpstr (cd_localized_lookup (both, "campaign"), ==, "运动式协同");
  g_setenv ("LANGUAGE", "fr", TRUE);
  g_assert_cmpstr (cd_localized_lookup (chinese, "campaign"), ==, "campaign");
  g_assert_cmpstr (cd_localized_lookup (both, "campaign"), ==, "Campaign-style coordination");

  if (saved != NULL)
    g_setenv ("LANGUAGE", saved, TRUE);
  else
    g_unsetenv ("LANGUAGE");
}

/* Loads the catalog the build compiled, as an uninstalled app does, with
 * LANGUAGE=zh_CN. glibc ignores LANGUAGE in the plain "C" locale, so a
 * UTF-8 locale is required (C.UTF-8 is enough with glibc ≥ 2.35). */
static gboolean
setup_runtime_catalog (void)
{
  g_autofree char *mo = g_build_filename (I18N_PO_BUILDDIR, "zh_CN", "LC_MESSAGES",
                                          GETTEXT_PACKAGE ".mo", NULL);
  const char *locale;

  if (!g_file_test (mo, G_FILE_TEST_IS_REGULAR))
    {
      g_test_message ("the compiled catalog %s is missing: build the po/ folder first", mo);
      g_test_fail ();
      return FALSE;
    }
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  locale = setlocale (LC_MESSAGES, NULL);
  if (locale == NULL || strcmp (locale, "C") == 0 || strcmp (locale, "POSIX") == 0)
    locale = setlocale (LC_ALL, "C.UTF-8") ? setlocale (LC_MESSAGES, NULL) : NULL;
  if (locale == NULL)
    {
      g_test_message ("no UTF-8 locale (not even C.UTF-8) is available, so LANGUAGE=zh_CN "
                      "cannot be tested; install the Debian package locales-all");
      g_test_fail ();
      return FALSE;
    }
  g_test_message ("locale %s, LANGUAGE=zh_CN, catalog %s", locale, mo);
  g_assert_nonnull (bindtextdomain (GETTEXT_PACKAGE, I18N_PO_BUILDDIR));
  g_assert_nonnull (bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8"));
  return TRUE;
}

/* TRUE when text has at least one CJK ideograph. */
static gboolean
has_han (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (g_unichar_get_script (g_utf8_get_char (p)) == G_UNICODE_SCRIPT_HAN)
      return TRUE;
  return FALSE;
}

static void
expect_chinese (const char *msgid,
                const char *where)
{
  const char *translated = g_dgettext (GETTEXT_PACKAGE, msgid);

  if (translated == msgid || strcmp (translated, msgid) == 0 || !has_han (translated))
    {
      g_test_message ("%s: \"%s\" is not translated at run time (got \"%s\")", where, msgid,
                      translated);
      g_test_fail ();
    }
}

static void
test_runtime_terms (void)
{
  static const struct { const char *english, *chinese; } known[] = {
    { "Gravity", "引力" },
    { "Pressure", "压力" },
    { "Thrust", "推力" },
    { "Resistance", "阻力" },
    { "Benefit compensation", "利益补偿" },
    { "Supervision mechanism", "监督机制" },
    { "Window width", "窗口宽度" },
  };

  if (!setup_runtime_catalog ())
    return;
  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    {
      /* GLib's call, and the plain libintl one that _() expands to in the app. */
      const char *glib_text = g_dgettext (GETTEXT_PACKAGE, known[i].english);
      const char *libintl_text = dgettext (GETTEXT_PACKAGE, known[i].english);

      if (strcmp (glib_text, known[i].chinese) != 0
          || strcmp (libintl_text, known[i].chinese) != 0)
        {
          g_test_message ("\"%s\" should be \"%s\" at run time; got \"%s\" and \"%s\"",
                          known[i].english, known[i].chinese, glib_text, libintl_text);
          g_test_fail ();
        }
    }
}

static void
test_runtime_params (void)
{
  if (!setup_runtime_catalog ())
    return;
  for (guint p = 0; p < CD_N_PARAMS; p++)
    {
      const CdParamInfo *info = cd_param_info ((CdParam) p);
      g_autofree char *label_where = g_strdup_printf ("label of %s", info->path);
      g_autofree char *desc_where = g_strdup_printf ("description of %s", info->path);

      expect_chinese (info->label, label_where);
      expect_chinese (info->description, desc_where);
    }
  for (guint g = 0; g < CD_N_GROUPS; g++)
    expect_chinese (cd_group_label ((CdGroup) g), cd_group_key ((CdGroup) g));
}

/* Lists in summaries take Chinese punctuation: "、" between items, "和"
 * before the last, and no spaces. */
static void
test_runtime_list (void)
{
  static const char *const items[] = { "北京", "天津", "河北", NULL };
  g_autofree char *three = NULL;
  g_autofree char *two = NULL;
  g_autofree char *plain = NULL;

  if (!setup_runtime_catalog ())
    return;
  three = cd_locale_join_list (items, -1, TRUE);
  two = cd_locale_join_list (items, 2, TRUE);
  plain = cd_locale_join_list (items, 3, FALSE);
  g_assert_cmpstr (three, ==, "北京、天津和河北");
  g_assert_cmpstr (two, ==, "北京和天津");
  g_assert_cmpstr (plain, ==, "北京、天津、河北");
}

/* A syntax error in a model file reads in Chinese throughout: the place,
 * and json-glib's own (English-only) reason put into Chinese words. */
static void
test_runtime_syntax (void)
{
  static const struct { const char *json, *want; } cases[] = {
    { "{\"nodes\" [ ]}", "第 1 行，第 8 列：此处不应出现字符串“nodes”，应为字符“:”" },
    { "{\"nodes\": []}]", "第 1 行，第 14 列：JSON 文档结束后还有内容" },
    { "{\"nodes\": [", "第 1 行，第 11 列：这个 [ 始终没有闭合，文件在对应的 ] 出现之前就结束了" },
    { "{\"nodes\": [}", "第 1 行，第 12 列：} 与第 1 行、第 11 列的 [ 不配对" },
    { "{\"nodes\": [ {\"id\": nul} ]}", "第 1 行，第 20 列：不是 JSON 值的单词" },
    { "{\"nodes\": [ {\"id\": \"a\\qb\"} ]}", "JSON 中没有这种转义" },
    /* a problem's place and message: a Chinese colon, as everywhere */
    { "{\"nodes\": [ {\"id\": \"a\", \"x0\": 2} ]}", "nodes[0].x0：2 超出 [0, 1]" },
  };

  if (!setup_runtime_catalog ())
    return;
  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CdModel) model = cd_model_load_data (cases[k].json, strlen (cases[k].json),
                                                     &error);
      g_assert_null (model);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, cases[k].want));
    }
}

static void
remove_work_dir (void)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (work_dir == NULL)
    return;
  dir = g_dir_open (work_dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (work_dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (work_dir);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* So that messages naming non-ASCII msgids print as UTF-8. */
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/i18n/catalog/untranslated", test_catalog_untranslated);
  g_test_add_func ("/i18n/catalog/fuzzy", test_catalog_fuzzy);
  g_test_add_func ("/i18n/catalog/obsolete", test_catalog_obsolete);
  g_test_add_func ("/i18n/catalog/msgfmt", test_catalog_msgfmt);
  g_test_add_func ("/i18n/catalog/terms", test_catalog_terms);
  g_test_add_func ("/i18n/catalog/mnemonics", test_catalog_mnemonics);
  g_test_add_func ("/i18n/runtime/localized-names", test_localized_names);
  g_test_add_func ("/i18n/runtime/syntax", test_runtime_syntax);
  g_test_add_func ("/i18n/runtime/terms", test_runtime_terms);
  g_test_add_func ("/i18n/runtime/params", test_runtime_params);
  g_test_add_func ("/i18n/runtime/list", test_runtime_list);

  status = g_test_run ();
  remove_work_dir ();
  g_free (merged_po);
  g_free (merge_error);
  g_free (work_dir);
  return status;
}
