/*
** cmocka assertions shared by the connector unit tests, on top of the
** fake host (fakehost.h). Each fails the running test with a message that
** names the record, field or error it looked at.
*/
#ifndef FHASSERT_H
#define FHASSERT_H

#include "fakehost.h"

/* Opens a connection of plugin p on fh; fails the test unless it opens. */
hrsync_conn *fh_open_ok(const hrsync_connector *p, fh_host *fh);

/* Closes c, checks the plugin broke no SDK rule, frees fh. */
void fh_done(const hrsync_connector *p, fh_host *fh, hrsync_conn *c);

/* Fails the test, listing them, if the plugin broke an SDK rule. */
void fh_assert_clean(fh_host *fh);

/* The plugin's last set_error contains needle. */
void fh_assert_error_has(fh_host *fh, const char *needle);

/* rec set field id to value (NULL: set, but empty). */
void fh_assert_value(const fh_record *rec, const char *id, const char *value);

/* rec did not set field id at all. */
void fh_assert_absent(const fh_record *rec, const char *id);

/* The plugin described field id with this type (and label, unless NULL). */
void fh_assert_field(fh_host *fh, const char *id, uint32_t type,
                     const char *label);

/* a and b got the same records: ids, fields and values, in order. */
void fh_assert_same_records(const fh_host *a, const fh_host *b);

#endif
