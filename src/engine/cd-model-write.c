/* cd-model-write.c — writing a model file: every value, one government or tie a line.
 *
 * The text is deterministic (the same model always gives the same bytes)
 * and each number is written in its shortest form that reads back exactly,
 * so that load → save → load is lossless; saving replaces the old file
 * atomically.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <string.h>

#include "cd-atomic-file.h"
#include "cd-model-fields.h"
#include "cd-model-json-private.h"

/* ---- writing ---------------------------------------------------------------- */

const char *
cd_format_double_shortest (char   *buf,
                           double  value)
{
  for (int precision = 15; precision <= 17; precision++)
    {
      char format[8];
      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, format, value);
      if (precision == 17 || g_ascii_strtod (buf, NULL) == value)
        break;
    }
  return buf;
}

typedef struct
{
  GString *out;
  int      indent;
} Writer;

static void
w_newline (Writer *w)
{
  g_string_append_c (w->out, '\n');
  for (int i = 0; i < w->indent; i++)
    g_string_append (w->out, "  ");
}

static void
w_string (Writer *w, const char *s)
{
  g_string_append_c (w->out, '"');
  for (const guchar *p = (const guchar *) s; *p; p++)
    {
      switch (*p)
        {
        case '"':  g_string_append (w->out, "\\\""); break;
        case '\\': g_string_append (w->out, "\\\\"); break;
        case '\n': g_string_append (w->out, "\\n"); break;
        case '\r': g_string_append (w->out, "\\r"); break;
        case '\t': g_string_append (w->out, "\\t"); break;
        default:
          if (*p < 0x20)
            g_string_append_printf (w->out, "\\u%04x", *p);
          else
            g_string_append_c (w->out, (char) *p);
        }
    }
  g_string_append_c (w->out, '"');
}

static void
w_number (Writer *w, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_string_append (w->out, cd_format_double_shortest (buf, v));
}

/* Members: `first` tracks the comma; each member starts on its own line. */
static void
w_key (Writer *w, gboolean *first, const char *key)
{
  if (!*first)
    g_string_append_c (w->out, ',');
  *first = FALSE;
  w_newline (w);
  w_string (w, key);
  g_string_append (w->out, ": ");
}

static void
w_open (Writer *w, char c)
{
  g_string_append_c (w->out, c);
  w->indent++;
}

static void
w_close (Writer *w, char c, gboolean empty)
{
  w->indent--;
  if (!empty)
    w_newline (w);
  g_string_append_c (w->out, c);
}

static void
w_localized (Writer *w, gboolean *first, const char *key, const GArray *names)
{
  gboolean f = TRUE;

  if (names == NULL || names->len == 0)
    return;
  w_key (w, first, key);
  w_open (w, '{');
  for (guint i = 0; i < names->len; i++)
    {
      const CdLocalized *l = &g_array_index (names, CdLocalized, i);
      w_key (w, &f, l->lang);
      w_string (w, l->text);
    }
  w_close (w, '}', FALSE);
}

static void
w_parameters (Writer *w, int version, const gboolean *set, const double *values,
              gboolean rule_set, CdRule rule)
{
  gboolean first = TRUE;

  w_open (w, '{');
  for (guint g = 0; g < CD_N_GROUPS; g++)
    {
      gboolean f = TRUE;
      gboolean any = g == CD_GROUP_DYNAMICS && rule_set;
      for (CdParam i = 0; cd_param_next_in_version (&i, version); i++)
        any |= cd_param_info (i)->group == g && (set == NULL || set[i]);
      if (!any)
        continue;
      w_key (w, &first, cd_group_key (g));
      w_open (w, '{');
      for (CdParam i = 0; cd_param_next_in_version (&i, version); i++)
        if (cd_param_info (i)->group == g && (set == NULL || set[i]))
          {
            w_key (w, &f, cd_param_info (i)->key);
            w_number (w, values[i]);
          }
      if (g == CD_GROUP_DYNAMICS && rule_set)
        {
          w_key (w, &f, "rule");
          w_string (w, cd_rule_to_string (rule));
        }
      w_close (w, '}', f);
    }
  w_close (w, '}', first);
}

static void
w_interventions (Writer *w, const GPtrArray *list)
{
  w_open (w, '[');
  for (guint i = 0; i < list->len; i++)
    {
      const CdIntervention *iv = g_ptr_array_index (list, i);
      gboolean f = TRUE, fs = TRUE;

      if (i > 0)
        g_string_append_c (w->out, ',');
      w_newline (w);
      w_open (w, '{');
      w_key (w, &f, "at");
      w_number (w, iv->at);
      w_key (w, &f, "set");
      w_open (w, '{');
      for (guint k = 0; k < iv->settings->len; k++)
        {
          const CdSetting *s = &g_array_index (iv->settings, CdSetting, k);
          w_key (w, &fs, cd_param_info (s->param)->path);
          w_number (w, s->value);
        }
      w_close (w, '}', fs);
      w_close (w, '}', FALSE);
    }
  w_close (w, ']', list->len == 0);
}

/* A government or a tie on one line, its fields in the table's order:
 * { "id": "a", "name": "A", "level": "other", … }. */
static void
w_line (Writer            *w,
        int                version,
        const CdFieldInfo *fields,
        guint              n_fields,
        gconstpointer      object,
        CdEdgeKind         kind,
        gboolean           is_node,
        gboolean           has_superior)
{
  GString *o = w->out;
  gboolean first = TRUE;

  for (guint k = 0; k < n_fields; k++)
    {
      const CdFieldInfo *f = &fields[k];
      const char *at = (const char *) object + f->offset;

      if (!cd_field_in_version (f, version)
          || (!is_node && !cd_field_of_edge_kind (f, kind)))
        continue;
      if (f->type == CD_FIELD_NAMES && (*(GArray *const *) (gconstpointer) at)->len == 0)
        continue;
      if (f->type == CD_FIELD_POSITION
          && !*(const gboolean *) (gconstpointer) ((const char *) object + f->flag_offset))
        continue;
      g_string_append (o, first ? "{ \"" : ", \"");
      g_string_append (o, f->key);
      g_string_append (o, "\": ");
      first = FALSE;
      switch (f->type)
        {
        case CD_FIELD_ID:
        case CD_FIELD_TEXT:
          w_string (w, *(char *const *) (gconstpointer) at);
          break;
        case CD_FIELD_NAMES:
          {
            const GArray *names = *(GArray *const *) (gconstpointer) at;

            g_string_append_c (o, '{');
            for (guint i = 0; i < names->len; i++)
              {
                const CdLocalized *l = &g_array_index (names, CdLocalized, i);
                g_string_append (o, i ? ", " : " ");
                w_string (w, l->lang);
                g_string_append (o, ": ");
                w_string (w, l->text);
              }
            g_string_append (o, " }");
          }
          break;
        case CD_FIELD_LEVEL:
          w_string (w, cd_level_to_string (*(const CdLevel *) (gconstpointer) at));
          break;
        case CD_FIELD_KIND:
          w_string (w, *(const CdEdgeKind *) (gconstpointer) at == CD_EDGE_COMMAND
                         ? "command" : "partnership");
          break;
        case CD_FIELD_ROLE:
          w_string (w, cd_role_to_string (*(const CdCommandRole *) (gconstpointer) at));
          break;
        case CD_FIELD_NUMBER:
          w_number (w, *(const double *) (gconstpointer) at);
          break;
        case CD_FIELD_OPTIONAL_NUMBER:
          /* Saving writes every value: an unset appraisal as its default. */
          w_number (w, cd_field_is_set (f, object) ? *(const double *) (gconstpointer) at
                                                   : has_superior ? 1.0 : 0.0);
          break;
        case CD_FIELD_BOOLEAN:
          g_string_append (o, *(const gboolean *) (gconstpointer) at ? "true" : "false");
          break;
        case CD_FIELD_POSITION:
          {
            const double *pos = (const double *) (gconstpointer) at;

            g_string_append_c (o, '[');
            w_number (w, pos[0]);
            g_string_append (o, ", ");
            w_number (w, pos[1]);
            g_string_append_c (o, ']');
          }
          break;
        default:
          g_return_if_reached ();
        }
    }
  g_string_append (o, " }");
}

char *
cd_model_to_json (const CdModel *model,
                  gsize         *out_length)
{
  Writer w = { g_string_sized_new (4096 + 200 * model->nodes->len), 0 };
  const CdFieldInfo *node_fields, *edge_fields;
  guint n_node_fields, n_edge_fields;
  gboolean first = TRUE;
  g_autofree guint8 *has_superior = NULL;

  g_return_val_if_fail (model != NULL, NULL);

  /* Version 2 writes each default appraisal, which depends on superiors. */
  if (model->version >= 2)
    has_superior = cd_model_has_superior (model);
  w_open (&w, '{');
  w_key (&w, &first, "format");
  w_string (&w, CD_MODEL_FORMAT);
  w_key (&w, &first, "version");
  w_number (&w, model->version);
  w_key (&w, &first, "name");
  w_string (&w, model->name);
  w_localized (&w, &first, "names", model->names);
  w_key (&w, &first, "description");
  w_string (&w, model->description);
  w_localized (&w, &first, "descriptions", model->descriptions);

  w_key (&w, &first, "parameters");
  w_parameters (&w, model->version, NULL, model->params.values, TRUE, model->params.rule);

  w_key (&w, &first, "simulation");
  {
    gboolean f = TRUE;
    w_open (&w, '{');
    w_key (&w, &f, "t_end");
    w_number (&w, model->sim.t_end);
    w_key (&w, &f, "dt");
    w_number (&w, model->sim.dt);
    w_key (&w, &f, "rtol");
    w_number (&w, model->sim.rtol);
    w_key (&w, &f, "atol");
    w_number (&w, model->sim.atol);
    /* Only when set, so that files without it stay as they were. */
    if (model->time_unit != NULL)
      {
        w_key (&w, &f, "time_unit");
        w_string (&w, model->time_unit);
      }
    w_close (&w, '}', FALSE);
  }

  /* One government or tie per line keeps large files diffable. */
  node_fields = cd_node_fields (&n_node_fields);
  w_key (&w, &first, "nodes");
  w_open (&w, '[');
  for (guint i = 0; i < model->nodes->len; i++)
    {
      if (i > 0)
        g_string_append_c (w.out, ',');
      w_newline (&w);
      w_line (&w, model->version, node_fields, n_node_fields,
              g_ptr_array_index (model->nodes, i), CD_EDGE_COMMAND, TRUE,
              has_superior != NULL && has_superior[i]);
    }
  w_close (&w, ']', model->nodes->len == 0);

  edge_fields = cd_edge_fields (&n_edge_fields);
  w_key (&w, &first, "edges");
  w_open (&w, '[');
  for (guint i = 0; i < model->edges->len; i++)
    {
      const CdEdge *e = g_ptr_array_index (model->edges, i);

      if (i > 0)
        g_string_append_c (w.out, ',');
      w_newline (&w);
      w_line (&w, model->version, edge_fields, n_edge_fields, e, e->kind, FALSE, FALSE);
    }
  w_close (&w, ']', model->edges->len == 0);

  w_key (&w, &first, "events");
  w_open (&w, '[');
  for (guint i = 0; i < model->events->len; i++)
    {
      const CdEvent *ev = g_ptr_array_index (model->events, i);
      gboolean f = TRUE, fi = TRUE;

      if (i > 0)
        g_string_append_c (w.out, ',');
      w_newline (&w);
      w_open (&w, '{');
      w_key (&w, &f, "name");
      w_string (&w, ev->name);
      w_localized (&w, &f, "names", ev->names);
      w_key (&w, &f, "onset");
      w_number (&w, ev->onset);
      w_key (&w, &f, "magnitude");
      w_number (&w, ev->magnitude);
      w_key (&w, &f, "decay");
      w_number (&w, ev->decay);
      w_key (&w, &f, "impact");
      w_open (&w, '{');
      for (guint k = 0; k < ev->impacts->len; k++)
        {
          const CdImpact *im = &g_array_index (ev->impacts, CdImpact, k);
          w_key (&w, &fi, im->node);
          w_number (&w, im->a);
        }
      w_close (&w, '}', fi);
      w_close (&w, '}', FALSE);
    }
  w_close (&w, ']', model->events->len == 0);

  w_key (&w, &first, "interventions");
  w_interventions (&w, model->interventions);

  if (model->scenarios->len > 0)
    {
      w_key (&w, &first, "scenarios");
      w_open (&w, '[');
      for (guint i = 0; i < model->scenarios->len; i++)
        {
          const CdScenario *sc = g_ptr_array_index (model->scenarios, i);
          gboolean f = TRUE;

          if (i > 0)
            g_string_append_c (w.out, ',');
          w_newline (&w);
          w_open (&w, '{');
          w_key (&w, &f, "name");
          w_string (&w, sc->name);
          w_localized (&w, &f, "names", sc->names);
          w_key (&w, &f, "description");
          w_string (&w, sc->description);
          w_key (&w, &f, "parameters");
          w_parameters (&w, model->version, sc->param_set, sc->param_value, sc->rule_set,
                        sc->rule);
          if (sc->interventions)
            {
              w_key (&w, &f, "interventions");
              w_interventions (&w, sc->interventions);
            }
          w_close (&w, '}', FALSE);
        }
      w_close (&w, ']', FALSE);
    }

  if (model->ranges->len > 0)
    {
      gboolean f = TRUE;
      w_key (&w, &first, "ranges");
      w_open (&w, '{');
      for (guint i = 0; i < model->ranges->len; i++)
        {
          const CdRange *rg = &g_array_index (model->ranges, CdRange, i);
          gboolean fr = TRUE;
          w_key (&w, &f, cd_param_info (rg->param)->path);
          w_open (&w, '{');
          w_key (&w, &fr, "distribution");
          w_string (&w, rg->dist == CD_DIST_TRIANGULAR ? "triangular" : "uniform");
          w_key (&w, &fr, "min");
          w_number (&w, rg->min);
          w_key (&w, &fr, "max");
          w_number (&w, rg->max);
          if (rg->dist == CD_DIST_TRIANGULAR)
            {
              w_key (&w, &fr, "mode");
              w_number (&w, rg->mode);
            }
          w_close (&w, '}', FALSE);
        }
      w_close (&w, '}', FALSE);
    }

  w_close (&w, '}', FALSE);
  g_string_append_c (w.out, '\n');
  if (out_length)
    *out_length = w.out->len;
  return g_string_free (w.out, FALSE);
}

gboolean
cd_model_save_file (const CdModel *model,
                    const char    *path,
                    GError       **error)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length;

  g_return_val_if_fail (model != NULL && path != NULL, FALSE);

  data = cd_model_to_json (model, &length);
  /* Written to a temporary file in the same directory, flushed, then renamed
   * over the old one (cd-atomic-file.h): a failed or interrupted save leaves
   * the previous file as it was, its permissions kept and a symbolic link
   * to it still a link. */
  if (!cd_atomic_file_set_contents (path, data, length, &local_error))
    {
      g_set_error (error, CD_MODEL_ERROR, CD_MODEL_ERROR_IO,
                   _("could not save %s; the previous file is unchanged (%s)"), path,
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}

