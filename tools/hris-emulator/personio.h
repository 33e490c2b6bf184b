/* Personio internals shared by its route and render files. */
#ifndef EMU_PERSONIO_H
#define EMU_PERSONIO_H

#include "emu.h"

/* GET /v1/company/employees (limit, offset, email, updated_since,
 * attributes[]). */
void personio_employees(emu_req *req, emu_resp *resp);
/* GET /v1/company/employees/{id}. */
void personio_employee(emu_req *req, emu_resp *resp, long id);
/* GET /v1/company/employees/attributes. */
void personio_attributes(emu_req *req, emu_resp *resp);
/* Everything under /v2/ (personio_v2.c). */
void personio_v2(emu_req *req, emu_resp *resp);
/* "papi-<epoch>-<serial>-<hash>": the token for an epoch and serial. */
void personio_token_string(unsigned long epoch, unsigned long serial,
                           char out[96]);
/* 0 valid, 1 ours but expired (issued before the last token_expiry or
 * reset), -1 not a token of ours. One-time use (v1 rotating mode) is
 * checked by the v1 routes; v2 tokens never rotate. */
int personio_token_check(emu_ctx *ctx, const char *tok);
/* The v1 error envelope. */
void personio_error(emu_req *req, emu_resp *resp, unsigned status,
                    const char *msg);

#endif
