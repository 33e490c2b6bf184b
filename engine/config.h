/*
** hs_config: the company's config file (design.md section 4), loaded and
** validated. Every error names the file and the key:
**   hrsync.json: conditions[2].op: unknown operator "=="; expected ...
** Unknown keys are errors. Relative paths (database, file: secrets)
** resolve against the config file's folder.
*/
#ifndef HS_CONFIG_H
#define HS_CONFIG_H

#include "conditions.h"
#include "err.h"
#include "runlimits.h"
#include "stakeholder.h"

#include <hrsync/connector.h>
#include <stddef.h>

typedef struct hs_group_rule {
  char *group;
  hs_cond *conds; /* ANDed */
  size_t n_conds;
} hs_group_rule;

typedef struct hs_config {
  char *path;          /* as given, for messages */
  char *dir;           /* its folder */
  char *connector;     /* plugin name */
  hrsync_kv *settings; /* owned strings */
  size_t n_settings;
  hrsync_kv *secrets; /* references (env:, file:, literal), owned */
  size_t n_secrets;
  char *database;  /* resolved path; NULL when the file names none */
  int name_format; /* HS_NAME_* */
  char *mapping[HS_SF_COUNT]; /* HR field id per stakeholder field */
  hs_cond *conds;
  size_t n_conds;
  hs_group_rule *groups;
  size_t n_groups;
  char digest[65];  /* SHA-256 of the file's bytes, for the run log */
  hs_limits limits; /* "limits"; members 0 = the defaults (runlimits.h) */
  /* Registry safety (docs/user-guide.md "What hrsync refuses to do"). */
  char **allow_empty; /* HR fields a condition may find empty for all */
  size_t n_allow_empty;
  double mass_share;         /* "mass_change": {"max_share"}; 0.10 */
  int on_empty[HS_SF_COUNT]; /* HS_ON_EMPTY_*; keep by default */
  int duplicates;            /* HS_DUP_*: near-duplicates flagged or
                                conflicts */
  int year_min, year_max;    /* "date_years"; 1900..2200 */
} hs_config;

enum { HS_ON_EMPTY_KEEP = 0, HS_ON_EMPTY_CLEAR = 1 };
enum { HS_DUP_FLAG = 0, HS_DUP_CONFLICT = 1 };

/* True when a condition on HR field id may find it empty for everyone
** (top-level "allow_empty", or the condition's own). */
int hs_config_allows_empty(const hs_config *cfg, const hs_cond *c);

/* Reads and validates path. *out is freed with hs_config_free. Errors are
** HS_E_CONFIG (HS_E_IO when the file cannot be read). */
hs_rc hs_config_load(const char *path, hs_config **out, hs_err *err);

/* Parses a config from text; path is only for messages and relative
** paths. Literal secrets are not checked against file permissions. */
hs_rc hs_config_parse(const char *text, const char *path, hs_config **out,
                      hs_err *err);

void hs_config_free(hs_config *cfg);

/* The HR field ids the config uses (mapping, conditions, group rules),
** each once. The array is malloc'd, the strings borrowed from cfg. */
hs_rc hs_config_wanted(const hs_config *cfg, const char ***out, size_t *n,
                       hs_err *err);

/* Checks settings and secrets against the connector's declared ones:
** "hrsync.json: settings.subdomian: unknown setting for bamboohr". */
hs_rc hs_config_check_connector(const hs_config *cfg,
                                const hrsync_connector *desc, hs_err *err);

/* Looks up an HR field id; returns nonzero when known. */
typedef int (*hs_field_known_fn)(void *arg, const char *id);

/* Checks every HR field the config names against the connector's fields:
** "hrsync.json: mapping.email: unknown HR field "mail"". */
hs_rc hs_config_check_fields(const hs_config *cfg, hs_field_known_fn known,
                             void *arg, hs_err *err);

/* The type (hrsync_field_type) of an HR field, or -1 when unknown. */
typedef int (*hs_field_type_of_fn)(void *arg, const char *id);

/* Checks that every condition comparing a date field (declared a date by
** the connector, or mapped to a stakeholder date) compares it with a
** date: "hrsync.json: conditions[1].value: "01/06/2025" is not a date;
** terminationDate is a date field ...". type may be NULL. */
hs_rc hs_config_check_types(const hs_config *cfg, hs_field_type_of_fn type,
                            void *arg, hs_err *err);

/* The i-th known HR field id, or NULL past the last. */
typedef const char *(*hs_field_nth_fn)(void *arg, size_t i);

/* hs_config_check_fields, and the error suggests the nearest known id
** (nth enumerates them, same arg): "... unknown HR field "workemial"
** (did you mean "workEmail"? see `hrsync fields`)". */
hs_rc hs_config_check_fields_near(const hs_config *cfg,
                                  hs_field_known_fn known, hs_field_nth_fn nth,
                                  void *arg, hs_err *err);

#endif
